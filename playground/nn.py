"""The NumPy core: an L-layer binary classifier in the course's notation.

Shapes (columns are examples, see ``docs/notation.md``):

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
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

Array = np.ndarray

# --------------------------------------------------------------------------------------
# Activations: one registry, keyed by the names the UI shows.
# --------------------------------------------------------------------------------------

LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0
_GELU_C = math.sqrt(2.0 / math.pi)


def _floats(z) -> Array:
    """z as a float array: activations compute in z's float dtype (float64 for integers)."""
    if type(z) is np.ndarray and z.dtype.kind == "f":  # the hot path: nothing to do
        return z
    z = np.asarray(z)
    if z.dtype.kind in "biu":
        return z.astype(np.float64)
    if z.dtype.kind != "f":
        raise ValueError(f"activations take real numbers, got dtype {z.dtype}")
    return z


def _const(z: Array, value: float) -> Array:
    """A scalar in z's dtype, so that constants never upcast float32 arrays."""
    return z.dtype.type(value)


def sigmoid(z: Array) -> Array:
    """σ(z) = 1 / (1 + e^-z), via e^-|z| so that no exp overflows."""
    return _sigmoid_and_e(z)[0]


def _sigmoid_and_e(z: Array) -> tuple[Array, Array]:
    """σ(z), and the e^-|z| it is computed from (the cost from logits needs the same)."""
    z = _floats(z)
    e = np.exp(-np.abs(z))
    one = _const(z, 1.0)
    d = one + e
    return np.where(z >= 0, one / d, e / d), e  # e/d = e^z/(1 + e^z) for z < 0


def _sigmoid_d(z: Array) -> Array:
    s = sigmoid(z)
    return s * (1 - s)


def _sigmoid_d_from_a(a: Array) -> Array:
    a = _floats(a)
    return a * (1 - a)


def _tanh(z: Array) -> Array:
    return np.tanh(_floats(z))


def _tanh_d(z: Array) -> Array:
    t = np.tanh(_floats(z))
    return 1 - t * t


def _tanh_d_from_a(a: Array) -> Array:
    a = _floats(a)
    d = a * a
    if d.ndim == 0:
        return 1 - d
    return np.subtract(1, d, out=d)  # 1 - a² in place: the same numbers, one array fewer


def _relu(z: Array) -> Array:
    z = _floats(z)
    return np.maximum(z, _const(z, 0.0))


def _relu_d(z: Array) -> Array:
    # g'(0) is taken as 0 (the subgradient at the kink; the course lets us pick).
    z = _floats(z)
    return (z > 0).astype(z.dtype)


def _leaky_relu(z: Array) -> Array:
    z = _floats(z)
    return np.where(z > 0, z, _const(z, LEAKY_SLOPE) * z)


def _leaky_relu_d(z: Array) -> Array:
    z = _floats(z)
    return np.where(z > 0, _const(z, 1.0), _const(z, LEAKY_SLOPE))


def _linear(z: Array) -> Array:
    return _floats(z)


def _linear_d(z: Array) -> Array:
    return np.ones_like(_floats(z))


def _elu(z: Array) -> Array:
    z = _floats(z)
    return np.where(z > 0, z, _const(z, ELU_ALPHA) * np.expm1(np.minimum(z, 0)))


def _elu_d(z: Array) -> Array:
    z = _floats(z)
    return np.where(z > 0, _const(z, 1.0), _const(z, ELU_ALPHA) * np.exp(np.minimum(z, 0)))


def _finite(z: Array) -> Array:
    """z with ±inf moved to the dtype's largest finite value, for products like z·σ(z)
    whose other factor is exactly 0 there (inf·0 would be NaN, and warn)."""
    big = np.finfo(z.dtype).max
    return np.clip(z, -big, big)


def _softplus(z: Array) -> Array:
    z = _floats(z)
    with np.errstate(invalid="ignore"):  # logaddexp warns on NaN (and returns NaN)
        return np.logaddexp(_const(z, 0.0), z)


def _silu(z: Array) -> Array:
    z = _floats(z)
    return _finite(z) * sigmoid(z)


def _silu_d(z: Array) -> Array:
    z = _floats(z)
    s = sigmoid(z)
    return s + _finite(z) * s * (1 - s)


# Beyond |z| = 20 the inner term is > 300 and tanh is ±1 to the last bit (already from
# |z| ≈ 7.3 in float64), so clipping there changes no number and z³ cannot overflow, not
# even in float16.
_GELU_CLIP = 20.0


def _gelu_inner(z: Array) -> Array:
    zc = np.clip(z, -_GELU_CLIP, _GELU_CLIP)
    return _const(z, _GELU_C) * (zc + _const(z, 0.044715) * zc * zc * zc)


def _gelu(z: Array) -> Array:
    # The tanh approximation (Hendrycks & Gimpel), the form most libraries ship.
    z = _floats(z)
    return _const(z, 0.5) * _finite(z) * (1 + np.tanh(_gelu_inner(z)))


def _gelu_d(z: Array) -> Array:
    z = _floats(z)
    t = np.tanh(_gelu_inner(z))
    zc = np.clip(z, -_GELU_CLIP, _GELU_CLIP)
    inner_d = _const(z, _GELU_C) * (1 + _const(z, 3 * 0.044715) * zc * zc)
    # zc, not z, in the second term: beyond the clip 1 - t² is exactly 0 anyway.
    return _const(z, 0.5) * (1 + t) + _const(z, 0.5) * zc * (1 - t * t) * inner_d


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
    # Whether g' falls toward 0 somewhere (sigmoid and tanh tails, ReLU's off side, ...),
    # so that a unit can saturate. A leaky ReLU's left slope is its leak, 0.01, on the whole
    # side by design: a unit there keeps learning, slowly; it is not saturated.
    saturates: bool = True


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", "sigmoid", sigmoid, _sigmoid_d,
                   r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"g'(z) = g(z)\,(1 - g(z))",
                   _sigmoid_d_from_a),
        Activation("tanh", "tanh", _tanh, _tanh_d,
                   r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}", r"g'(z) = 1 - g(z)^2",
                   _tanh_d_from_a),
        Activation("relu", "ReLU", _relu, _relu_d,
                   r"\mathrm{ReLU}(z) = \max(0, z)",
                   r"g'(z) = \begin{cases}0 & z \le 0\\ 1 & z > 0\end{cases}", _relu_d),
        Activation("leaky_relu", "leaky ReLU", _leaky_relu, _leaky_relu_d,
                   r"\mathrm{leaky}(z) = \max(0.01z, z)",
                   r"g'(z) = \begin{cases}0.01 & z \le 0\\ 1 & z > 0\end{cases}", _leaky_relu_d,
                   saturates=False),
        Activation("linear", "linear", _linear, _linear_d, r"g(z) = z", r"g'(z) = 1", _linear_d,
                   saturates=False),
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


MAX_PARAMETERS = 10_000_000  # 80 MB of float64: far beyond any playground network


def _check_layer_dims(layer_dims: Sequence[int]) -> list[int]:
    message = f"layer_dims must be a list of whole numbers, got {layer_dims!r}"
    if isinstance(layer_dims, (str, bytes)):
        raise ValueError(message)
    try:
        dims = [int(n) for n in layer_dims]
        whole = all(n == float(o) for n, o in zip(dims, layer_dims, strict=True))
    except (TypeError, ValueError, OverflowError):
        raise ValueError(message) from None
    if len(dims) < 2:
        raise ValueError(f"layer_dims needs at least [n_x, 1], got {dims}")
    if not whole:
        raise ValueError(f"layer_dims must be whole numbers, got {list(layer_dims)}")
    if any(n < 1 for n in dims):
        raise ValueError(f"every layer needs at least 1 unit, got layer_dims={dims}")
    count = sum(dims[l] * (dims[l - 1] + 1) for l in range(1, len(dims)))
    if count > MAX_PARAMETERS:
        raise ValueError(f"layer_dims={dims} would need {count:,} parameters; "
                         f"the playground allows at most {MAX_PARAMETERS:,}")
    return dims


def _is_real(x: object) -> bool:
    """A real number, not a bool (``True`` is no learning rate)."""
    if type(x) is float or type(x) is int:  # the common case, without the ABC check
        return True
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))


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
    dtype : a float dtype (float64 or float32, usually).

    Raises ``ValueError`` for anything else, with a message that says what is wrong.
    """
    dims = _check_layer_dims(layer_dims)
    if not isinstance(method, str) or method not in INITIALIZATIONS:
        raise ValueError(
            f"unknown initialization {method!r}; choose one of {', '.join(INITIALIZATIONS)}"
        )
    if scale is None:
        scale = INITIALIZATIONS[method].default_scale
    if scale is not None and not (_is_real(scale) and math.isfinite(scale)):
        raise ValueError(f"the initialization scale must be a finite number, got {scale!r}")
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise ValueError(f"dtype must be a float type such as float64, got {dtype!r}") from None
    if dtype.kind != "f":
        raise ValueError(f"dtype must be a float type such as float64, got {dtype}")
    try:
        rng = np.random.default_rng(seed)
    except (TypeError, ValueError):
        raise ValueError(f"the seed must be a whole number ≥ 0, got {seed!r}") from None
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
    if not isinstance(parameters, (dict, Mapping)):  # dict first: no ABC check
        raise ValueError(
            f"parameters must be a dict of W1, b1, ..., WL, bL, got {type(parameters).__name__}"
        )
    L = 0
    while f"W{L + 1}" in parameters:
        L += 1
    if L == 0:
        raise ValueError("parameters has no 'W1': expected keys W1, b1, ..., WL, bL")
    return L


@lru_cache(maxsize=64)
def _names(L: int) -> tuple[tuple[str, ...], ...]:
    """``(W{l}, b{l}, dW{l}, db{l}, dZ{l}, dA{l-1})`` for l = 0..L (row 0 unused): the
    hot loops look the keys up instead of formatting them every iteration."""
    return tuple((f"W{l}", f"b{l}", f"dW{l}", f"db{l}", f"dZ{l}", f"dA{l - 1}")
                 for l in range(L + 1))


# --------------------------------------------------------------------------------------
# Validation at the boundary.
# --------------------------------------------------------------------------------------


def _check_2d(name: str, a: object) -> Array:
    if type(a) is np.ndarray and a.ndim == 2 and a.dtype.kind == "f":
        return a
    if not isinstance(a, np.ndarray):
        raise ValueError(f"{name} must be a NumPy array, got {type(a).__name__}")
    if a.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D (rows are units, columns are examples), got shape {a.shape}"
        )
    if a.dtype.kind != "f":
        raise ValueError(f"{name} must hold floats, got dtype {a.dtype}")
    return a


def _check_activations(activations: Sequence[str], L: int) -> Sequence[str]:
    """The activation names, one per layer 1..L, the last one sigmoid."""
    if type(activations) is list or type(activations) is tuple:
        try:
            if _valid_activations(tuple(activations), L):
                return activations
        except TypeError:  # an unhashable name: the checks below say what is wrong
            pass
    if isinstance(activations, (str, bytes)) or not hasattr(activations, "__iter__"):
        raise ValueError(
            f"activations must name one activation per layer 1..L (L = {L}), got {activations!r}"
        )
    acts = list(activations)
    if len(acts) != L:
        raise ValueError(
            f"activations must name one activation per layer 1..L (L = {L}), got {acts!r}"
        )
    for name in acts:
        get_activation(name)
    if acts[-1] != OUTPUT_ACTIVATION:
        raise ValueError(
            f"the output layer of a binary classifier is 'sigmoid', got {acts[-1]!r}"
        )
    return acts


@lru_cache(maxsize=256)
def _valid_activations(activations: tuple, L: int) -> bool:
    """Whether the names pass the checks of _check_activations (remembered: a page asks
    the same question every iteration)."""
    return (len(activations) == L and activations[-1] == OUTPUT_ACTIVATION
            and all(type(a) is str and a in ACTIVATIONS for a in activations))


def _check_network(
    X: Array, parameters: Mapping[str, Array], activations: Sequence[str]
) -> tuple[int, list[str]]:
    """L and the activations as a list, once X, the parameters and the names agree."""
    _check_2d("X", X)
    L = num_layers(parameters)
    acts = _check_activations(activations, L)
    n_prev = X.shape[0]
    names = _names(L)
    for l in range(1, L + 1):
        W = _check_2d(names[l][0], parameters[names[l][0]])
        b = _check_2d(names[l][1], parameters.get(names[l][1]))
        if W.shape[1] != n_prev:
            prev = "X" if l == 1 else f"A{l - 1}"
            raise ValueError(
                f"W{l} has shape {W.shape} but {prev} has shape {(n_prev, X.shape[1])}: "
                f"W{l} must be (n[{l}], {n_prev}), one column per row of {prev}"
            )
        if b.shape != (W.shape[0], 1):
            raise ValueError(
                f"b{l} has shape {b.shape} but W{l} has shape {W.shape}: "
                f"b{l} must be {(W.shape[0], 1)}"
            )
        n_prev = W.shape[0]
    return L, acts


def _check_labels(Y: Array, m: int, name: str = "Y") -> Array:
    if not isinstance(Y, np.ndarray) or Y.ndim != 2 or Y.shape != (1, m):
        shape = getattr(Y, "shape", None)
        raise ValueError(f"{name} must have shape (1, {m}), got {shape}")
    if Y.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold the labels 0 and 1 as numbers, got dtype {Y.dtype}")
    return Y


def _check_output(name: str, A: object) -> int:
    """m, once ``A`` (ŷ or Z[L]) is a float array of shape (1, m) with m ≥ 1."""
    _check_2d(name, A)
    if A.shape[0] != 1:
        raise ValueError(f"{name} must have shape (1, m), got {A.shape}")
    if A.shape[1] == 0:
        raise ValueError(f"{name} has no examples (m = 0): the cost is undefined")
    return A.shape[1]


def _check_regularization(regularization: str, lambd: float) -> None:
    if regularization == "none" and lambd == 0 and type(lambd) in (float, int):
        return
    if not isinstance(regularization, str) or regularization not in REGULARIZATIONS:
        raise ValueError(
            f"unknown regularization {regularization!r}; choose one of {', '.join(REGULARIZATIONS)}"
        )
    if not (_is_real(lambd) and math.isfinite(lambd) and lambd >= 0):
        raise ValueError(f"λ (lambd) must be a finite number ≥ 0, got {lambd!r}")


# --------------------------------------------------------------------------------------
# Forward, cost, backward, update.
#
# The public functions validate their arguments, then run the unchecked ``_forward``,
# ``_cost_from_logits``, ``_backward`` and ``_update`` (which the training loop calls
# directly) under one ``np.errstate(all="ignore")``.
# --------------------------------------------------------------------------------------


def _equal_rows(M: Array) -> bool:
    """Every row of M is the same, bit for bit (and there are at least two)."""
    if M.shape[0] < 2 or M.shape[1] == 0 or M[0, 0] != M[1, 0]:
        return False  # the usual case, decided by one comparison
    return bool((M == M[:1]).all())


def _dot(P: Array, Q: Array, rows: bool = False, cols: bool = False) -> Array:
    """``P @ Q`` where, if asked, equal rows of P give bit-equal rows of the product
    (``rows``) and equal columns of Q bit-equal columns (``cols``).

    BLAS alone does not promise that: it may round a row differently depending on where
    it sits in the matrix (OpenBLAS leaves the rows after a multiple of 4 to another
    kernel), and in a layer of clones (zeros or constant initialization) those last-bit
    differences grow until the units split, which exact arithmetic never lets happen.
    So a block of equal rows is computed once and repeated. Otherwise this is ``P @ Q``.
    """
    if P.shape[1] == 1:
        # An outer product (dA[L-1] = W[L]ᵀ·dZ[L] always is one). matmul does not hand
        # those to BLAS but runs its own loop, each entry 0 + p·q; the same numbers
        # (+0 + -0 is +0) come from an element-wise product and + 0, 2-4 times faster.
        # Element-wise, it keeps equal rows and columns equal by itself.
        R = P * Q
        R += 0.0
        return R
    # One comparison decides the usual case (not clones) before _equal_rows is called.
    same_rows = (rows and P.shape[0] > 1 and P.shape[1] > 0 and P[0, 0] == P[1, 0]
                 and _equal_rows(P))
    same_cols = (cols and Q.shape[1] > 1 and Q.shape[0] > 0 and Q[0, 0] == Q[0, 1]
                 and _equal_rows(Q.T))
    if not (same_rows or same_cols):
        return P @ Q
    R = (P[:1] if same_rows else P) @ (Q[:, :1] if same_cols else Q)
    if same_rows:
        R = np.repeat(R, P.shape[0], axis=0)
    if same_cols:
        R = np.repeat(R, Q.shape[1], axis=1)
    return R


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
    L, acts = _check_network(X, parameters, activations)
    with np.errstate(all="ignore"):
        return _forward(X, parameters, acts, L)


def _forward(X, parameters, activations, L):
    # Callers hold np.errstate(all="ignore"): a diverging network may overflow here.
    A, caches, _ = _forward_e(X, parameters, activations, L)
    return A, caches


def _forward_e(X, parameters, activations, L):
    """``_forward``, and also the ``e^-|Z[L]|`` a sigmoid output layer computed ŷ from
    (None for another output activation): ``_cost_from_logits`` takes it instead of
    computing it again. The training loop calls this one."""
    caches = []
    A = X
    e = None
    names = _names(L)
    for l in range(1, L + 1):
        W, b = parameters[names[l][0]], parameters[names[l][1]]
        Z = _dot(W, A, rows=True)  # clone units (equal rows of W) get bit-equal Z rows
        if Z.dtype == b.dtype:
            Z += b  # W·A + b without a second (n[l], m) array
        else:
            Z = Z + b
        if l == L and activations[l - 1] == "sigmoid":
            A_new, e = _sigmoid_and_e(Z)  # ACTIVATIONS["sigmoid"].g, keeping its e
        else:
            A_new = ACTIVATIONS[activations[l - 1]].g(Z)
        caches.append(LayerCache(A, W, b, Z, A_new))
        A = A_new
    return A, caches, e


def _forward_output(X, parameters, activations, L):
    """``A[L]`` and ``Z[L]`` of ``_forward_e`` (the same numbers, the same operations)
    without the caches, and its ``e``: the read-outs of a data set need no more."""
    A = Z = X
    e = None
    names = _names(L)
    for l in range(1, L + 1):
        W, b = parameters[names[l][0]], parameters[names[l][1]]
        Z, A, e = _bias_and_activation(_dot(W, A, rows=True), b, activations[l - 1], l == L)
    return A, Z, e


def _bias_and_activation(Z: Array, b: Array, activation: str, last: bool):
    """``Z + b`` (in place when the dtypes agree) and ``A = g(Z)``, with the output
    sigmoid's ``e^-|Z|`` (else None): the end of one layer of the read-out passes."""
    if Z.dtype == b.dtype:
        Z += b
    else:
        Z = Z + b
    if last and activation == "sigmoid":
        A, e = _sigmoid_and_e(Z)
        return Z, A, e
    return Z, ACTIVATIONS[activation].g(Z), None


def _dot_stack(P: Array, Q: Array, rows: bool = False, cols: bool = False) -> Array:
    """``_dot(P[i], Q[i], rows, cols)`` for a stack of K matrices ``P`` ``(K, p, k)`` and
    ``Q`` ``(K, k, q)`` (or one ``(k, q)`` for all), as one ``(K, p, q)`` array, bit for
    bit: matmul multiplies the stack one matrix after the other with the very BLAS call
    ``_dot`` makes (the same shapes and layouts: a transposed view of a stack is a stack
    of transposed views); the outer products are the same element-wise products, and a
    P with equal rows (a Q with equal columns) gets its one row (column) computed and
    repeated, like ``_dot`` does."""
    if P.shape[2] == 1:
        R = P * Q
        R += 0.0
        return R
    R = P @ Q
    K, p, q = R.shape
    one_row = [False] * K
    if rows and p > 1:
        one_row = [maybe and _equal_rows(P[i])
                   for i, maybe in enumerate((P[:, 0, 0] == P[:, 1, 0]).tolist())]
    one_col = [False] * K
    if cols and q > 1:
        if Q.ndim == 2:
            one_col = [bool(Q[0, 0] == Q[0, 1]) and _equal_rows(Q.T)] * K
        else:
            one_col = [maybe and _equal_rows(Q[i].T)
                       for i, maybe in enumerate((Q[:, 0, 0] == Q[:, 0, 1]).tolist())]
    for i in range(K):
        if one_row[i] or one_col[i]:
            Pi, Qi = P[i], (Q if Q.ndim == 2 else Q[i])
            Ri = (Pi[:1] if one_row[i] else Pi) @ (Qi[:, :1] if one_col[i] else Qi)
            if one_row[i]:
                Ri = np.repeat(Ri, p, axis=0)
            if one_col[i]:
                Ri = np.repeat(Ri, q, axis=1)
            R[i] = Ri
    return R


def _train_stack(X, Y, Ws, bs, activations, L, regularization="none", lambd=0.0):
    """For K parameter sets stacked as in ``_forward_stack``, on the training set (X, Y):
    A[L], Z[L] and e of ``_forward_e``, and the dW[l] of ``_backward`` (l = 1..L), each
    ``(K, ...)``, bit for bit: the same operations, the products through ``_dot_stack``.
    (The history of mini-batch training reads these on the whole training set.) Callers
    hold np.errstate."""
    As, Zs = [X], []
    e = None
    for l in range(1, L + 1):
        Z = _dot_stack(Ws[l - 1], As[-1], rows=True)
        b = bs[l - 1]
        if Z.dtype == b.dtype:
            Z += b
        else:
            Z = Z + b
        if l == L and activations[l - 1] == "sigmoid":
            A, e = _sigmoid_and_e(Z)
        else:
            A = ACTIVATIONS[activations[l - 1]].g(Z)
        Zs.append(Z)
        As.append(A)
    AL = As[-1]
    inv_m = AL.dtype.type(1.0 / AL.shape[-1])
    penalty = None
    if lambd and regularization in ("L2", "L1"):
        penalty = AL.dtype.type(lambd / AL.shape[-1])
    dWs = [None] * L
    dZ = AL - Y
    for l in range(L, 0, -1):
        A_prev, W = As[l - 1], Ws[l - 1]
        dW = _dot_stack(dZ, A_prev.T if A_prev.ndim == 2 else A_prev.transpose(0, 2, 1),
                        rows=True, cols=True)
        dW *= inv_m
        if penalty is not None:
            dW = dW + penalty * (W if regularization == "L2" else np.sign(W))
        dWs[l - 1] = dW
        if l > 1:
            dA_prev = _dot_stack(W.transpose(0, 2, 1), dZ, rows=True)
            act = ACTIVATIONS[activations[l - 2]]
            dZ = dA_prev * (act.dg_from_a(As[l - 1]) if act.dg_from_a else act.dg(Zs[l - 2]))
    return AL, Zs[-1], e, dWs


def _forward_stack(X, Ws, bs, activations, L):
    """``_forward(X, parameters_i, activations, L)`` for K parameter sets at once, bit for
    bit: ``Ws[l-1]`` and ``bs[l-1]`` stack the K sets' W[l] ``(K, n[l], n[l-1])`` and
    b[l] ``(K, n[l], 1)``. Returns A[L] and Z[L] ``(K, 1, m)``, and e^-|Z[L]| as
    ``_forward_e`` does (None unless the output layer is the sigmoid); no caches.
    NumPy's element-wise functions give each element the same value wherever it sits in
    an array (the batched trainer relies on it too). Callers hold np.errstate."""
    A = Z = X
    e = None
    for l in range(1, L + 1):
        Z, A, e = _bias_and_activation(_dot_stack(Ws[l - 1], A, rows=True), bs[l - 1],
                                       activations[l - 1], l == L)
    return A, Z, e


def regularization_cost(
    parameters: Mapping[str, Array] | None, m: int, regularization: str = "none", lambd: float = 0.0
) -> float:
    """The penalty added to J: L2 ``(λ/2m) Σ ||W[l]||²_F``, L1 ``(λ/m) Σ |W[l]|``; biases free."""
    _check_regularization(regularization, lambd)
    if regularization == "none" or lambd == 0 or parameters is None:
        return 0.0
    if not (isinstance(m, numbers.Integral) and m >= 1):
        raise ValueError(f"m must be the number of examples (≥ 1), got {m!r}")
    L = num_layers(parameters)
    with np.errstate(all="ignore"):
        return _regularization_cost(parameters, m, regularization, lambd, L)


def _regularization_cost(parameters, m, regularization, lambd, L) -> float:
    if regularization == "none" or lambd == 0:
        return 0.0
    if regularization == "L2":
        s = sum(float(np.sum(np.square(parameters[f"W{l}"]))) for l in range(1, L + 1))
        return lambd / (2 * m) * s
    s = sum(float(np.sum(np.abs(parameters[f"W{l}"]))) for l in range(1, L + 1))
    return lambd / m * s


def _regularization_costs(Ws, m, regularization, lambd) -> list[float]:
    """``_regularization_cost`` of K parameter sets from their stacked W[l]
    ``Ws[l-1]`` ``(K, n[l], n[l-1])``, bit for bit: each set's np.sum is the pairwise sum
    of its W's entries in order, as is each row of the stack reshaped to (K, n·k), and
    the layers' sums are added with the same ``sum``."""
    K = Ws[0].shape[0]
    if regularization == "none" or lambd == 0:
        return [0.0] * K
    f = np.square if regularization == "L2" else np.abs
    per_layer = [np.add.reduce(f(W).reshape(K, -1), axis=1).tolist() for W in Ws]
    scale = lambd / (2 * m) if regularization == "L2" else lambd / m
    return [scale * sum(s) for s in zip(*per_layer, strict=True)]


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
    m = _check_output("AL", AL)
    _check_labels(Y, m)
    _check_regularization(regularization, lambd)
    eps = max(1e-12, float(np.finfo(AL.dtype).eps))
    with np.errstate(all="ignore"):
        P = np.clip(AL, eps, 1 - eps)
        J = -float(np.mean(Y * np.log(P) + (1 - Y) * np.log1p(-P)))
    return J + regularization_cost(parameters, m, regularization, lambd)


def cost_from_logits(ZL: Array, Y: Array) -> float:
    """The same cross-entropy computed from Z[L] = logits, exact even where σ saturates.

    ``L = max(z, 0) - z·y + log(1 + e^-|z|)`` is the loss written without σ or log(0).
    ``ZL`` and ``Y`` have shape ``(1, m)``.
    """
    m = _check_output("ZL", ZL)
    _check_labels(Y, m)
    with np.errstate(all="ignore"):
        return _cost_from_logits(ZL, Y)


def _cost_from_logits(ZL, Y, e=None) -> float:
    # Callers hold np.errstate(all="ignore"). ``e``, if given, is e^-|ZL| as
    # ``_sigmoid_and_e`` computed it for ZL: np.exp(-np.abs(ZL)), the same numbers.
    if e is None:
        e = np.exp(-np.abs(ZL))
    loss = np.maximum(ZL, 0) - ZL * Y + np.log1p(e)
    return _mean(loss)


def _mean(a: Array) -> float:
    """``float(np.mean(a))`` to the last bit, without np.mean's Python-level overhead."""
    if a.dtype.kind != "f" or a.dtype.itemsize < 4 or a.size == 0:
        return float(np.mean(a))
    s = np.add.reduce(a, axis=None)
    # np.mean divides the sum by the count as an np.intp, which for a float32 or float64
    # sum is a float64 division, then casts back to a's dtype. Python's float division is
    # that division (the count is exact as a double).
    if a.dtype.itemsize == 8:
        return float(s) / a.size
    if a.dtype.itemsize == 4:
        return float(np.float32(float(s) / a.size))
    return float(s.dtype.type(s / np.intp(a.size)))


def _costs_from_logits(ZL: Array, Y: Array, e: Array | None = None) -> list[float]:
    """``_cost_from_logits(ZL[i:i+1], Y, e[i:i+1])`` for every row i of ``ZL`` ``(K, m)``
    (``e`` likewise), bit for bit: the same element-wise operations, then each row summed
    as ``_mean`` sums it (NumPy's pairwise summation along a contiguous row depends only
    on the row) and divided as ``_mean`` divides."""
    if e is None:
        e = np.exp(-np.abs(ZL))
    loss = np.maximum(ZL, 0) - ZL * Y + np.log1p(e)
    m = loss.shape[1]
    if loss.dtype.kind != "f" or loss.dtype.itemsize not in (4, 8) or m == 0:
        return [_mean(row) for row in loss]
    s = np.add.reduce(loss, axis=1)
    if s.dtype.itemsize == 8:
        return (s / m).tolist()
    return (s.astype(np.float64) / m).astype(np.float32).tolist()


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
    if isinstance(caches, (str, bytes)) or not hasattr(caches, "__len__"):
        raise ValueError(f"caches must be the list forward_propagation returned, got {caches!r}")
    caches = list(caches)
    L = len(caches)
    if L == 0:
        raise ValueError("caches is empty: run forward_propagation first")
    for c in caches:
        if not isinstance(c, LayerCache):
            raise ValueError("caches must be the list of LayerCache forward_propagation returned")
    acts = _check_activations(activations, L)
    m = _check_output("AL", AL)
    _check_labels(Y, m)
    _check_regularization(regularization, lambd)
    with np.errstate(all="ignore"):
        return _backward(AL, Y, caches, acts, regularization, lambd)


def _backward(AL, Y, caches, activations, regularization="none", lambd=0.0):
    # Callers hold np.errstate(all="ignore"), as for _forward.
    L = len(caches)
    m = AL.shape[1]
    names = _names(L)
    grads: dict[str, Array] = {}
    inv_m = AL.dtype.type(1.0 / m)
    penalty = None
    if lambd and regularization in ("L2", "L1"):
        penalty = AL.dtype.type(lambd / m)
    # Sigmoid and cross-entropy cancel: dJ/dZ[L] = A[L] - Y (no division by ŷ(1-ŷ)).
    dZ = AL - Y
    for l in range(L, 0, -1):
        c = caches[l - 1]
        _, _, k_dW, k_db, k_dZ, k_dA = names[l]
        grads[k_dZ] = dZ
        # (1/m)·dZ·Aᵀ and (1/m)·Σ dZ, scaled in place (the same numbers as inv_m * (...)):
        # the product's dtype is at least AL's, so the in-place result keeps it. Clones in
        # layer l (equal rows of dZ) and in l-1 (equal rows of A[l-1]) get equal dW rows
        # and columns.
        dW = _dot(dZ, c.A_prev.T, rows=True, cols=True)
        dW *= inv_m
        if penalty is not None:
            if regularization == "L2":
                dW = dW + penalty * c.W
            else:
                dW = dW + penalty * np.sign(c.W)
        grads[k_dW] = dW
        db = np.add.reduce(dZ, axis=1, keepdims=True)
        db *= inv_m
        grads[k_db] = db
        if l > 1:
            dA_prev = _dot(c.W.T, dZ, rows=True)  # clones in l-1: equal columns of W[l]
            grads[k_dA] = dA_prev
            act = ACTIVATIONS[activations[l - 2]]
            prev = caches[l - 2]
            dZ = dA_prev * (act.dg_from_a(prev.A) if act.dg_from_a else act.dg(prev.Z))
    return grads


def update_parameters(
    parameters: Mapping[str, Array], grads: Mapping[str, Array], learning_rate: float
) -> dict[str, Array]:
    """One step of gradient descent: ``W[l] -= α·dW[l]``, ``b[l] -= α·db[l]`` (a new dict)."""
    L = num_layers(parameters)
    if not isinstance(grads, (dict, Mapping)):
        raise ValueError(f"grads must be the dict backward_propagation returned, "
                         f"got {type(grads).__name__}")
    if not (_is_real(learning_rate) and math.isfinite(learning_rate)):
        raise ValueError(f"the learning rate α must be a finite number, got {learning_rate!r}")
    names = _names(L)
    for l in range(1, L + 1):
        k_W, k_b, k_dW, k_db, _, _ = names[l]
        for k, dk in ((k_W, k_dW), (k_b, k_db)):
            param, grad = parameters.get(k), grads.get(dk)
            if (type(param) is np.ndarray and type(grad) is np.ndarray
                    and param.shape == grad.shape and param.ndim == 2
                    and param.dtype.kind == "f" and grad.dtype.kind == "f"):
                continue  # the usual case, checked at once
            if param is None:
                raise ValueError(f"parameters has W{l} but no {k}")
            if grad is None:
                raise ValueError(f"grads has no {dk} for the parameter {k}")
            _check_2d(k, param)
            _check_2d(dk, grad)
            raise ValueError(f"{dk} has shape {grad.shape} but {k} has {param.shape}")
    with np.errstate(all="ignore"):
        return _update(parameters, grads, learning_rate, L)


def _update(parameters, grads, learning_rate, L):
    out = {}
    names = _names(L)
    alpha = None
    for l in range(1, L + 1):
        k_W, k_b, k_dW, k_db, _, _ = names[l]
        W, b = parameters[k_W], parameters[k_b]
        if alpha is None or alpha.dtype != W.dtype:
            alpha = W.dtype.type(learning_rate)
        # W - α·dW with the product's array reused for the result: the same numbers, since
        # α has W's dtype and so the product's dtype already holds the difference's.
        step = alpha * grads[k_dW]
        out[k_W] = np.subtract(W, step, out=step)
        step = alpha * grads[k_db]
        out[k_b] = np.subtract(b, step, out=step)
    return out


def predict(X: Array, parameters: Mapping[str, Array], activations: Sequence[str]) -> Array:
    """Class predictions ``(1, m)`` of 0/1: 1 where ŷ > 0.5."""
    AL, _ = forward_propagation(X, parameters, activations)
    return (AL > 0.5).astype(np.int64)


def accuracy(AL: Array, Y: Array) -> float:
    """The share of columns where ŷ > 0.5 agrees with y (``AL`` may also hold 0/1
    predictions); both of shape ``(1, m)`` with m ≥ 1."""
    if not isinstance(AL, np.ndarray) or AL.ndim != 2 or AL.shape[0] != 1:
        raise ValueError(f"AL must have shape (1, m), got {getattr(AL, 'shape', None)}")
    if AL.dtype.kind not in "biuf":
        raise ValueError(f"AL must hold numbers, got dtype {AL.dtype}")
    if AL.shape[1] == 0:
        raise ValueError("AL has no examples (m = 0): the accuracy is undefined")
    _check_labels(Y, AL.shape[1])
    return _accuracy(AL, Y)


def _accuracy(AL, Y) -> float:
    # count / m is np.mean of the booleans to the last bit (both are exact up to 2**53).
    return np.count_nonzero((AL > 0.5) == (Y > 0.5)) / AL.shape[1]


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
    L, acts = _check_network(X, parameters, activations)
    m = X.shape[1]
    if m == 0:
        raise ValueError("X has no examples (m = 0): the cost is undefined")
    if not (_is_real(epsilon) and math.isfinite(epsilon) and epsilon > 0):
        raise ValueError(f"epsilon must be a small positive number, got {epsilon!r}")
    _check_regularization(regularization, lambd)
    X = X.astype(np.float64)
    Y = _check_labels(Y, m).astype(np.float64)
    theta, keys = _params_to_vector(parameters, L)

    def J(vec):
        p = _vector_to_params(vec, keys)
        AL, _ = _forward(X, p, acts, L)
        return compute_cost(AL, Y, parameters=p, regularization=regularization, lambd=lambd)

    p64 = _vector_to_params(theta, keys)
    with np.errstate(all="ignore"):
        AL, caches = _forward(X, p64, acts, L)
        grads = _backward(AL, Y, caches, acts, regularization, lambd)
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
