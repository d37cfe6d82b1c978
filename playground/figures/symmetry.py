"""Figure builders of the "Symmetry breaking" page, on top of the general ones.

Pure, like the rest of ``playground.figures``: arrays and dicts in, ``go.Figure`` out, built
on ``series.make_series_figure`` and ``boundary.make_decision_boundary_figure`` and the
``theme``, so fonts, colours and sizes match the rest of the app.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.core import text
from playground.core.diagnostics import Grid
from playground.figures.boundary import make_decision_boundary_figure
from playground.figures.series import SERIES_HEIGHT, make_series_figure
from playground.figures.theme import (
    DIVERGING_COLORSCALE,
    FONT_SIZE,
    GREY_COLOR,
    SMALL_FONT_SIZE,
    TICK_FONT_SIZE,
    subscript,
)

# One colour per compared initialization (column), none of them a class colour (orange
# y = 0, blue y = 1 on the boundaries just above): grey, violet, green, each the colour
# Streamlit draws for its named colour in the columns' headings (INIT_SWATCHES, measured
# in Chromium: rgb(104, 98, 85), rgb(111, 51, 184), rgb(12, 90, 68)).
INIT_PALETTE = ("#686255", "#6f33b8", "#0c5a44")
INIT_SWATCHES = ("gray", "violet", "green")
ROW_HEIGHT = 30  # pixels per unit row of make_unit_rows_figure
COMPACT_BOUNDARY_HEIGHT = 400
COMPACT_MARGIN = 4  # px around a small multiple's plane (its ticks use automargin)
MAX_SIDE_COLUMNS = 3  # [W | b] next to [dW | db] while each has at most 3 columns
MAX_ANNOTATED_COLUMNS = 6  # wider rows show colours only (values on hover)

def make_symmetry_history_figure(
    series: Sequence[Mapping],
    *,
    y_title: str,
    events: Sequence[Mapping] = (),
    log_y: bool = False,
    integer_y: bool = False,
    y_max: float | None = None,
    height: int = SERIES_HEIGHT,
) -> go.Figure:
    """Overlaid histories (distinct units, symmetry measure) with a dotted vertical line
    wherever noise was added to break the symmetry.

    series : as for ``make_series_figure``: ``{"name", "x" (k,), "y" (k,), "color",
        "dash"}``.
    events : ``{"x": iteration, "label", "color"}``, one vertical line each, labelled
        "noise" at the top (the full label on hover of the line's legend entry).
    integer_y : whole-number ticks from 0 to ``y_max`` (counts of units).
    log_y : a log y axis; series that are exactly 0 everywhere cannot be drawn on it, so
        they are left out and listed in ``layout.meta["not_drawn"]``.
    """
    drawn, not_drawn = [], []
    for s in series:
        y = np.asarray(s["y"], dtype=np.float64)
        if log_y and not np.any(y > 0):
            not_drawn.append(s["name"])
        else:
            drawn.append(s)
    fig = make_series_figure(drawn, y_title=y_title, log_y=log_y, height=height)
    for ev in events:
        fig.add_vline(x=float(ev["x"]), line={"color": ev.get("color") or GREY_COLOR,
                                              "width": 2, "dash": "dot"})
        fig.add_annotation(x=float(ev["x"]), y=1, xref="x", yref="paper", yanchor="bottom",
                           text="noise", showarrow=False, hovertext=ev.get("label", "noise"),
                           font={"size": SMALL_FONT_SIZE, "color": ev.get("color") or GREY_COLOR})
    if integer_y:
        top = max(1.0, float(y_max) if y_max is not None else max(
            (float(np.nanmax(np.asarray(s["y"], dtype=np.float64))) for s in drawn
             if np.size(s["y"])), default=1.0))
        fig.update_yaxes(range=[0, top + 0.5], dtick=1 if top <= 16 else None,
                         tick0=0, rangemode="tozero")
    fig.update_layout(meta={"not_drawn": not_drawn})
    return fig



def display_factor(M) -> float:
    """The power of ten factored out of a panel's cells so that they stay short:
    1 when max|M| is in [0.01, 1000) (or M is all 0), else 10^⌊log10 max|M|⌋. Small
    gradients then read ``-4.42`` under a title "× 1e-4" instead of ``-4.42e-4``."""
    M = np.asarray(M, dtype=np.float64)
    finite = np.abs(M[np.isfinite(M)])
    top = float(finite.max()) if finite.size else 0.0
    if top == 0 or 1e-2 <= top < 1e3:
        return 1.0
    return float(10.0 ** math.floor(math.log10(top)))


def make_unit_rows_figure(
    panels: Sequence[tuple[str, np.ndarray, np.ndarray]],
    *,
    layer: int = 1,
    input_labels: Sequence[str] | None = None,
    arrange: str = "auto",
    annotate: bool | None = None,
    row_height: int = ROW_HEIGHT,
) -> go.Figure:
    """One layer's units as rows, in panels that share the rows: typically
    ``[("W", W, b), ("dW", dW, db)]`` draws ``[W[l] | b[l]]`` and ``[dW[l] | db[l]]``.
    These rows are exactly what ``diagnostics.distinct_units`` compares, so clones show
    as identical rows in both.

    panels : ``(symbol, M (n[l], n[l-1]), v (n[l], 1))``; the bias column of symbol
        ``"W"`` is ``"b"``, of ``"dW"`` it is ``"db"``.
    input_labels : the n[l-1] weight columns (default x₁, x₂ for layer 1, a[l-1]ⱼ after).
    arrange : ``"side"`` (panels next to each other), ``"stack"`` (one above the other,
        each as wide as the figure) or ``"auto"``: side by side while the panels have
        at most ``MAX_SIDE_COLUMNS`` columns each, stacked when wider.
    annotate : write the values in the cells; default: when a panel row has at most
        ``MAX_ANNOTATED_COLUMNS`` cells (side by side: ``MAX_SIDE_COLUMNS``).

    Each panel has its own diverging colour scale, symmetric around 0 (white = exactly
    0), so a gradient of 1e-5 shows as clearly as a weight of 1. The cells show 3
    significant digits, after factoring out ``display_factor`` (written in the panel's
    title, e.g. "× 1e-4"); the hover shows the true value with 4.
    """
    if not panels:
        raise ValueError("panels is empty")
    if arrange not in ("auto", "side", "stack"):
        raise ValueError(f"arrange must be 'auto', 'side' or 'stack', got {arrange!r}")
    mats = []
    for sym, M, v in panels:
        M = np.asarray(M, dtype=np.float64)
        v = np.asarray(v, dtype=np.float64).reshape(-1, 1)
        if M.ndim != 2 or v.shape[0] != M.shape[0]:
            raise ValueError(f"{sym}: the matrix must be (n, k) and the bias (n, 1); got "
                             f"{M.shape} and {v.shape}")
        mats.append((sym, np.hstack([M, v])))
    n, k1 = mats[0][1].shape
    if any(m.shape != (n, k1) for _, m in mats):
        raise ValueError("every panel must have the same shape")
    k = k1 - 1
    if input_labels is None:
        input_labels = ([f"x{subscript(j)}" for j in range(1, k + 1)] if layer == 1
                        else [f"a[{layer - 1}]{subscript(j)}" for j in range(1, k + 1)])
    if len(input_labels) != k:
        raise ValueError(f"input_labels has {len(input_labels)} labels for {k} columns")
    side = arrange == "side" or (arrange == "auto" and k1 <= MAX_SIDE_COLUMNS)
    if annotate is None:
        annotate = k1 <= (MAX_SIDE_COLUMNS if side and len(mats) > 1 else MAX_ANNOTATED_COLUMNS)
    rows = [f"unit {i}" for i in range(1, n + 1)]
    factors = [display_factor(M) if annotate else 1.0 for _, M in mats]
    names = [f"[{sym}[{layer}] | {_bias(sym)}[{layer}]]" for sym, _ in mats]
    titles = []
    for name, f, (_, M) in zip(names, factors, mats, strict=True):
        if f != 1:
            name += f"  (× {f:.0e})".replace("e-0", "e-").replace("e+0", "e")
        elif not annotate and not np.any(M):
            name += ": all exactly 0"  # no numbers in the cells to say it
        titles.append(name)
    title_px, ticks_px, gap_px = 30, 30, 66
    rows_px = row_height * n
    if side:
        height = title_px + rows_px + ticks_px
        fig = make_subplots(rows=1, cols=len(mats), shared_yaxes=True,
                            horizontal_spacing=0.06, subplot_titles=titles)
        where = [(1, c) for c in range(1, len(mats) + 1)]
    else:
        # Not shared: the bias column is "b" in one panel and "db" in the other. The gap
        # holds a panel's column labels and the next panel's title.
        height = title_px + len(mats) * rows_px + (len(mats) - 1) * gap_px + ticks_px
        fig = make_subplots(rows=len(mats), cols=1, subplot_titles=titles,
                            vertical_spacing=gap_px / (height - title_px - ticks_px))
        where = [(r, 1) for r in range(1, len(mats) + 1)]
    for (sym, M), title, f, (r, c) in zip(mats, names, factors, where, strict=True):
        cols = [*input_labels, _bias(sym)]
        finite = np.abs(M[np.isfinite(M)])
        zmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
        fig.add_trace(go.Heatmap(
            z=M.astype(np.float32), x=cols, y=rows, zmin=-zmax, zmax=zmax,
            colorscale=DIVERGING_COLORSCALE, showscale=False, xgap=2, ygap=2,
            text=[[text.cell(v / f) for v in row] for row in M] if annotate else None,
            texttemplate="%{text}" if annotate else None,
            textfont={"size": TICK_FONT_SIZE},
            hovertemplate=f"%{{y}}, column %{{x}}<br>{title}: %{{z:.4g}}<extra></extra>",
            name=title, uid=f"rows-{sym}",
        ), row=r, col=c)
    fig.update_layout(template=go.layout.Template(), height=height,
                      margin={"l": 4, "r": 4, "t": title_px, "b": ticks_px},
                      font={"size": FONT_SIZE}, hoverlabel={"font": {"size": TICK_FONT_SIZE}},
                      showlegend=False, uirevision="symmetry-rows",
                      meta={"arrange": "side" if side else "stack", "annotate": annotate})
    fig.update_xaxes(side="bottom", showgrid=False, ticks="", automargin=True,
                     tickfont={"size": TICK_FONT_SIZE}, fixedrange=True)
    fig.update_yaxes(autorange="reversed", showgrid=False, ticks="", automargin=True,
                     tickfont={"size": TICK_FONT_SIZE}, fixedrange=True)
    fig.update_annotations(font_size=FONT_SIZE)
    return fig


def _bias(sym: str) -> str:
    """The bias that goes with a weight symbol: W → b, dW → db."""
    return sym[:-1] + "b" if sym.endswith("W") else "b"


def make_compact_boundary_figure(
    grid: Grid,
    P,
    X_train,
    Y_train,
    *,
    height: int = COMPACT_BOUNDARY_HEIGHT,
    uirevision: str | None = None,
) -> go.Figure:
    """``make_decision_boundary_figure`` for small multiples: the same ŷ, boundary and
    training points, without the legend, the colour bar and the axis titles (the page
    explains the colours and axes once for all columns), so that the plane gets the
    column's whole width: three columns are ~250 px wide on a 1280 px projector.

    The plane stays square (equal scales): where the column is narrower than ``height``
    it sits at the top of the figure (the spare height goes below it, not above), and
    where the column is wider it is centred."""
    fig = make_decision_boundary_figure(grid, P, X_train, Y_train, show_test=False,
                                        height=height, uirevision=uirevision)
    fig.update_traces(showscale=False, selector={"type": "heatmap"})
    compact_plane(fig)
    return fig


def compact_plane(fig: go.Figure) -> go.Figure:
    """A boundary figure as a small multiple, in place: no legend, no axis titles (ticks
    only), margins of 4 px, the square plane at the top of its figure and centred across
    it. Shared with the "Sigmoid vs tanh vs ReLU" thumbnails."""
    fig.update_layout(showlegend=False, margin={"t": COMPACT_MARGIN, "r": COMPACT_MARGIN,
                                                "l": COMPACT_MARGIN, "b": COMPACT_MARGIN})
    fig.update_xaxes(title_text=None, constraintoward="center", ticklen=4)
    fig.update_yaxes(title_text=None, constraintoward="top", ticklen=4)
    return fig
