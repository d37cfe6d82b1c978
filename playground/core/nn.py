"""The public NumPy API: the core's functions, with their arguments checked.

The math is in ``playground.core.propagation`` (read it like the lecture); the registry of
activations in ``playground.core.activations``; the checks and their messages in
``playground.core.checks``. Each function here checks its arguments, then runs the core
under ``np.errstate(all="ignore")`` (a diverging network may overflow; the trainers look
for inf and NaN themselves), so a student's call gets a clear message instead of a
traceback from deep inside NumPy.

Shapes (columns are examples, see ``docs/notation.md``): ``X = A0`` ``(n[0], m)``,
``Y`` ``(1, m)`` of 0/1, ``W{l}`` ``(n[l], n[l-1])``, ``b{l}`` ``(n[l], 1)``, ``Z{l}``,
``A{l}`` ``(n[l], m)``.
Everything computes in the dtype of its inputs (float64 reproduces the course's printed
numbers; float32 is faster for live pages).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence

import numpy as np

from playground.core import propagation
from playground.core.activations import (
    ACTIVATIONS,
    ELU_ALPHA,
    LEAKY_SLOPE,
    OUTPUT_ACTIVATION,
    Activation,
    get_activation,
    sigmoid,
)
from playground.core.checks import (
    MAX_PARAMETERS,
    REGULARIZATIONS,
    check_activations,
    check_caches,
    check_epsilon,
    check_initialization,
    check_labels,
    check_layer_dims,
    check_network,
    check_output,
    check_regularization,
    check_update,
    num_layers,
)
from playground.core.propagation import INITIALIZATIONS, InitMethod, LayerCache

Array = np.ndarray

__all__ = [
    "ACTIVATIONS", "ELU_ALPHA", "INITIALIZATIONS", "LEAKY_SLOPE", "MAX_PARAMETERS",
    "OUTPUT_ACTIVATION", "REGULARIZATIONS", "Activation", "InitMethod", "LayerCache",
    "accuracy", "backward_propagation", "compute_cost", "cost_from_logits",
    "forward_propagation", "get_activation", "gradient_check", "initialize_parameters",
    "layer_dims_of", "num_layers", "predict", "regularization_cost", "sigmoid",
    "update_parameters",
]


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
    dims = check_layer_dims(layer_dims)
    dtype = check_initialization(method, scale, seed, dtype)
    return propagation.initialize_parameters(dims, method, scale, seed, dtype)


def layer_dims_of(parameters: Mapping[str, Array]) -> list[int]:
    """``[n[0], ..., n[L]]`` read off the parameters' shapes."""
    L = num_layers(parameters)
    return [parameters["W1"].shape[1]] + [parameters[f"W{l}"].shape[0] for l in range(1, L + 1)]


def forward_propagation(
    X: Array, parameters: Mapping[str, Array], activations: Sequence[str]
) -> tuple[Array, list[LayerCache]]:
    """Ŷ = A[L] for the m columns of X, and the caches of every layer.

    ``Z[l] = W[l]·A[l-1] + b[l]``, ``A[l] = g[l](Z[l])`` for l = 1..L.
    Returns ``AL`` of shape ``(1, m)`` and ``caches[l-1]`` for layer l.
    """
    _, acts = check_network(X, parameters, activations)
    with np.errstate(all="ignore"):
        return propagation.forward_propagation(X, parameters, acts)


def compute_cost(
    AL: Array,
    Y: Array,
    *,
    parameters: Mapping[str, Array] | None = None,
    regularization: str = "none",
    lambd: float = 0.0,
) -> float:
    """J = -(1/m) Σ (y log ŷ + (1-y) log(1-ŷ)) from ŷ = A[L], the course's form, plus the
    regularization term if asked.

    ŷ is clipped to [ε, 1-ε] with ε = 1e-12 (or float32's resolution) before the logs,
    so J is finite when ŷ is exactly 0 or 1 and exact everywhere else. The trainers use
    the form from the logits, ``cost_from_logits``, which needs no clipping.
    """
    m = check_output("AL", AL)
    check_labels(Y, m)
    check_regularization(regularization, lambd)
    eps = max(1e-12, float(np.finfo(AL.dtype).eps))
    with np.errstate(all="ignore"):
        P = np.clip(AL, eps, 1 - eps)
        J = -float(np.mean(Y * np.log(P) + (1 - Y) * np.log1p(-P)))
    return J + regularization_cost(parameters, m, regularization, lambd)


def cost_from_logits(ZL: Array, Y: Array) -> float:
    """The same cross-entropy computed from Z[L] = logits, exact even where σ saturates
    (``propagation.compute_cost``). ``ZL`` and ``Y`` have shape ``(1, m)``."""
    m = check_output("ZL", ZL)
    check_labels(Y, m)
    with np.errstate(all="ignore"):
        return float(propagation.compute_cost(ZL, Y))


def regularization_cost(
    parameters: Mapping[str, Array] | None, m: int, regularization: str = "none", lambd: float = 0.0
) -> float:
    """The penalty added to J: L2 ``(λ/2m) Σ ||W[l]||²_F``, L1 ``(λ/m) Σ |W[l]|``; biases free."""
    check_regularization(regularization, lambd)
    if regularization == "none" or lambd == 0 or parameters is None:
        return 0.0
    if not (isinstance(m, numbers.Integral) and m >= 1):
        raise ValueError(f"m must be the number of examples (≥ 1), got {m!r}")
    num_layers(parameters)
    with np.errstate(all="ignore"):
        return float(propagation.regularization_cost(parameters, m, regularization, lambd))


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
    caches = check_caches(caches)
    acts = check_activations(activations, len(caches))
    m = check_output("AL", AL)
    check_labels(Y, m)
    check_regularization(regularization, lambd)
    with np.errstate(all="ignore"):
        return propagation.backward_propagation(AL, Y, caches, acts, regularization, lambd)


def update_parameters(
    parameters: Mapping[str, Array], grads: Mapping[str, Array], learning_rate: float
) -> dict[str, Array]:
    """One step of gradient descent: ``W[l] -= α·dW[l]``, ``b[l] -= α·db[l]`` (a new dict)."""
    check_update(parameters, grads, learning_rate)
    with np.errstate(all="ignore"):
        return propagation.update_parameters(parameters, grads, float(learning_rate))


def predict(X: Array, parameters: Mapping[str, Array], activations: Sequence[str]) -> Array:
    """Class predictions ``(1, m)`` of 0/1: 1 where ŷ > 0.5."""
    _, acts = check_network(X, parameters, activations)
    with np.errstate(all="ignore"):
        return propagation.predict(X, parameters, acts)


def accuracy(AL: Array, Y: Array) -> float:
    """The share of columns where ŷ > 0.5 agrees with y (``AL`` may also hold 0/1
    predictions); both of shape ``(1, m)`` with m ≥ 1."""
    if not isinstance(AL, np.ndarray) or AL.ndim != 2 or AL.shape[0] != 1:
        raise ValueError(f"AL must have shape (1, m), got {getattr(AL, 'shape', None)}")
    if AL.dtype.kind not in "biuf":
        raise ValueError(f"AL must hold numbers, got dtype {AL.dtype}")
    if AL.shape[1] == 0:
        raise ValueError("AL has no examples (m = 0): the accuracy is undefined")
    check_labels(Y, AL.shape[1])
    # count / m is np.mean of the booleans to the last bit (both are exact up to 2**53).
    return np.count_nonzero((AL > 0.5) == (Y > 0.5)) / AL.shape[1]


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
    L, acts = check_network(X, parameters, activations)
    m = X.shape[1]
    if m == 0:
        raise ValueError("X has no examples (m = 0): the cost is undefined")
    check_epsilon(epsilon)
    check_regularization(regularization, lambd)
    Y = check_labels(Y, m).astype(np.float64)
    p64 = {f"{p}{l}": parameters[f"{p}{l}"].astype(np.float64)
           for l in range(1, L + 1) for p in ("W", "b")}
    with np.errstate(all="ignore"):
        return propagation.gradient_check(X.astype(np.float64), Y, p64, acts, epsilon,
                                          regularization, lambd)
