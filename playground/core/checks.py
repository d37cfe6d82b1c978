"""The argument checks of the public functions (``playground.core.nn``): the core trusts its
arguments, the boundary does not. Every message says what is wrong in a student's words.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

from playground.core.activations import ACTIVATIONS, OUTPUT_ACTIVATION, get_activation
from playground.core.propagation import INITIALIZATIONS, LayerCache

Array = np.ndarray

REGULARIZATIONS = ("none", "L2", "L1")

MAX_PARAMETERS = 10_000_000  # 80 MB of float64: far beyond any playground network


def check_layer_dims(layer_dims: Sequence[int]) -> list[int]:
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


def is_real(x: object) -> bool:
    """A real number, not a bool (``True`` is no learning rate)."""
    if type(x) is float or type(x) is int:  # the common case, without the ABC check
        return True
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))


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


def check_2d(name: str, a: object) -> Array:
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


def check_activations(activations: Sequence[str], L: int) -> Sequence[str]:
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
    """Whether the names pass the checks of check_activations (remembered: a page asks
    the same question every iteration)."""
    return (len(activations) == L and activations[-1] == OUTPUT_ACTIVATION
            and all(type(a) is str and a in ACTIVATIONS for a in activations))


def check_network(
    X: Array, parameters: Mapping[str, Array], activations: Sequence[str]
) -> tuple[int, list[str]]:
    """L and the activations as a list, once X, the parameters and the names agree."""
    check_2d("X", X)
    L = num_layers(parameters)
    acts = check_activations(activations, L)
    n_prev = X.shape[0]
    for l in range(1, L + 1):
        W = check_2d(f"W{l}", parameters[f"W{l}"])
        b = check_2d(f"b{l}", parameters.get(f"b{l}"))
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


def check_labels(Y: Array, m: int, name: str = "Y") -> Array:
    if not isinstance(Y, np.ndarray) or Y.ndim != 2 or Y.shape != (1, m):
        shape = getattr(Y, "shape", None)
        raise ValueError(f"{name} must have shape (1, {m}), got {shape}")
    if Y.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold the labels 0 and 1 as numbers, got dtype {Y.dtype}")
    return Y


def check_output(name: str, A: object) -> int:
    """m, once ``A`` (ŷ or Z[L]) is a float array of shape (1, m) with m ≥ 1."""
    check_2d(name, A)
    if A.shape[0] != 1:
        raise ValueError(f"{name} must have shape (1, m), got {A.shape}")
    if A.shape[1] == 0:
        raise ValueError(f"{name} has no examples (m = 0): the cost is undefined")
    return A.shape[1]


def check_regularization(regularization: str, lambd: float) -> None:
    if regularization == "none" and lambd == 0 and type(lambd) in (float, int):
        return
    if not isinstance(regularization, str) or regularization not in REGULARIZATIONS:
        raise ValueError(
            f"unknown regularization {regularization!r}; choose one of {', '.join(REGULARIZATIONS)}"
        )
    if not (is_real(lambd) and math.isfinite(lambd) and lambd >= 0):
        raise ValueError(f"λ (lambd) must be a finite number ≥ 0, got {lambd!r}")



def check_initialization(method: str, scale, seed, dtype) -> np.dtype:
    """The dtype, once the method, its scale, the seed and the dtype are valid."""
    if not isinstance(method, str) or method not in INITIALIZATIONS:
        raise ValueError(
            f"unknown initialization {method!r}; choose one of {', '.join(INITIALIZATIONS)}"
        )
    if scale is not None and not (is_real(scale) and math.isfinite(scale)):
        raise ValueError(f"the initialization scale must be a finite number, got {scale!r}")
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise ValueError(f"dtype must be a float type such as float64, got {dtype!r}") from None
    if dtype.kind != "f":
        raise ValueError(f"dtype must be a float type such as float64, got {dtype}")
    try:
        np.random.default_rng(seed)
    except (TypeError, ValueError):
        raise ValueError(f"the seed must be a whole number ≥ 0, got {seed!r}") from None
    return dtype


def check_caches(caches) -> list:
    """The caches as a list, once they are what forward_propagation returned."""
    if isinstance(caches, (str, bytes)) or not hasattr(caches, "__len__"):
        raise ValueError(f"caches must be the list forward_propagation returned, got {caches!r}")
    caches = list(caches)
    if not caches:
        raise ValueError("caches is empty: run forward_propagation first")
    for c in caches:
        if not isinstance(c, LayerCache):
            raise ValueError("caches must be the list of LayerCache forward_propagation returned")
    return caches


def check_update(parameters: Mapping[str, Array], grads: Mapping[str, Array],
                 learning_rate) -> int:
    """L, once every W[l], b[l] has a gradient of its shape and α is a finite number."""
    L = num_layers(parameters)
    if not isinstance(grads, (dict, Mapping)):
        raise ValueError(f"grads must be the dict backward_propagation returned, "
                         f"got {type(grads).__name__}")
    if not (is_real(learning_rate) and math.isfinite(learning_rate)):
        raise ValueError(f"the learning rate α must be a finite number, got {learning_rate!r}")
    for l in range(1, L + 1):
        for k in (f"W{l}", f"b{l}"):
            param, grad = parameters.get(k), grads.get(f"d{k}")
            if (type(param) is np.ndarray and type(grad) is np.ndarray
                    and param.shape == grad.shape and param.ndim == 2
                    and param.dtype.kind == "f" and grad.dtype.kind == "f"):
                continue  # the usual case, checked at once
            if param is None:
                raise ValueError(f"parameters has W{l} but no {k}")
            if grad is None:
                raise ValueError(f"grads has no d{k} for the parameter {k}")
            check_2d(k, param)
            check_2d(f"d{k}", grad)
            raise ValueError(f"d{k} has shape {grad.shape} but {k} has {param.shape}")
    return L


def check_epsilon(epsilon) -> None:
    if not (is_real(epsilon) and math.isfinite(epsilon) and epsilon > 0):
        raise ValueError(f"epsilon must be a small positive number, got {epsilon!r}")
