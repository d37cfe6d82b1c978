"""The course's own runs: the data and the initial weights of the assignments' notebooks,
made exactly as the notebooks make them, and the cost as the notebooks compute it.

The notebooks seed NumPy's global generator (``np.random.seed(1)``) and then draw with
``np.random.randn``; here a ``np.random.RandomState(seed)`` draws the very same numbers,
without touching the global generator. Shapes are the course's: ``X`` ``(2, m)``, ``Y``
``(1, m)`` (float64 here; the notebooks' labels are integers of the same values).

* :func:`planar_dataset`: ``planar_utils.load_planar_dataset()`` of the one-hidden-layer
  assignment ("Planar data classification with one hidden layer"), the 400-point flower.
* :func:`circles_dataset`: ``init_utils.load_dataset()`` of the initialization assignment,
  ``make_circles`` train (seed 1, 300 points) and test (seed 2, 100 points).
* :func:`initial_parameters`: ``W[l] = randn(n[l], n[l-1]) × factor`` layer by layer after
  ``np.random.seed(seed)``, ``b[l] = 0``, as both assignments draw them.
* :func:`notebook_cost`: each notebook's ``compute_cost`` on ``A[L]``, with its logs, so a
  ``ŷ`` that rounded to 1 costs ``inf`` as the notebook prints it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Array = np.ndarray

PLANAR_SEED = 1  # load_planar_dataset: np.random.seed(1)
CIRCLES_SEEDS = (1, 2)  # init_utils.load_dataset: train after np.random.seed(1), test after 2
COST_FORMULAS = ("planar", "initialization")


def planar_dataset() -> tuple[Array, Array]:
    """``load_planar_dataset()``: X ``(2, 400)``, Y ``(1, 400)``, class 0 then class 1.

    The notebook's code, step for step::

        np.random.seed(1); m = 400; N = int(m/2); D = 2; a = 4
        for j in range(2):
            ix = range(N*j, N*(j+1))
            t = np.linspace(j*3.12, (j+1)*3.12, N) + np.random.randn(N)*0.2
            r = a*np.sin(4*t) + np.random.randn(N)*0.2
            X[ix] = np.c_[r*np.sin(t), r*np.cos(t)]; Y[ix] = j
        X = X.T; Y = Y.T
    """
    rs = np.random.RandomState(PLANAR_SEED)
    m, D, a = 400, 2, 4
    N = int(m / 2)
    X = np.zeros((m, D))
    Y = np.zeros((m, 1))
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rs.randn(N) * 0.2
        r = a * np.sin(4 * t) + rs.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)


def circles_dataset() -> tuple[Array, Array, Array, Array]:
    """``init_utils.load_dataset()``: train X ``(2, 300)``, Y ``(1, 300)``; test X
    ``(2, 100)``, Y ``(1, 100)``::

        np.random.seed(1)
        train_X, train_Y = sklearn.datasets.make_circles(n_samples=300, noise=.05)
        np.random.seed(2)
        test_X, test_Y = sklearn.datasets.make_circles(n_samples=100, noise=.05)
        train_X = train_X.T; train_Y = train_Y.reshape((1, train_Y.shape[0])); ...
    """
    from sklearn.datasets import make_circles  # on first use (~1 s), as core/datasets.py

    out = []
    for seed, n in zip(CIRCLES_SEEDS, (300, 100), strict=True):
        X, y = make_circles(n_samples=n, noise=0.05, random_state=np.random.RandomState(seed))
        out += [np.ascontiguousarray(X.T), y.reshape((1, y.shape[0])).astype(np.float64)]
    return tuple(out)


def _factor(method: str, scale: float | None, n_prev: int) -> float | None:
    """The factor of randn for one layer, or None for the methods that draw nothing."""
    if method == "random":
        return float(scale)
    if method == "he":
        return math.sqrt(2.0 / n_prev)  # the notebook's np.sqrt(2./layers_dims[l-1])
    if method == "xavier":
        return math.sqrt(1.0 / n_prev)
    if method in ("zeros", "constant"):
        return None
    raise ValueError(f"unknown initialization {method!r}")


def initial_parameters(layer_dims: Sequence[int], method: str, scale: float | None,
                       seed: int) -> dict[str, Array]:
    """The initial weights as the notebooks draw them, float64: after
    ``np.random.seed(seed)``, for l = 1 … L, ``W[l] = np.random.randn(n[l], n[l-1]) ×
    factor`` and ``b[l] = np.zeros((n[l], 1))``. The factor is ``scale`` for "random"
    (0.01 in the one-hidden-layer assignment, 10 in the initialization one), ``sqrt(2 /
    n[l-1])`` for "he" (``sqrt(1 / n[l-1])`` for "xavier"); "zeros" is
    ``np.zeros((n[l], n[l-1]))`` and "constant" every entry ``scale``: no draws."""
    rs = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        n, n_prev = int(layer_dims[l]), int(layer_dims[l - 1])
        factor = _factor(method, scale, n_prev)
        if factor is not None:
            W = rs.randn(n, n_prev) * factor
        elif method == "constant":
            W = np.full((n, n_prev), float(scale))
        else:
            W = np.zeros((n, n_prev))
        parameters[f"W{l}"] = W
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters


def notebook_cost(AL: Array, Y: Array, formula: str) -> float:
    """J of ``A[L]`` ``(1, m)`` as a notebook's ``compute_cost`` computes it, operation
    for operation (so the print-out has the notebook's digits):

    * "planar": ``logprobs = np.multiply(np.log(A2), Y) + np.multiply((1 - Y),
      np.log(1 - A2)); cost = -np.sum(logprobs) / m``
    * "initialization": ``logprobs = np.multiply(-np.log(a3), Y) + np.multiply(-np.log(1 -
      a3), 1 - Y); loss = 1./m * np.nansum(logprobs)``

    A ŷ that rounded to exactly 1 (or 0) costs ``inf``, as the notebook prints it."""
    m = Y.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        if formula == "planar":
            logprobs = np.multiply(np.log(AL), Y) + np.multiply((1 - Y), np.log(1 - AL))
            return float(-np.sum(logprobs) / m)
        if formula == "initialization":
            logprobs = np.multiply(-np.log(AL), Y) + np.multiply(-np.log(1 - AL), 1 - Y)
            return float(1.0 / m * np.nansum(logprobs))
    raise ValueError(f"unknown cost formula {formula!r}; choose one of {COST_FORMULAS}")
