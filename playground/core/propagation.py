"""An L-layer binary classifier, in the course's notation: the code every page runs.

Shapes (columns are examples; see ``docs/notation.md``):

* ``X = A[0]``: ``(n[0], m)``; ``Y``: ``(1, m)`` of 0/1; ``L`` layers, ``n[l]`` units each
* ``W[l]``: ``(n[l], n[l-1])``; ``b[l]``: ``(n[l], 1)``, stored as ``parameters["W1"]``, ...
* ``Z[l]``, ``A[l]``: ``(n[l], m)``; every gradient has the shape of what it differentiates

Each function is one block of the lecture's equations. They trust their arguments
(``playground.core.nn`` checks them first, with messages for a student), compute in the dtype
of their inputs, and also take K networks stacked along a first axis (``W[l]`` of shape
``(K, n[l], n[l-1])``; ``.mT`` is ``.T`` for each matrix of a stack): the same operations,
so each network gets the numbers it would get alone (``playground.engine.stacked`` trains many
networks that way). A diverging network may overflow: callers hold
``np.errstate(all="ignore")`` and look for inf and NaN themselves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from playground.core.activations import ACTIVATIONS
from playground.core.clones import dot

Array = np.ndarray


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


def initialize_parameters(layer_dims: Sequence[int], method: str = "random",
                          scale: float | None = None, seed: int = 0,
                          dtype=np.float64) -> dict[str, Array]:
    """``W[l]`` drawn by ``method`` from ``default_rng(seed)``, layer by layer; ``b[l] = 0``.

    ``scale`` is the factor of "random" (default 0.01) or the value c of "constant"."""
    if scale is None:
        scale = INITIALIZATIONS[method].default_scale
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        if method == "zeros":
            W = np.zeros((n, n_prev))
        elif method == "constant":
            W = np.full((n, n_prev), float(scale))
        else:
            factor = {"random": scale, "xavier": math.sqrt(1.0 / n_prev),
                      "he": math.sqrt(2.0 / n_prev)}[method]
            W = rng.standard_normal((n, n_prev)) * factor
        parameters[f"W{l}"] = W.astype(dtype)
        parameters[f"b{l}"] = np.zeros((n, 1), dtype=dtype)
    return parameters


def num_layers(parameters: Mapping[str, Array]) -> int:
    """L, the number of layers: the keys W1, ..., WL."""
    L = 0
    while f"W{L + 1}" in parameters:
        L += 1
    return L


class LayerCache(NamedTuple):
    """What backward propagation needs from layer l: A[l-1], W[l], b[l], Z[l], A[l]."""

    A_prev: Array
    W: Array
    b: Array
    Z: Array
    A: Array


def forward_propagation(X: Array, parameters: Mapping[str, Array],
                        activations: Sequence[str]) -> tuple[Array, list[LayerCache]]:
    """Ŷ = A[L] for the columns of X ``(1, m)``, and every layer's cache (layer l at l-1)."""
    A = X
    caches = []
    for l in range(1, len(activations) + 1):
        A_prev, W, b = A, parameters[f"W{l}"], parameters[f"b{l}"]
        g = ACTIVATIONS[activations[l - 1]].g
        Z = dot(W, A_prev) + b  # W @ A_prev, keeping clone units exact (core/clones.py)
        A = g(Z)
        caches.append(LayerCache(A_prev, W, b, Z, A))
    return A, caches


def compute_cost(ZL: Array, Y: Array, parameters: Mapping[str, Array] | None = None,
                 regularization: str = "none", lambd: float = 0.0):
    """J = -(1/m) Σ [y log ŷ + (1-y) log(1-ŷ)] with ŷ = σ(Z[L]), plus the L2/L1 term.

    Computed from the logits Z[L]: ``max(z, 0) - z·y + log(1 + e^-|z|)`` is the same loss
    with no exp that overflows and no log(0), so J is exact even where ŷ rounds to 0 or 1.
    Returns a NumPy scalar (one per network, ``(K,)``, for a stack)."""
    m = Y.shape[-1]
    loss = np.maximum(ZL, 0) - ZL * Y + np.log1p(np.exp(-np.abs(ZL)))
    J = loss.sum(axis=-1)[..., 0] / m
    if parameters is not None and regularization != "none" and lambd:
        J = J + regularization_cost(parameters, m, regularization, lambd)
    return J


def regularization_cost(parameters: Mapping[str, Array], m: int, regularization: str,
                        lambd: float):
    """L2: ``(λ/2m) Σ_l ||W[l]||²``; L1: ``(λ/m) Σ_l Σ |W[l]|``; biases are not penalized."""
    if regularization == "none" or not lambd:
        return 0.0
    f = np.square if regularization == "L2" else np.abs
    L = num_layers(parameters)
    # Each layer's sum in float64 (as a Python float would be), then the layers in order.
    total = sum(np.sum(f(parameters[f"W{l}"]), axis=(-2, -1)).astype(np.float64)
                for l in range(1, L + 1))
    return lambd / (2 * m) * total if regularization == "L2" else lambd / m * total


def backward_propagation(AL: Array, Y: Array, caches: Sequence[LayerCache],
                         activations: Sequence[str], regularization: str = "none",
                         lambd: float = 0.0) -> dict[str, Array]:
    """dW[l], db[l] for l = L … 1 (and dZ[l], dA[l-1], for the views): the chain rule."""
    m = Y.shape[-1]
    L = len(caches)
    grads = {}
    dZ = AL - Y  # σ and cross-entropy cancel: dJ/dZ[L] = A[L] - Y, no division by ŷ(1-ŷ)
    for l in range(L, 0, -1):
        A_prev, W = caches[l - 1].A_prev, caches[l - 1].W
        grads[f"dZ{l}"] = dZ
        dW = (1 / m) * dot(dZ, A_prev.mT, clone_columns=True)  # units of l-1: columns
        if regularization == "L2" and lambd:
            dW = dW + lambd / m * W
        elif regularization == "L1" and lambd:
            dW = dW + lambd / m * np.sign(W)
        grads[f"dW{l}"] = dW
        grads[f"db{l}"] = (1 / m) * dZ.sum(axis=-1, keepdims=True)
        if l > 1:
            dA_prev = dot(W.mT, dZ)
            grads[f"dA{l - 1}"] = dA_prev
            g, prev = ACTIVATIONS[activations[l - 2]], caches[l - 2]
            dZ = dA_prev * g.prime(prev.Z, prev.A)  # dZ[l-1] = dA[l-1] * g'(Z[l-1])
    return grads


def update_parameters(parameters: Mapping[str, Array], grads: Mapping[str, Array],
                      learning_rate) -> dict[str, Array]:
    """One step of gradient descent, ``W[l] -= α·dW[l]``, ``b[l] -= α·db[l]`` (a new dict).

    α is a Python float (or, for a stack, one per network ``(K, 1, 1)`` in its dtype)."""
    return {name: theta - learning_rate * grads["d" + name]  # W1, b1, ..., WL, bL
            for name, theta in parameters.items()}


def predict(X: Array, parameters: Mapping[str, Array], activations: Sequence[str]) -> Array:
    """Class predictions ``(1, m)`` of 0/1: 1 where ŷ > 0.5."""
    AL, _ = forward_propagation(X, parameters, activations)
    return (AL > 0.5).astype(np.int64)


def gradient_check(X: Array, Y: Array, parameters: Mapping[str, Array],
                   activations: Sequence[str], epsilon: float = 1e-7,
                   regularization: str = "none", lambd: float = 0.0) -> float:
    """``||grad - gradapprox|| / (||grad|| + ||gradapprox||)``, gradapprox_i being
    ``(J(θ + ε e_i) - J(θ - ε e_i)) / 2ε``. Below 1e-7 is great; above 1e-3, a bug."""
    keys = [f"{p}{l}" for l in range(1, len(activations) + 1) for p in ("W", "b")]
    shapes = [parameters[k].shape for k in keys]

    def J(theta: Array) -> float:
        pieces = np.split(theta, np.cumsum([math.prod(s) for s in shapes])[:-1])
        p = {k: v.reshape(s) for k, v, s in zip(keys, pieces, shapes, strict=True)}
        _, caches = forward_propagation(X, p, activations)
        return float(compute_cost(caches[-1].Z, Y, p, regularization, lambd))

    AL, caches = forward_propagation(X, parameters, activations)
    grads = backward_propagation(AL, Y, caches, activations, regularization, lambd)
    theta = np.concatenate([parameters[k].ravel() for k in keys])
    grad = np.concatenate([grads[f"d{k}"].ravel() for k in keys])
    approx = np.empty_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        approx[i] = (J(plus) - J(minus)) / (2 * epsilon)
    denom = np.linalg.norm(grad) + np.linalg.norm(approx)
    return 0.0 if denom == 0 else float(np.linalg.norm(grad - approx) / denom)
