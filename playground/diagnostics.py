"""Measurements that make the mechanism visible: symmetry between units, saturation,
dead ReLUs, and the network evaluated over a grid of the input plane."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from playground.features import DEFAULT_FEATURES, feature_matrix
from playground.nn import ACTIVATIONS, num_layers

DISTINCT_TOL = 1e-12
SATURATION_THRESHOLD = 0.05  # |g'(z)| below this: the unit barely passes a gradient
MAX_GRID_RESOLUTION = 120


def unit_vectors(W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each unit's incoming weights and bias as one row: ``[W[l] | b[l]]``, ``(n[l], n[l-1]+1)``."""
    return np.concatenate((W, b), axis=1)


def symmetry_measure(W: np.ndarray, b: np.ndarray) -> float:
    """How far a layer's units are from each other: the RMS distance of each unit's
    ``[w_i | b_i]`` from the layer's mean unit. Exactly 0 while all units are clones
    (and for a layer of one unit)."""
    with np.errstate(all="ignore"):
        return _symmetry_measure(W, b)


def _symmetry_measure(W: np.ndarray, b: np.ndarray) -> float:
    # sqrt(mean(sum(d², axis=1))) with d = U - U.mean(axis=0), written with the reductions
    # np.mean itself calls (this runs at every recorded iteration). The first unit is
    # subtracted first: mathematically nothing changes, but clones then give exactly 0
    # (the float mean of n equal numbers is not always that number).
    U = np.concatenate((W, b), axis=1)
    if U.dtype != np.float64:
        U = U.astype(np.float64)
    n = U.shape[0]
    if n == 0:
        return 0.0
    U = U - U[:1]
    mean = np.add.reduce(U, axis=0, keepdims=True)
    mean /= n
    d = U - mean
    d *= d
    return math.sqrt(float(np.add.reduce(np.add.reduce(d, axis=1), axis=None)) / n)


def distinct_units(W: np.ndarray, b: np.ndarray, tol: float = DISTINCT_TOL) -> int:
    """How many different units a layer has: units whose ``[w_i | b_i]`` agree within
    ``tol`` in every entry count as one."""
    with np.errstate(all="ignore"):
        return _distinct_units(W, b, tol)


def _distinct_units(W: np.ndarray, b: np.ndarray, tol: float = DISTINCT_TOL) -> int:
    U = unit_vectors(W, b)
    n = U.shape[0]
    if n <= 1:
        return n
    # close[i][j]: units i and j agree within tol in every entry (NaN agrees with nothing).
    close = (np.abs(U[:, None, :] - U[None, :, :]).max(axis=2) <= tol).tolist()
    reps: list[int] = []  # each unit joins the first representative it is close to
    for i in range(n):
        if not any(close[i][r] for r in reps):
            reps.append(i)
    return len(reps)


def hidden_layer_symmetry(parameters: Mapping[str, np.ndarray]) -> list[tuple[float, int]]:
    """``(symmetry_measure, distinct_units)`` for every hidden layer 1..L-1."""
    L = num_layers(parameters)
    with np.errstate(all="ignore"):
        return [
            (_symmetry_measure(parameters[f"W{l}"], parameters[f"b{l}"]),
             _distinct_units(parameters[f"W{l}"], parameters[f"b{l}"]))
            for l in range(1, L)
        ]


def saturation_fraction(Z: np.ndarray, activation: str,
                        threshold: float = SATURATION_THRESHOLD) -> float:
    """Share of a layer's (unit, example) pairs where |g'(z)| < threshold: saturated
    sigmoid/tanh units, or ReLUs that are off (z ≤ 0)."""
    with np.errstate(all="ignore"):
        return float(np.mean(np.abs(ACTIVATIONS[activation].dg(Z)) < threshold))


def dead_units(Z: np.ndarray, activation: str) -> int:
    """Units whose g'(z) is 0 for every example: they never learn again (dead ReLUs)."""
    with np.errstate(all="ignore"):
        return int(np.sum(np.all(ACTIVATIONS[activation].dg(Z) == 0, axis=1)))


# ---- the input plane ----------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """A regular grid over the (x1, x2) plane: ``xs`` (nx,), ``ys`` (ny,), and the points
    as ``X`` of shape ``(2, ny*nx)`` (row-major: y varies slowest)."""

    xs: np.ndarray
    ys: np.ndarray
    X: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return (self.ys.size, self.xs.size)


def make_grid(X: np.ndarray, resolution: int = 50, margin: float = 0.1,
              dtype=np.float32) -> Grid:
    """A square-ish grid covering the points ``X`` (2, m) with a margin (a share of the span)."""
    resolution = int(np.clip(resolution, 2, MAX_GRID_RESOLUTION))
    if X.size == 0:
        lo, hi = np.array([-1.0, -1.0]), np.array([1.0, 1.0])
    else:
        lo, hi = X.min(axis=1).astype(np.float64), X.max(axis=1).astype(np.float64)
    span = np.maximum(hi - lo, 1e-9)
    # Same scale on both axes: a circle looks round on the projector.
    half = 0.5 * span.max() * (1 + 2 * margin)
    centre = 0.5 * (lo + hi)
    xs = np.linspace(centre[0] - half, centre[0] + half, resolution).astype(dtype)
    ys = np.linspace(centre[1] - half, centre[1] + half, resolution).astype(dtype)
    gx, gy = np.meshgrid(xs, ys)
    return Grid(xs, ys, np.vstack([gx.ravel(), gy.ravel()]))


def grid_activations(grid: Grid, parameters: Mapping[str, np.ndarray],
                     activations: Sequence[str],
                     features: Sequence[str] = DEFAULT_FEATURES) -> list[np.ndarray]:
    """Every layer's activations over the grid: ``[A0, A1, ..., AL]``, each reshaped to
    ``(n[l], ny, nx)``; ``AL[0]`` is the probability ŷ of class 1. Computed in the
    parameters' dtype."""
    dtype = parameters["W1"].dtype
    A = feature_matrix(grid.X.astype(dtype, copy=False), features)
    out = [A]
    with np.errstate(all="ignore"):
        for l in range(1, num_layers(parameters) + 1):
            Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
            A = ACTIVATIONS[activations[l - 1]].g(Z)
            out.append(A)
    ny, nx = grid.shape
    return [a.reshape(a.shape[0], ny, nx) for a in out]


def probability_grid(grid: Grid, parameters, activations, features=DEFAULT_FEATURES):
    """ŷ over the grid, ``(ny, nx)``."""
    return grid_activations(grid, parameters, activations, features)[-1][0]
