"""Measurements that make the mechanism visible: symmetry between units, saturation,
dead ReLUs, and the network evaluated over a grid of the input plane."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import lt, sub

import numpy as np

from playground.core.features import DEFAULT_FEATURES, feature_matrix
from playground.core.nn import ACTIVATIONS, num_layers
from playground.core.propagation import forward_propagation

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
    return _symmetry_of(np.concatenate((W, b), axis=1))


def _symmetry_of(U: np.ndarray) -> float:
    # sqrt(mean(sum(d², axis=1))) with d = U - U.mean(axis=0), written with the reductions
    # np.mean itself calls (this runs at every recorded iteration). The first unit is
    # subtracted first: mathematically nothing changes, but clones then give exactly 0
    # (the float mean of n equal numbers is not always that number).
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
    return _distinct_of(unit_vectors(W, b), tol)


def _distinct_of(U: np.ndarray, tol: float) -> int:
    n = U.shape[0]
    if n <= 1:
        return n
    if U.dtype in _ROWS_DTYPES and _plain_tol(tol):
        count = _distinct_of_rows(U.tolist(), tol, U.dtype == np.float32,
                                  greedy=n * U.shape[1] <= SMALL_LAYER_ENTRIES)
        if count is not None:
            return count
    # close[i][j]: units i and j agree within tol in every entry (NaN agrees with nothing).
    close = (np.abs(U[:, None, :] - U[None, :, :]).max(axis=2) <= tol).tolist()
    reps: list[int] = []  # each unit joins the first representative it is close to
    for i in range(n):
        if not any(close[i][r] for r in reps):
            reps.append(i)
    return len(reps)


# Distinct units are counted in Python floats, where NumPy's calls would cost more than
# the arithmetic they do, with the same decisions (see _distinct_of_rows): the quick test
# for any layer, the unit-by-unit count for layers of at most this many entries in
# [W | b] (a playground layer has at most 16 units of 17 entries).
SMALL_LAYER_ENTRIES = 96
_ROWS_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))


def _plain_tol(tol) -> bool:
    return type(tol) is float and 0.0 <= tol <= 1e30


def _distinct_of_rows(rows: list[list[float]], tol: float, float32: bool,
                      greedy: bool = True) -> int | None:
    """``_distinct_of`` for ``U.tolist()`` (at least two units, a float ``tol``); None
    when the quick test fails and ``greedy`` is False (NumPy's turn).

    NumPy's decision "units i and j are close" is ``|U[i] - U[j]| <= tol`` in every
    entry, in U's dtype. Python floats are IEEE doubles: for a float64 layer these are
    the same differences and comparisons. For a float32 layer NumPy computes
    d32 = float32(x - y) and compares it with t32 = float32(tol). The double d = |x - y|
    (x and y are exact as doubles) is within 2^-53 of the exact difference, so
    d <= t32/2 implies d32 <= t32, and d > 2·t32 implies d32 > t32: the exact difference
    is then past the midpoint above t32 (or, for t32 = 0, not 0, hence at least the
    smallest float32), rounding to float32 is monotonic, and a float32 overflow gives
    inf. Only a d in between is taken again in float32, as NumPy does.
    """
    n = len(rows)
    if float32:
        t32 = np.float32(tol)
        lo, hi = float(t32) / 2, float(t32) * 2
    else:
        lo = hi = tol
    # The usual case: the units' first entries, sorted, each further than hi from the
    # next (NaN gives NaN gaps, which fail): no two units are close.
    first = sorted(next(zip(*rows, strict=True)))
    if all(map(lt, repeat(hi), map(sub, first[1:], first))):
        return n
    if not greedy:
        return None
    # Otherwise the greedy grouping, each unit compared with the representatives entry by
    # entry, up to the first entry where they differ.
    reps: list[list[float]] = []
    for r in rows:
        for q in reps:
            for x, y in zip(r, q, strict=True):
                d = abs(x - y)  # NaN is close to nothing
                if not (d <= lo or (float32 and d <= hi
                                    and abs(np.float32(x) - np.float32(y)) <= t32)):
                    break
            else:
                break  # r agrees with q in every entry: the same unit
        else:
            reps.append(r)
    return len(reps)


def hidden_layer_symmetry(parameters: Mapping[str, np.ndarray]) -> list[tuple[float, int]]:
    """``(symmetry_measure, distinct_units)`` for every hidden layer 1..L-1."""
    L = num_layers(parameters)
    with np.errstate(all="ignore"):
        sym, distinct = _layers_symmetry(
            [np.concatenate((parameters[f"W{l}"], parameters[f"b{l}"]), axis=1)
             for l in range(1, L)])
    return list(zip(sym, distinct, strict=True))


def distinct_units_lines(parameters: Mapping[str, np.ndarray]) -> list[str]:
    """One sentence per hidden layer 1..L-1 on how many of its units differ, counted from
    the weights (rows of ``[W[l] | b[l]]`` equal within ``DISTINCT_TOL`` count as one):
    ``"layer 1: 4 units, 4 distinct"``, ``"layer 1: 4 units, 1 distinct (all clones: the
    layer acts as one unit)"``. Empty for logistic regression (no hidden layer)."""
    lines = []
    for l, (_, distinct) in enumerate(hidden_layer_symmetry(parameters), start=1):
        n = parameters[f"W{l}"].shape[0]
        if n == 1:
            text = "1 unit"
        elif distinct == n:
            text = f"{n} units, {n} distinct"
        elif distinct == 1:
            text = f"{n} units, 1 distinct (all clones: the layer acts as one unit)"
        else:
            text = f"{n} units, {distinct} distinct (clones: the layer acts as {distinct} units)"
        lines.append(f"layer {l}: {text}")
    return lines


def _layers_symmetry(Us: Sequence[np.ndarray]) -> tuple[list[float], list[int]]:
    """``_symmetry_of(U)`` and ``_distinct_of(U, DISTINCT_TOL)`` of the layers ``[W | b]``
    in ``Us``, as two lists; layers of one shape (a deep network's) measured together.
    Callers hold np.errstate."""
    if len(Us) == 1:
        return [_symmetry_of(Us[0])], [_distinct_of(Us[0], DISTINCT_TOL)]
    sym: list[float] = [0.0] * len(Us)
    distinct: list[int] = [0] * len(Us)
    groups: dict[tuple, list[int]] = {}
    for i, U in enumerate(Us):
        groups.setdefault((U.shape, U.dtype), []).append(i)
    for idx in groups.values():
        if len(idx) == 1:
            U = Us[idx[0]]
            sym[idx[0]], distinct[idx[0]] = _symmetry_of(U), _distinct_of(U, DISTINCT_TOL)
            continue
        S = np.array([Us[i] for i in idx])
        for i, s, d in zip(idx, _symmetry_stack(S), _distinct_stack(S), strict=True):
            sym[i], distinct[i] = s, d
    return sym, distinct


# ---- many states of one layer at once (a Trainer's recorded iterations) ------------------


def _symmetry_stack(U: np.ndarray) -> list[float]:
    """``_symmetry_of(U[i])`` for each layer state of a stack ``U`` ``(K, n, k)``, to the
    last bit: the same operations on the whole stack. NumPy reduces a C-contiguous
    stack along its units (axis 1) row after row like one matrix along axis 0, and along
    a contiguous axis by the pairwise summation of each row alone (tests check both)."""
    if U.dtype != np.float64:
        U = U.astype(np.float64)
    K, n, k = U.shape
    if n == 0 or k < 2:
        return [_symmetry_of(u) for u in U]
    U = U - U[:, :1]
    mean = np.add.reduce(U, axis=1, keepdims=True)
    mean /= n
    d = U - mean
    d *= d
    total = np.add.reduce(np.add.reduce(d, axis=2), axis=1)
    return [math.sqrt(t / n) for t in total.tolist()]


def _distinct_stack(U: np.ndarray, tol: float = DISTINCT_TOL) -> list[int]:
    """``_distinct_of(U[i], tol)`` for each layer state of a stack ``U`` ``(K, n, k)``:
    the quick test of ``_distinct_of_rows`` (sorted first entries further apart than the
    tolerance: all units distinct) for all at once, the full count for the others."""
    K, n, _ = U.shape
    if K < 4 or n <= 1 or U.dtype not in _ROWS_DTYPES or not _plain_tol(tol):
        return [_distinct_of(u, tol) for u in U]
    first = np.sort(U[:, :, 0].astype(np.float64), axis=1)
    gaps = first[:, 1:] - first[:, :-1]  # the double differences _distinct_of_rows takes
    hi = 2 * float(np.float32(tol)) if U.dtype == np.float32 else tol
    far = np.logical_and.reduce(gaps > hi, axis=1)
    return [n if f else _distinct_of(U[i], tol) for i, f in enumerate(far.tolist())]


def hidden_layer_symmetry_stack(Ws: Sequence[np.ndarray], bs: Sequence[np.ndarray],
                                 L: int) -> tuple[list[list[float]], list[list[int]]]:
    """``hidden_layer_symmetry`` of K parameter sets at once, from their stacked W[l]
    ``Ws[l-1]`` ``(K, n[l], n[l-1])`` and b[l] ``bs[l-1]``: per hidden layer, the K
    symmetry measures and the K distinct-unit counts. Callers hold np.errstate."""
    sym, distinct = [], []
    for l in range(1, L):
        U = np.concatenate((Ws[l - 1], bs[l - 1]), axis=2)
        sym.append(_symmetry_stack(U))
        distinct.append(_distinct_stack(U))
    return sym, distinct


def saturation_threshold(activation: str, threshold: float = SATURATION_THRESHOLD) -> float:
    """The |g'(z)| below which a unit of ``activation`` counts as saturated: ``threshold``,
    or 0 (nothing counts) for an activation whose slope never falls toward 0 by design
    (``Activation.saturates``: a leaky ReLU's leak 0.01, a linear unit's 1)."""
    return threshold if ACTIVATIONS[activation].saturates else 0.0


def saturation_fraction(Z: np.ndarray, activation: str,
                        threshold: float = SATURATION_THRESHOLD) -> float:
    """Share of a layer's (unit, example) pairs where |g'(z)| < threshold: saturated
    sigmoid/tanh units, or ReLUs that are off (z ≤ 0); never a leaky ReLU's left side
    (see ``saturation_threshold``)."""
    threshold = saturation_threshold(activation, threshold)
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
    parameters' dtype, by the core's forward propagation."""
    dtype = parameters["W1"].dtype
    A0 = feature_matrix(grid.X.astype(dtype, copy=False), features)
    with np.errstate(all="ignore"):
        _, caches = forward_propagation(A0, parameters, activations)
    ny, nx = grid.shape
    return [a.reshape(a.shape[0], ny, nx) for a in [A0, *(c.A for c in caches)]]


def probability_grid(grid: Grid, parameters, activations, features=DEFAULT_FEATURES):
    """ŷ over the grid, ``(ny, nx)``."""
    return grid_activations(grid, parameters, activations, features)[-1][0]
