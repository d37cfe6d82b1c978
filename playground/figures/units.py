"""What each unit computes over the plane: small multiples of every unit's output, one
row per layer (``make_unit_maps_figure``), and one unit at full size
(``make_unit_figure``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from playground.core.diagnostics import Grid
from playground.figures.axes import ax_id, subplot_grid, subplot_title
from playground.figures.plane import plane_axes, point_traces
from playground.figures.theme import (
    DIVERGING_COLORSCALE,
    INK_COLOR,
    SEQUENTIAL_COLORSCALE,
    SMALL_FONT_SIZE,
    TRAIN_MARKER_SIZE,
    TRAIN_SYMBOL,
    UIREVISION,
    base_layout,
    colorbar,
    subscript,
)
from playground.figures.wire import f32, figure

UNIT_MAP_ROW_HEIGHT = 100  # the largest map, in px; a row adds 22 px for the titles
UNIT_MAP_PAGE_WIDTH = 760  # the width the default row height assumes
UNIT_MAP_RESOLUTION = 32  # small multiples need no more than 32 × 32 cells,
UNIT_MAP_RESOLUTION_WIDE = 20  # and no more than 20 × 20 when a row has > 6 of them
UNIT_FIGURE_HEIGHT = 480


def _row_scale(values: np.ndarray) -> tuple[float, float, list]:
    """``(zmin, zmax, colorscale)`` shared by a row: 0..max when nothing is negative,
    else symmetric around 0 with the diverging scale."""
    v = values[np.isfinite(values)]
    lo = float(v.min()) if v.size else 0.0
    hi = float(v.max()) if v.size else 0.0
    if lo >= 0:
        return 0.0, (hi if hi > 0 else 1.0), SEQUENTIAL_COLORSCALE
    a = max(abs(lo), abs(hi))
    return -a, a, DIVERGING_COLORSCALE


def _layer_unit_title(l: int, j: int, input_labels: Sequence[str] | None) -> str:
    if l == 0:
        if input_labels is not None and j - 1 < len(input_labels):
            return input_labels[j - 1]
        return f"x{subscript(j)}"
    return f"a[{l}]{subscript(j)}"


def make_unit_maps_figure(
    grid: Grid,
    layer_maps: Sequence[np.ndarray],
    *,
    layer_titles: Sequence[str] | None = None,
    unit_titles: Sequence[Sequence[str]] | None = None,
    height_per_row: int | None = None,
    max_cols: int = 16,
    first_layer: int = 0,
    input_labels: Sequence[str] | None = None,
    max_resolution: int | None = None,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """Small multiples: one row per layer, one small heatmap per unit.

    grid : the Grid the maps were computed on (``xs`` (nx,), ``ys`` (ny,), evenly spaced
        as ``make_grid`` makes them: the heatmaps carry x0, dx, y0, dy, not coordinates).
    layer_maps : arrays of shape (n_units, ny, nx), e.g. ``grid_activations(...)``
        = [A0, A1, ..., AL]; by default the first is taken as layer ``first_layer`` (0:
        the inputs, titled by ``input_labels`` or x₁, x₂...), the next as layer 1, etc.
    layer_titles : one per row (default "input", "layer 1", ...), shown on the left.
    unit_titles : one list of titles per row (default "x₁", "a[1]₁", ...).
    height_per_row : pixels per row; by default about the width a map gets in a
        ~800 px wide page (rows of 16 small maps are flatter than rows of 4).
    max_cols : at most this many units per row are drawn (the first ones).
    max_resolution : maps are thinned (every k-th grid point) to at most this many
        cells per side (default 32, or 20 when a row shows more than 6 units): small
        multiples do not need more, and the payload stays small.

    The subplot grid is rows × cols with cols = the widest layer (≤ max_cols); the map
    of unit c (from 0) in row r has axes x{k}, y{k} with k = r·cols + c + 1, as
    make_subplots numbers them (only cells with a map get axes). Every row shares one
    colour range: 0..max for non-negative rows, else ±max|value|.
    """
    xs, ys = np.asarray(grid.xs), np.asarray(grid.ys)
    maps = [np.asarray(m) for m in layer_maps]
    if not maps:
        raise ValueError("layer_maps is empty")
    for k, m in enumerate(maps):
        if m.ndim != 3 or m.shape[1:] != (ys.size, xs.size):
            raise ValueError(f"layer_maps[{k}] must have shape (n_units, {ys.size}, {xs.size}),"
                             f" got {m.shape}")
    rows = len(maps)
    cols = max(1, min(max(m.shape[0] for m in maps), int(max_cols)))
    if max_resolution is None:
        max_resolution = UNIT_MAP_RESOLUTION if cols <= 6 else UNIT_MAP_RESOLUTION_WIDE
    step = max(1, math.ceil(max(xs.size, ys.size) / max(int(max_resolution), 2)))
    xs_s, ys_s = xs[::step].astype(np.float64), ys[::step].astype(np.float64)
    # make_grid's points are evenly spaced: x0 + dx instead of coordinate arrays.
    cells = {"x0": float(xs_s[0]), "dx": float(xs_s[1] - xs_s[0]) if xs_s.size > 1 else 1.0,
             "y0": float(ys_s[0]), "dy": float(ys_s[1] - ys_s[0]) if ys_s.size > 1 else 1.0}

    if height_per_row is None:
        height_per_row = int(np.clip(UNIT_MAP_PAGE_WIDTH / cols, 60, UNIT_MAP_ROW_HEIGHT)) + 22
    total = rows * height_per_row + 20
    grid_dom = subplot_grid(rows, cols, hs=min(0.02, 0.3 / cols),
                             vs=min(0.3 / rows, 24 / total) if rows > 1 else 0.0)
    hidden = {"showticklabels": False, "ticks": "", "showgrid": False, "zeroline": False,
              "constrain": "domain"}
    traces, axes, annotations = [], {}, []
    for r, m in enumerate(maps):
        l = first_layer + r
        zmin, zmax, cs = _row_scale(m[:cols])
        label = (layer_titles[r] if layer_titles is not None
                 else ("input" if l == 0 else f"layer {l}"))
        if m.shape[0] > cols:
            label += f" (first {cols} of {m.shape[0]})"
        for c in range(min(m.shape[0], cols)):
            k, xdom, ydom = grid_dom[(r, c)]
            a = ax_id(k)
            name = (str(unit_titles[r][c]) if unit_titles is not None
                    else _layer_unit_title(l, c + 1, input_labels))
            traces.append({
                "type": "heatmap", "z": f32(m[c, ::step, ::step]), **cells,
                "zmin": zmin, "zmax": zmax, "colorscale": cs, "showscale": False,
                "zsmooth": "fast", "name": name, "xaxis": f"x{a}", "yaxis": f"y{a}",
                "hovertemplate": (f"{name}<br>x₁ = %{{x:.2f}}<br>x₂ = %{{y:.2f}}"
                                  "<br>value = %{z:.3f}<extra></extra>"),
            })
            axes[f"xaxis{a}"] = {"domain": xdom, "anchor": f"y{a}", **hidden}
            axes[f"yaxis{a}"] = {"domain": ydom, "anchor": f"x{a}", "scaleanchor": f"x{a}",
                                 "scaleratio": 1, "constraintoward": "top", **hidden}
            if c == 0:
                axes[f"yaxis{a}"]["title"] = {"text": label, "standoff": 2,
                                              "font": {"size": SMALL_FONT_SIZE}}
                axes[f"yaxis{a}"]["automargin"] = True
            annotations.append(subplot_title(name, xdom, ydom))
    layout = base_layout(height=total, title=None, uirevision=uirevision,
                     margin={"l": 4, "r": 4, "t": 24, "b": 4}, annotations=annotations, **axes)
    return figure(traces, layout)


def make_unit_figure(
    grid: Grid,
    values,
    *,
    title: str | None,
    X_train=None,
    Y_train=None,
    height: int = UNIT_FIGURE_HEIGHT,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """One unit's output over the plane at full size ("enlarge a unit").

    values : (ny, nx) over ``grid``; X_train (2, m) and Y_train (1, m) optionally drawn
    on top. The colour range is 0..max for non-negative values, else ±max|value|.
    """
    xs, ys = f32(grid.xs), f32(grid.ys)
    V = np.asarray(values)
    if V.shape != (ys.size, xs.size):
        raise ValueError(f"values must have shape {(ys.size, xs.size)}, got {V.shape}")
    zmin, zmax, cs = _row_scale(V)
    traces = [{
        "type": "heatmap", "z": f32(V), "x": xs, "y": ys, "zmin": zmin, "zmax": zmax,
        "colorscale": cs, "zsmooth": "fast", "colorbar": colorbar("value"), "uid": "unit",
        "hovertemplate": "x₁ = %{x:.3f}<br>x₂ = %{y:.3f}<br>value = %{z:.3f}<extra></extra>",
    }]
    points = X_train is not None and Y_train is not None
    if points:
        # Dark outlines: the unit's own colours are the class colours too.
        traces += point_traces(X_train, Y_train, split="train", symbol=TRAIN_SYMBOL,
                                size=TRAIN_MARKER_SIZE - 1,
                                line={"color": INK_COLOR, "width": 1.2})
    layout = base_layout(height=height, title=title, uirevision=uirevision, show_legend=points,
                     legend={"x": 1, "xanchor": "right"}, **plane_axes(xs, ys))
    return figure(traces, layout)

