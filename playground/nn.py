"""The NumPy core: an L-layer binary classifier in the course's notation.

Shapes (columns are examples, see ``shared/notation.md``):

* ``X = A0``: ``(n[0], m)``; ``Y``: ``(1, m)`` of 0/1
* ``W{l}``: ``(n[l], n[l-1])``; ``b{l}``: ``(n[l], 1)``
* ``Z{l}``, ``A{l}``: ``(n[l], m)``; every gradient has the shape of what it differentiates

Everything computes in the dtype of its inputs (float64 reproduces the course's printed
numbers; float32 is faster for live pages) and never lets a RuntimeWarning escape: the
activations are written in overflow-free forms, and where a diverging network produces
inf or NaN anyway, the training loop (``playground.training``) detects it and stops.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

Array = np.ndarray

# --------------------------------------------------------------------------------------
# Activations: one registry, keyed by the names the UI shows.
# --------------------------------------------------------------------------------------

LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0
_GELU_C = math.sqrt(2.0 / math.pi)


def _const(z: Array, value: float) -> Array:
    """A scalar in z's dtype, so that constants never upcast float32 arrays."""
    return z.dtype.type(value)


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^-z), via e^-|z| so that no exp overflows."""
    e = np.exp(-np.abs(z))
    one = _const(z, 1.0)
    return np.where(z >= 0, one / (one + e), e / (one + e))


def _sigmoid_d(z: Array) -> Array:
    s = sigmoid(z)
    return s * (1 - s)


def _tanh_d(z: Array) -> Array:
    t = np.tanh(z)
    return 1 - t * t


def _relu(z: Array) -> Array:
    return np.maximum(z, _const(z, 0.0))


def _relu_d(z: Array) -> Array:
    # g'(0) is taken as 0 (the subgradient at the kink; the course lets us pick).
    return (z > 0).astype(z.dtype)


def _leaky_relu(z: Array) -> Array:
    return np.where(z > 0, z, _const(z, LEAKY_SLOPE) * z)


def _leaky_relu_d(z: Array) -> Array:
    return np.where(z > 0, _const(z, 1.0), _const(z, LEAKY_SLOPE))


def _linear(z: Array) -> Array:
    return z


def _linear_d(z: Array) -> Array:
    return np.ones_like(z)


def _elu(z: Array) -> Array:
    return np.where(z > 0, z, _const(z, ELU_ALPHA) * np.expm1(np.minimum(z, 0)))


def _elu_d(z: Array) -> Array:
    return np.where(z > 0, _const(z, 1.0), _const(z, ELU_ALPHA) * np.exp(np.minimum(z, 0)))


def _softplus(z: Array) -> Array:
    return np.logaddexp(_const(z, 0.0), z)


def _silu(z: Array) -> Array:
    return z * sigmoid(z)


def _silu_d(z: Array) -> Array:
    s = sigmoid(z)
    return s + z * s * (1 - s)


def _gelu_inner(z: Array) -> Array:
    # z³ is computed as z·z·z on a clipped z: beyond |z| = 1e4 tanh is ±1 to the last bit.
    zc = np.clip(z, -1e4, 1e4)
    return _const(z, _GELU_C) * (zc + _const(z, 0.044715) * zc * zc * zc)


def _gelu(z: Array) -> Array:
    # The tanh approximation (Hendrycks & Gimpel), the form most libraries ship.
    return _const(z, 0.5) * z * (1 + np.tanh(_gelu_inner(z)))


def _gelu_d(z: Array) -> Array:
    t = np.tanh(_gelu_inner(z))
    zc = np.clip(z, -1e4, 1e4)
    inner_d = _const(z, _GELU_C) * (1 + _const(z, 3 * 0.044715) * zc * zc)
    return _const(z, 0.5) * (1 + t) + _const(z, 0.5) * z * (1 - t * t) * inner_d


@dataclass(frozen=True)
class Activation:
    """An activation g with its derivative g', and how the UI writes it."""

    name: str
    label: str
    g: Callable[[Array], Array]
    dg: Callable[[Array], Array]
    latex: str
    dlatex: str
    # g'(z) written with a = g(z), where that is cheaper than recomputing from z
    # (tanh: 1 - a²): backward propagation then reuses A[l] from the forward cache.
    dg_from_a: Callable[[Array], Array] | None = None


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", "sigmoid", sigmoid, _sigmoid_d,
                   r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"g'(z) = g(z)\,(1 - g(z))",
                   lambda a: a * (1 - a)),
        Activation("tanh", "tanh", np.tanh, _tanh_d,
                   r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}", r"g'(z) = 1 - g(z)^2",
                   lambda a: 1 - a * a),
        Activation("relu", "ReLU", _relu, _relu_d,
                   r"\mathrm{ReLU}(z) = \max(0, z)",
                   r"g'(z) = \begin{cases}0 & z \le 0\\ 1 & z > 0\end{cases}", _relu_d),
        Activation("leaky_relu", "leaky ReLU", _leaky_relu, _leaky_relu_d,
                   r"\mathrm{leaky}(z) = \max(0.01z, z)",
                   r"g'(z) = \begin{cases}0.01 & z \le 0\\ 1 & z > 0\end{cases}", _leaky_relu_d),
        Activation("linear", "linear", _linear, _linear_d, r"g(z) = z", r"g'(z) = 1", _linear_d),
        Activation("elu", "ELU", _elu, _elu_d,
                   r"\mathrm{ELU}(z) = \begin{cases}z & z > 0\\ e^{z} - 1 & z \le 0\end{cases}",
                   r"g'(z) = \begin{cases}1 & z > 0\\ e^{z} & z \le 0\end{cases}"),
        Activation("softplus", "softplus", _softplus, sigmoid,
                   r"\mathrm{softplus}(z) = \log(1 + e^{z})", r"g'(z) = \sigma(z)"),
        Activation("silu", "SiLU (swish)", _silu, _silu_d,
                   r"\mathrm{SiLU}(z) = z\,\sigma(z)",
                   r"g'(z) = \sigma(z) + z\,\sigma(z)(1 - \sigma(z))"),
        Activation("gelu", "GELU", _gelu, _gelu_d,
                   r"\mathrm{GELU}(z) \approx \tfrac{z}{2}\left(1 + \tanh\left(\sqrt{2/\pi}"
                   r"\,(z + 0.044715 z^{3})\right)\right)",
                   r"g'(z) = \tfrac12(1 + t) + \tfrac{z}{2}(1 - t^2)\sqrt{2/\pi}"
                   r"\,(1 + 3 \cdot 0.044715 z^2)"),
    )
}
"""Every activation by name. Adding one here adds it to every page."""

OUTPUT_ACTIVATION = "sigmoid"


def get_activation(name: str) -> Activation:
    """Look an activation up by name, with a message that lists the valid names."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None


# --------------------------------------------------------------------------------------
# Initialization: one registry of methods.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InitMethod:
    """How to draw ``W[l]`` (biases always start at zero)."""

    name: str
    label: str
    default_scale: float | None  # None: the method takes no scale
    description: str


INITIALIZATIONS: dict[str, InitMethod] = {
    m.name: m
    for m in (
        InitMethod("zeros", "zeros", None,
                   "W = 0 and b = 0: every unit of a layer starts identical."),
        InitMethod("constant", "constant c", 0.5,
                   "every entry of W equals c: units start identical, but non-zero."),
        InitMethod("random", "random × scale", 0.01,
                   "W = randn(n[l], n[l-1]) × scale: breaks the symmetry."),
        InitMethod("xavier", "Xavier", None,
                   "W = randn(n[l], n[l-1]) × sqrt(1/n[l-1]): keeps tanh signals' scale."),
        InitMethod("he", "He", None,
                   "W = randn(n[l], n[l-1]) × sqrt(2/n[l-1]): keeps ReLU signals' scale."),
    )
}


def _check_layer_dims(layer_dims: Sequence[int]) -> list[int]:
    try:
        dims = [int(n) for n in layer_dims]
    except (TypeError, ValueError):
        raise ValueError(f"layer_dims must be a list of whole numbers, got {layer_dims!r}") from None
    if len(dims) < 2:
        raise ValueError(f"layer_dims needs at least [n_x, 1], got {dims}")
    if any(n < 1 for n in dims):
        raise ValueError(f"every layer needs at least 1 unit, got layer_dims={dims}")
    if any(n != float(o) for n, o in zip(dims, layer_dims, strict=True)):
        raise ValueError(f"layer_dims must be whole numbers, got {list(layer_dims)}")
    return dims


def initialize_parameters(
    layer_dims: Sequence[int],
    method: str = "random",
    scale: float | None = None,
    seed: int = 0,
    dtype: np.dtype | type = np.float64,
) -> dict[str, Array]:
    """Initial parameters ``{"W1": (n1, n0), "b1": (n1, 1), ...}`` for ``layer_dims``.

    Parameters
    ----------
    layer_dims : [n[0], n[1], ..., n[L]]; ``[2, 1]`` is logistic regression.
    method : a key of ``INITIALIZATIONS``.
    scale : the factor of ``"random"`` (default 0.01) or the value c of ``"constant"``
        (default 0.5); the other methods ignore it.
    seed : drawn with ``np.random.default_rng(seed)``, layer by layer, so a seed
        reproduces the same weights.
    """
    dims = _check_layer_dims(layer_dims)
    if method not in INITIALIZATIONS:
        raise ValueError(
            f"unknown initialization {method!r}; choose one of {', '.join(INITIALIZATIONS)}"
        )
    if scale is None:
        scale = INITIALIZATIONS[method].default_scale
    if scale is not None and not np.isfinite(scale):
        raise ValueError(f"the initialization scale must be a finite number, got {scale!r}")
    dtype = np.dtype(dtype)
    rng = np.random.default_rng(seed)
    params: dict[str, Array] = {}
    for l in range(1, len(dims)):
        shape = (dims[l], dims[l - 1])
        if method == "zeros":
            W = np.zeros(shape)
        elif method == "constant":
            W = np.full(shape, float(scale))
        else:
            factor = {
                "random": scale,
                "xavier": math.sqrt(1.0 / dims[l - 1]),
                "he": math.sqrt(2.0 / dims[l - 1]),
            }[method]
            W = rng.standard_normal(shape) * factor
        params[f"W{l}"] = W.astype(dtype)
        params[f"b{l}"] = np.zeros((dims[l], 1), dtype=dtype)
    return params


def layer_dims_of(parameters: Mapping[str, Array]) -> list[int]:
    """``[n[0], ..., n[L]]`` read off the parameters' shapes."""
    L = num_layers(parameters)
    return [parameters["W1"].shape[1]] + [parameters[f"W{l}"].shape[0] for l in range(1, L + 1)]


def num_layers(parameters: Mapping[str, Array]) -> int:
    """L, the number of layers with parameters."""
    L = 0
    while f"W{L + 1}" in parameters:
        L += 1
    if L == 0:
        raise ValueError("parameters has no 'W1': expected keys W1, b1, ..., WL, bL")
    return L


# --------------------------------------------------------------------------------------
# Validation at the boundary.
# --------------------------------------------------------------------------------------


def _check_2d(name: str, a: object) -> Array:
    if not isinstance(a, np.ndarray):
        raise ValueError(f"{name} must be a NumPy array, got {type(a).__name__}")
    if a.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (rows are units, columns are examples), got shape {a.shape}"
        )
    if not np.issubdtype(a.dtype, np.floating):
        raise ValueError(f"{name} must hold floats, got dtype {a.dtype}")
    return a


def _check_network(X: Array, parameters: Mapping[str, Array], activations: Sequence[str]) -> int:
    _check_2d("X", X)
    L = num_layers(parameters)
    if isinstance(activations, str) or len(activations) != L:
        raise ValueError(
            f"activations must name one activation per layer 1..L (L = {L}), got {activations!r}"
        )
    for name in activations:
        get_activation(name)
    if activations[-1] != OUTPUT_ACTIVATION:
        raise ValueError(
            f"the output layer of a binary classifier is 'sigmoid', got {activations[-1]!r}"
        )
    n_prev = X.shape[0]
    for l in range(1, L + 1):
        W = _check_2d(f"W{l}", parameters[f"W{l}"])
        b = _check_2d(f"b{l}", parameters.get(f"b{l}"))
        if W.shape[1] != n_prev:
            prev = "X" if l == 1 else f"A{l - 1}"
            raise ValueError(
                f"W{l} has shape {W.shape} but {prev} has {n_prev} rows: "
                f"W{l} must be (n[{l}], {n_prev})"
            )
        if b.shape != (W.shape[0], 1):
            raise ValueError(f"b{l} has shape {b.shape}, expected {(W.shape[0], 1)} to match W{l}")
        n_prev = W.shape[0]
    return L


def _check_labels(Y: Array, m: int, name: str = "Y") -> Array:
    if not isinstance(Y, np.ndarray) or Y.ndim != 2 or Y.shape != (1, m):
        shape = getattr(Y, "shape", None)
        raise ValueError(f"{name} must have shape (1, {m}), got {shape}")
    return Y


# --------------------------------------------------------------------------------------
# Forward, cost, backward, update.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerCache:
    """What backward propagation needs from layer l: A[l-1], W[l], Z[l] (and A[l])."""

    A_prev: Array
    W: Array
    b: Array
    Z: Array
    A: Array


def forward_propagation(
    X: Array, parameters: Mapping[str, Array], activations: Sequence[str]
) -> tuple[Array, list[LayerCache]]:
    """Ŷ = A[L] for the m columns of X, and the caches of every layer.

    ``Z[l] = W[l]·A[l-1] + b[l]``, ``A[l] = g[l](Z[l])`` for l = 1..L.
    Returns ``AL`` of shape ``(1, m)`` and ``caches[l-1]`` for layer l.
    """
    L = _check_network(X, parameters, activations)
    with np.errstate(all="ignore"):
        return _forward(X, parameters, activations, L)


def _forward(X, parameters, activations, L):
    # Callers hold np.errstate(all="ignore"): a diverging network may overflow here.
    caches = []
    A = X
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A + b
        A_new = ACTIVATIONS[activations[l - 1]].g(Z)
        caches.append(LayerCache(A, W, b, Z, A_new))
        A = A_new
    return A, caches


def regularization_cost(
    parameters: Mapping[str, Array] | None, m: int, regularization: str = "none", lambd: float = 0.0
) -> float:
    """The penalty added to J: L2 ``(λ/2m) Σ ||W[l]||²_F``, L1 ``(λ/m) Σ |W[l]|``; biases free."""
    if regularization not in REGULARIZATIONS:
        raise ValueError(
            f"unknown regularization {regularization!r}; choose one of {', '.join(REGULARIZATIONS)}"
        )
    if regularization == "none" or lambd == 0 or parameters is None:
        return 0.0
    L = num_layers(parameters)
    with np.errstate(all="ignore"):
        if regularization == "L2":
            s = sum(float(np.sum(np.square(parameters[f"W{l}"]))) for l in range(1, L + 1))
            return lambd / (2 * m) * s
        s = sum(float(np.sum(np.abs(parameters[f"W{l}"]))) for l in range(1, L + 1))
        return lambd / m * s


REGULARIZATIONS = ("none", "L2", "L1")


def compute_cost(
    AL: Array,
    Y: Array,
    *,
    parameters: Mapping[str, Array] | None = None,
    regularization: str = "none",
    lambd: float = 0.0,
) -> float:
    """J = -(1/m) Σ (y log ŷ + (1-y) log(1-ŷ)), plus the regularization term if asked.

    ŷ is clipped to [ε, 1-ε] with ε = 1e-12 (or float32's resolution) before the logs,
    so J is finite when ŷ is exactly 0 or 1 and exact everywhere else.
    """
    _check_2d("AL", AL)
    if AL.shape[0] != 1:
        raise ValueError(f"AL must have shape (1, m), got {AL.shape}")
    m = AL.shape[1]
    if m == 0:
        raise ValueError("AL has no examples (m = 0): the cost is undefined")
    _check_labels(Y, m)
    eps = max(1e-12, float(np.finfo(AL.dtype).eps))
    with np.errstate(all="ignore"):
        P = np.clip(AL, eps, 1 - eps)
        J = -float(np.mean(Y * np.log(P) + (1 - Y) * np.log1p(-P)))
    return J + regularization_cost(parameters, m, regularization, lambd)


def cost_from_logits(ZL: Array, Y: Array) -> float:
    """The same cross-entropy computed from Z[L] = logits, exact even where σ saturates.

    ``L = max(z, 0) - z·y + log(1 + e^-|z|)`` is the loss written without σ or log(0).
    """
    with np.errstate(all="ignore"):
        loss = np.maximum(ZL, 0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL)))
        return float(np.mean(loss))


def backward_propagation(
    AL: Array,
    Y: Array,
    caches: Sequence[LayerCache],
    activations: Sequence[str],
    *,
    regularization: str = "none",
    lambd: float = 0.0,
) -> dict[str, Array]:
    """Gradients ``{"dW1": ..., "db1": ..., "dA0": ...}`` of J, shapes equal to the parameters'.

    Also returns ``dZ{l}`` and ``dA{l-1}`` for the "under the hood" views.
    """
    L = len(caches)
    if len(activations) != L:
        raise ValueError(f"activations names {len(activations)} layers but caches hold {L}")
    _check_2d("AL", AL)
    _check_labels(Y, AL.shape[1])
    if regularization not in REGULARIZATIONS:
        raise ValueError(
            f"unknown regularization {regularization!r}; choose one of {', '.join(REGULARIZATIONS)}"
        )
    with np.errstate(all="ignore"):
        return _backward(AL, Y, caches, activations, regularization, lambd)


def _backward(AL, Y, caches, activations, regularization="none", lambd=0.0):
    # Callers hold np.errstate(all="ignore"), as for _forward.
    L = len(caches)
    m = AL.shape[1]
    grads: dict[str, Array] = {}
    inv_m = AL.dtype.type(1.0 / m)
    # Sigmoid and cross-entropy cancel: dJ/dZ[L] = A[L] - Y (no division by ŷ(1-ŷ)).
    dZ = AL - Y
    for l in range(L, 0, -1):
        c = caches[l - 1]
        grads[f"dZ{l}"] = dZ
        dW = inv_m * (dZ @ c.A_prev.T)
        if regularization == "L2" and lambd:
            dW = dW + AL.dtype.type(lambd / m) * c.W
        elif regularization == "L1" and lambd:
            dW = dW + AL.dtype.type(lambd / m) * np.sign(c.W)
        grads[f"dW{l}"] = dW
        grads[f"db{l}"] = inv_m * np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dA_prev = c.W.T @ dZ
            grads[f"dA{l - 1}"] = dA_prev
            act = ACTIVATIONS[activations[l - 2]]
            prev = caches[l - 2]
            dZ = dA_prev * (act.dg_from_a(prev.A) if act.dg_from_a else act.dg(prev.Z))
    return grads


def update_parameters(
    parameters: Mapping[str, Array], grads: Mapping[str, Array], learning_rate: float
) -> dict[str, Array]:
    """One step of gradient descent: ``W[l] -= α·dW[l]``, ``b[l] -= α·db[l]`` (a new dict)."""
    L = num_layers(parameters)
    for l in range(1, L + 1):
        for p in ("W", "b"):
            if grads[f"d{p}{l}"].shape != parameters[f"{p}{l}"].shape:
                raise ValueError(f"d{p}{l} has shape {grads[f'd{p}{l}'].shape} "
                                 f"but {p}{l} has {parameters[f'{p}{l}'].shape}")
    with np.errstate(all="ignore"):
        return _update(parameters, grads, learning_rate, L)


def _update(parameters, grads, learning_rate, L):
    out = {}
    for l in range(1, L + 1):
        W, b = parameters[f"W{l}"], parameters[f"b{l}"]
        alpha = W.dtype.type(learning_rate)
        out[f"W{l}"] = W - alpha * grads[f"dW{l}"]
        out[f"b{l}"] = b - alpha * grads[f"db{l}"]
    return out


def predict(X: Array, parameters: Mapping[str, Array], activations: Sequence[str]) -> Array:
    """Class predictions ``(1, m)`` of 0/1: 1 where ŷ > 0.5."""
    AL, _ = forward_propagation(X, parameters, activations)
    return (AL > 0.5).astype(np.int64)


def accuracy(AL: Array, Y: Array) -> float:
    """The share of columns where ŷ > 0.5 agrees with y."""
    return float(np.mean((AL > 0.5) == (Y > 0.5)))


# --------------------------------------------------------------------------------------
# Gradient checking, as in the course.
# --------------------------------------------------------------------------------------


def _params_to_vector(parameters: Mapping[str, Array], L: int) -> tuple[Array, list]:
    keys = [(f"{p}{l}", parameters[f"{p}{l}"].shape) for l in range(1, L + 1) for p in ("W", "b")]
    vec = np.concatenate([parameters[k].astype(np.float64).ravel() for k, _ in keys])
    return vec, keys


def _vector_to_params(vec: Array, keys: list) -> dict[str, Array]:
    out, i = {}, 0
    for k, shape in keys:
        n = int(np.prod(shape))
        out[k] = vec[i:i + n].reshape(shape)
        i += n
    return out


def gradient_check(
    X: Array,
    Y: Array,
    parameters: Mapping[str, Array],
    activations: Sequence[str],
    epsilon: float = 1e-7,
    *,
    regularization: str = "none",
    lambd: float = 0.0,
) -> float:
    """Relative difference between backprop's gradient and the two-sided numerical one.

    ``||grad - gradapprox|| / (||grad|| + ||gradapprox||)``, computed in float64 with
    ``gradapprox_i = (J(θ + ε e_i) - J(θ - ε e_i)) / 2ε``. Below 1e-7 is great; above
    1e-3 there is almost surely a bug.
    """
    L = _check_network(X, parameters, activations)
    X = X.astype(np.float64)
    Y = _check_labels(Y, X.shape[1]).astype(np.float64)
    reg = {"regularization": regularization, "lambd": lambd}
    theta, keys = _params_to_vector(parameters, L)

    def J(vec):
        p = _vector_to_params(vec, keys)
        AL, _ = _forward(X, p, activations, L)
        return compute_cost(AL, Y, parameters=p, **reg)

    p64 = _vector_to_params(theta, keys)
    with np.errstate(all="ignore"):
        AL, caches = _forward(X, p64, activations, L)
        grads = _backward(AL, Y, caches, activations, regularization, lambd)
    grad = np.concatenate(
        [grads[f"d{p}{l}"].ravel() for l in range(1, L + 1) for p in ("W", "b")]
    )
    approx = np.empty_like(theta)
    with np.errstate(all="ignore"):
        for i in range(theta.size):
            plus, minus = theta.copy(), theta.copy()
            plus[i] += epsilon
            minus[i] -= epsilon
            approx[i] = (J(plus) - J(minus)) / (2 * epsilon)
    denom = np.linalg.norm(grad) + np.linalg.norm(approx)
    if denom == 0:
        return 0.0
    return float(np.linalg.norm(grad - approx) / denom)
