"""The decision boundary: ŷ over the plane, the line ŷ = 0.5, and the data points.

The Playground redraws it every live frame, so it is built as a spec first
(``decision_boundary_spec``, plain dicts and arrays that the live chart sends as they are);
``make_decision_boundary_figure`` is the same spec as a ``go.Figure``.
"""

from __future__ import annotations

import textwrap

import numpy as np
import plotly.graph_objects as go

from playground.core.diagnostics import Grid
from playground.core.text import probability
from playground.figures.contour import contour_line
from playground.figures.plane import plane_axes, point_traces, points_xy
from playground.figures.theme import (
    BOUNDARY_WIDTH,
    DISCRETE_COLORSCALE,
    INK_COLOR,
    PROBABILITY_COLORSCALE,
    SMALL_FONT_SIZE,
    TEST_MARKER_SIZE,
    TEST_SYMBOL,
    TRAIN_MARKER_SIZE,
    TRAIN_SYMBOL,
    UIREVISION,
    USER_MARKER_SIZE,
    USER_SYMBOL,
    base_layout,
    colorbar,
)
from playground.figures.wire import f32, figure

BOUNDARY_HEIGHT = 520
NOTE_LINE_CHARS = 18  # the no-boundary note on the plane, per line (boundary_note)
SCATTERGL_THRESHOLD = 3000  # more points than this: WebGL markers

# ŷ must reach this far on both sides of 0.5 for the line ŷ = 0.5 to mean something: an
# untrained network's ŷ is 0.5 ± 1e-4 everywhere, and its 0.5 line is a jagged trace of
# rounding, not a boundary between classes.
BOUNDARY_MIN_MARGIN = 0.01


def boundary_note(P, margin: float = BOUNDARY_MIN_MARGIN) -> str | None:
    """Why no boundary is drawn over ``P`` (ny, nx), or None when ŷ crosses 0.5 by at
    least ``margin`` on both sides (then the line ŷ = 0.5 is drawn).

    The note states the range of ŷ, computed: "no boundary yet: ŷ is within 0.5 ± 0.0003
    everywhere", "no boundary: ŷ < 0.5 everywhere (0.112 to 0.402): every point is
    predicted y = 0", and so on."""
    P = np.asarray(P, dtype=np.float64)
    finite = P[np.isfinite(P)]
    if not finite.size:
        return "no boundary: ŷ is not a number anywhere"
    lo, hi = float(finite.min()), float(finite.max())
    if lo <= 0.5 - margin and hi >= 0.5 + margin:
        return None
    spread = max(abs(lo - 0.5), abs(hi - 0.5))
    if spread < margin:
        half = float(f"{spread:.2g}") if spread > 0 else 0.0
        if half < spread:  # rounded down: say the next 2-digit value up, still true
            half = float(f"{spread * 1.05:.2g}")
        return (f"no boundary yet: ŷ is within 0.5 ± "
                f"{np.format_float_positional(half, trim='-')} everywhere"
                if half > 0 else "no boundary: ŷ = 0.5 exactly everywhere")
    if hi < 0.5:
        return (f"no boundary: ŷ < 0.5 everywhere ({probability(lo)} to {probability(hi)}): "
                "every point is predicted y = 0")
    if lo > 0.5:
        return (f"no boundary: ŷ > 0.5 everywhere ({probability(lo)} to {probability(hi)}): "
                "every point is predicted y = 1")
    if hi < 0.5 + margin:
        return (f"no boundary: ŷ never exceeds 0.5 by {margin:g} (highest {probability(hi)}): "
                "no region is clearly y = 1")
    return (f"no boundary: ŷ never falls below 0.5 by {margin:g} (lowest {probability(lo)}): "
            "no region is clearly y = 0")


def decision_boundary_spec(
    grid: Grid,
    P,
    X_train,
    Y_train,
    X_test=None,
    Y_test=None,
    *,
    discretize: bool = False,
    show_test: bool = True,
    title: str | None = None,
    height: int = BOUNDARY_HEIGHT,
    user_points=None,
    smooth: bool = True,
    uirevision: str | None = UIREVISION,
) -> dict:
    """ŷ over the plane, the boundary ŷ = 0.5, and the data points, as a figure spec:
    ``{"data": traces, "layout": layout}`` of plain dicts and arrays (the live page sends
    it as it is; :func:`make_decision_boundary_figure` makes it a ``go.Figure``).

    Parameters
    ----------
    grid : ``playground.core.diagnostics.Grid`` with ``xs`` (nx,) and ``ys`` (ny,).
    P : (ny, nx) ŷ over the grid, in [0, 1] (``probability_grid``).
    X_train : (2, m) raw points; Y_train : (1, m) labels 0/1.
    X_test, Y_test : (2, m_test) and (1, m_test), or None; drawn when ``show_test``.
    discretize : two flat class colours split at ŷ = 0.5 instead of the shaded ŷ.
    user_points : optional ``(X, Y)`` of shapes (2, k) and (1, k): points a student
        added, drawn as stars.
    smooth : interpolate the heatmap between grid points (``zsmooth="fast"``: the
        browser's own bilinear image smoothing of the uniform grid. It looks the same as
        plotly.js's "best", drawn in JavaScript pixel by pixel, at about half the time:
        54 against 112 ms a first draw, 64 against 85 ms a redraw, 1280 x 720).

    Traces, in order: the heatmap of ŷ, the boundary (only when P crosses 0.5 by
    ``BOUNDARY_MIN_MARGIN`` on both sides; otherwise an annotation on the plane says why
    there is none, and ``layout.meta["boundary_note"]`` holds it), then the points
    ("train, y=0", "train, y=1", "test, y=0", "test, y=1", "added, y=0", ...).
    Above ``SCATTERGL_THRESHOLD`` points, the markers are WebGL (``scattergl``).
    """
    xs, ys = f32(grid.xs), f32(grid.ys)
    P = np.asarray(P)
    if P.shape != (ys.size, xs.size):
        raise ValueError(f"P must have shape (ny, nx) = {(ys.size, xs.size)}, got {P.shape}")
    traces = [{
        "type": "heatmap", "x": xs, "y": ys, "z": f32(P), "zmin": 0.0, "zmax": 1.0,
        "uid": "yhat", "name": "ŷ",
        "colorscale": DISCRETE_COLORSCALE if discretize else PROBABILITY_COLORSCALE,
        "zsmooth": "fast" if smooth else False,
        "colorbar": colorbar("ŷ", tickvals=[0, 0.5, 1]),
        "hovertemplate": "x₁ = %{x:.3f}<br>x₂ = %{y:.3f}<br>ŷ = %{z:.3f}<extra></extra>",
    }]
    note = boundary_note(P)
    cx, cy = contour_line(xs, ys, P, 0.5) if note is None else (np.zeros(0), np.zeros(0))
    if cx.size:
        traces.append({
            "type": "scatter", "x": cx, "y": cy, "mode": "lines", "name": "ŷ = 0.5",
            "uid": "boundary", "hoverinfo": "skip", "connectgaps": False,
            "line": {"color": INK_COLOR, "width": BOUNDARY_WIDTH},
        })
    X_train = points_xy(X_train, "X_train")
    n_points = X_train.shape[1] + (np.shape(X_test)[1] if X_test is not None else 0)
    gl = n_points > SCATTERGL_THRESHOLD
    traces += point_traces(X_train, Y_train, split="train", symbol=TRAIN_SYMBOL,
                            size=TRAIN_MARKER_SIZE, line={"color": "white", "width": 1.5},
                            gl=gl)
    if show_test and X_test is not None and Y_test is not None and np.size(X_test):
        traces += point_traces(X_test, Y_test, split="test", symbol=TEST_SYMBOL,
                                size=TEST_MARKER_SIZE, line={"width": 2.5}, gl=gl)
    if user_points is not None:
        Xu, Yu = user_points
        if np.size(Xu):
            traces += point_traces(Xu, Yu, split="added", symbol=USER_SYMBOL,
                                    size=USER_MARKER_SIZE,
                                    line={"color": INK_COLOR, "width": 1.5})
    layout = base_layout(height=height, title=title, uirevision=uirevision, show_legend=True,
                     hovermode="closest", legend={"x": 1, "xanchor": "right"},
                     meta={"boundary_note": note},
                     **plane_axes(xs, ys, [X_train, X_test if show_test else None,
                                            None if user_points is None else user_points[0]]))
    if note is not None:
        # Said on the plane itself, where the line would be, in short lines: the plane may
        # be ~190 px wide (three columns on a projector, a tablet), and a note wider than
        # the plane would spill over the x₂ tick labels. NOTE_LINE_CHARS characters of
        # SMALL_FONT_SIZE are ~140 px; a number is never split.
        head, _, detail = note.partition(": ")
        lines = [head + ":", *textwrap.wrap(detail, NOTE_LINE_CHARS, break_long_words=False)]
        layout["annotations"] = [{
            "text": "<br>".join(lines), "xref": "x domain", "yref": "y domain",
            "x": 0.5, "y": 0.97, "xanchor": "center", "yanchor": "top", "showarrow": False,
            "font": {"size": SMALL_FONT_SIZE, "color": INK_COLOR},
            "bgcolor": "rgba(255, 255, 255, 0.85)", "borderpad": 4}]
    return {"data": traces, "layout": layout}


def make_decision_boundary_figure(*args, **kwargs) -> go.Figure:
    """The figure of :func:`decision_boundary_spec` (same arguments)."""
    return figure(**decision_boundary_spec(*args, **kwargs))

