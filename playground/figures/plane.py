"""The plane of the inputs x₁, x₂: the data points on it, and axes that fit a grid and
the data. Shared by the decision boundary (``boundary``) and a unit's map (``units``).

Shapes follow the course: ``X`` is ``(2, m)`` with one example per column, ``Y`` is
``(1, m)`` of 0/1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from playground.figures.theme import CLASS_COLORS, axis
from playground.figures.wire import f32


def _labels_row(Y, m: int, name: str) -> np.ndarray:
    Y = np.asarray(Y)
    if Y.size != m:
        raise ValueError(f"{name} must have shape (1, {m}), got {Y.shape}")
    return Y.reshape(-1) > 0.5


def points_xy(X, name: str) -> np.ndarray:
    """``X`` as an array, checked to be (2, m): one point per column."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"{name} must have shape (2, m), one point per column, got {X.shape}")
    return X


def point_traces(X, Y, *, split: str, symbol: str, size: float, line: dict,
                  gl: bool = False) -> list[dict]:
    """One scatter per class: ``"train, y=0"``, ``"train, y=1"``; empty classes are left out.

    X : (2, m) raw points; Y : (1, m) labels 0/1.
    """
    X = points_xy(X, f"X_{split}")
    cls = _labels_row(Y, X.shape[1], f"Y_{split}")
    traces = []
    for c in (0, 1):
        mask = cls == bool(c)
        if not mask.any():
            continue
        traces.append({
            "type": "scattergl" if gl else "scatter",
            "x": f32(X[0, mask]), "y": f32(X[1, mask]), "mode": "markers",
            "name": f"{split}, y={c}", "uid": f"{split}-{c}", "legendgroup": f"{split}-{c}",
            "marker": {"symbol": symbol, "size": size, "color": CLASS_COLORS[c],
                       "line": line},
            "hovertemplate": (f"{split}<br>x₁ = %{{x:.3f}}<br>x₂ = %{{y:.3f}}<br>y = {c}"
                              "<extra></extra>"),
        })
    return traces


def _grid_axes(xs: np.ndarray, ys: np.ndarray) -> tuple[list[float], list[float]]:
    """Axis ranges that show every heatmap cell in full (cells are centred on xs, ys)."""
    def rng(v):
        v = v.astype(np.float64)
        half = 0.5 * (v[-1] - v[0]) / max(v.size - 1, 1)
        return [float(v[0] - half), float(v[-1] + half)]
    return rng(xs), rng(ys)


def _data_ranges(xs, ys, points: Sequence) -> tuple[list[float], list[float]]:
    """The grid's axis ranges cut down to the points (2, k arrays) plus the grid's own
    margin. ``make_grid`` makes a square grid around the data, so along the data's shorter
    side (moons: x₂ spans 2.4 where x₁ spans 3.8) it runs far past the points, and the
    plane showed a wide strip with no data; now every side has the same margin."""
    xr, yr = _grid_axes(xs, ys)
    P = [np.asarray(p, dtype=np.float64) for p in points if p is not None and np.size(p)]
    P = np.hstack(P) if P else np.zeros((2, 0))
    P = P[:, np.isfinite(P).all(axis=0)]
    if not P.shape[1]:
        return xr, yr
    lo, hi = P.min(axis=1), P.max(axis=1)
    span = hi - lo
    pad = max(0.5 * (xr[1] - xr[0] - span.max()), 0.0)  # the grid's margin around its data
    out = []
    for r, a, b in ((xr, lo[0], hi[0]), (yr, lo[1], hi[1])):
        lo_, hi_ = max(r[0], a - pad), min(r[1], b + pad)
        out.append([float(lo_), float(hi_)] if hi_ > lo_ else r)
    return out[0], out[1]


def plane_axes(xs, ys, points: Sequence = ()) -> dict:
    """x₁, x₂ axes over a grid with equal scales, cut to the ``points`` (see
    :func:`_data_ranges`) when given. A wide figure shrinks the x domain; it shrinks
    toward the right, keeping the plot next to its colour bar."""
    xr, yr = _data_ranges(xs, ys, points) if len(points) else _grid_axes(xs, ys)
    return {
        "xaxis": axis("x₁", range=xr, constrain="domain", constraintoward="right",
                       showgrid=False, zeroline=False, ticks="outside"),
        "yaxis": axis("x₂", range=yr, constrain="domain", scaleanchor="x", scaleratio=1,
                       showgrid=False, zeroline=False, ticks="outside"),
    }

