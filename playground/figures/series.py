"""Curves over training and distributions per layer: the cost and accuracy over the
iterations (``cost_spec``, redrawn every live frame, and ``make_cost_figure``), overlaid
series with optional bands (``make_series_figure``), and grouped box plots of each layer's
values (``make_box_figure``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from playground.figures.axes import iteration_axis, subplot_grid, y_axis_type
from playground.figures.theme import (
    BAND_OPACITY,
    GREY_COLOR,
    GRID_COLOR,
    INK_COLOR,
    LINE_WIDTH,
    SERIES_PALETTE,
    TEST_LINE_COLOR,
    TICK_FONT_SIZE,
    TRAIN_LINE_COLOR,
    UIREVISION,
    ZERO_LINE_COLOR,
    axis,
    base_layout,
    rgba,
)
from playground.figures.wire import f32, figure

COST_HEIGHT = 440
SERIES_HEIGHT = 360
BOX_HEIGHT = 400
BOX_MAX_VALUES = 2000

# --------------------------------------------------------------------------------------
# The cost curve.
# --------------------------------------------------------------------------------------


def cost_spec(
    history: Mapping[str, np.ndarray],
    *,
    log_y: bool = False,
    show_test: bool = True,
    show_data_term: bool = False,
    height: int = COST_HEIGHT,
    title: str | None = None,
    uirevision: str | None = UIREVISION,
    mark_iteration: int | None = None,
) -> dict:
    """The cost J (top) and the accuracy (bottom, smaller) over the iterations, as a
    figure spec ``{"data", "layout"}``; :func:`make_cost_figure` makes it a ``go.Figure``.

    history : the dict of ``Trainer.history()``: ``iteration`` (k,), ``train_cost``,
        ``train_data_cost``, ``test_cost``, ``train_accuracy``, ``test_accuracy`` (k,) ...
        The test traces are left out when ``show_test`` is False or they are all NaN.
    show_data_term : also draw the cross-entropy term of J alone (dotted), which differs
        from J when there is regularization.
    mark_iteration : draw a vertical line through both rows at this iteration (the
        replayed one), labelled with it.

    The rows share x (the top axis ``matches`` the bottom one); hovering shows every
    trace of a row at that iteration (``hovermode="x unified"``).
    """
    it = np.asarray(history["iteration"])
    mode = "lines" if it.size > 2 else "lines+markers"
    traces = []

    def line(key, name, color, dash, row, fmt):
        # One legend entry per split: "train J" also toggles "train accuracy".
        group = key.split("_")[0] if key != "train_data_cost" else key
        traces.append({
            "type": "scatter", "x": it, "y": f32(history[key]), "name": name, "uid": key,
            "mode": mode, "line": {"color": color, "width": LINE_WIDTH, "dash": dash},
            # A lone first point sits on the axis' edge: draw its marker whole.
            "cliponaxis": it.size > 2,
            "hovertemplate": f"%{{y:{fmt}}}", "legendgroup": group, "showlegend": row == 1,
            "xaxis": "x" if row == 1 else "x2", "yaxis": "y" if row == 1 else "y2",
        })

    test = show_test and _has_values(history.get("test_cost", []))
    line("train_cost", "train J", TRAIN_LINE_COLOR, "solid", 1, ".4f")
    if show_data_term:
        line("train_data_cost", "train cross-entropy", TRAIN_LINE_COLOR, "dot", 1, ".4f")
    if test:
        line("test_cost", "test J", TEST_LINE_COLOR, "dash", 1, ".4f")
    line("train_accuracy", "train accuracy", TRAIN_LINE_COLOR, "solid", 2, ".1%")
    if test and _has_values(history.get("test_accuracy", [])):
        line("test_accuracy", "test accuracy", TEST_LINE_COLOR, "dash", 2, ".1%")
    grid = subplot_grid(2, 1, hs=0, vs=0.07, row_heights=[0.7, 0.3])
    costs = [history[k] for k in ("train_cost", "train_data_cost", "test_cost") if k in history]
    x_common = {"showgrid": True, "gridcolor": GRID_COLOR, "zeroline": False,
                **iteration_axis(it)}
    layout = base_layout(
        height=height, title=title, uirevision=uirevision, show_legend=True,
        hovermode="x unified",
        xaxis=axis(domain=grid[(0, 0)][1], anchor="y", matches="x2", showticklabels=False,
                    **x_common),
        xaxis2=axis("iteration", domain=grid[(1, 0)][1], anchor="y2", **x_common),
        yaxis=axis("cost J", domain=grid[(0, 0)][2], anchor="x", gridcolor=GRID_COLOR,
                    rangemode="normal" if log_y else "tozero", **y_axis_type(log_y, *costs)),
        yaxis2=axis("accuracy", domain=grid[(1, 0)][2], anchor="x2", range=[0, 1.05],
                     tickvals=[0, 0.5, 1], tickformat=".0%", gridcolor=GRID_COLOR),
    )
    if mark_iteration is not None:
        layout["shapes"] = [{"type": "line", "xref": "x2", "yref": "paper",
                             "x0": int(mark_iteration), "x1": int(mark_iteration),
                             "y0": 0, "y1": 1, "line": {"color": INK_COLOR, "width": 2,
                                                        "dash": "dot"}}]
        layout["annotations"] = [{"x": int(mark_iteration), "xref": "x2", "y": 1,
                                  "yref": "paper", "yanchor": "bottom", "showarrow": False,
                                  "text": f"iteration {int(mark_iteration):,}",
                                  "font": {"size": TICK_FONT_SIZE}}]
    return {"data": traces, "layout": layout}



def make_cost_figure(*args, **kwargs) -> go.Figure:
    """The figure of :func:`cost_spec` (same arguments)."""
    return figure(**cost_spec(*args, **kwargs))


def _has_values(a) -> bool:
    a = np.asarray(a, dtype=np.float64)
    return bool(a.size) and bool(np.isfinite(a).any())


# --------------------------------------------------------------------------------------
# Overlaid series.
# --------------------------------------------------------------------------------------


def _xarray(x) -> np.ndarray:
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.integer) else f32(x)


def make_series_figure(
    series: Sequence[Mapping],
    *,
    y_title: str,
    log_y: bool = False,
    height: int = SERIES_HEIGHT,
    x_title: str = "iteration",
    band: Sequence[Mapping] | None = None,
    title: str | None = None,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """Overlaid lines, optionally over translucent bands (e.g. mean with min–max).

    series : dicts ``{"name", "x" (k,), "y" (k,), optional "dash", optional "color"}``;
        colours default to ``SERIES_PALETTE`` in order.
    band : dicts ``{"name", "x" (k,), "lo" (k,), "hi" (k,), "color"}``, drawn first, in
        the legend group of the series of the same name (whose colour they default to).
    """
    colors = {}
    for i, s in enumerate(series):
        colors[s["name"]] = s.get("color") or SERIES_PALETTE[i % len(SERIES_PALETTE)]
    traces = []
    for b in band or []:
        color = b.get("color") or colors.get(b["name"], GREY_COLOR)
        x = np.asarray(b["x"])
        traces.append({
            "type": "scatter", "x": _xarray(np.concatenate([x, x[::-1]])),
            "y": f32(np.concatenate([np.asarray(b["hi"]), np.asarray(b["lo"])[::-1]])),
            "fill": "toself", "fillcolor": rgba(color, BAND_OPACITY), "mode": "lines",
            "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False,
            "name": f"{b['name']} (range)", "legendgroup": b["name"], "meta": {"kind": "band"},
        })
    for s in series:
        x = np.asarray(s["x"])
        traces.append({
            "type": "scatter", "x": _xarray(x), "y": f32(s["y"]), "name": s["name"],
            "legendgroup": s["name"], "mode": "lines" if x.size > 2 else "lines+markers",
            "line": {"color": colors[s["name"]], "width": LINE_WIDTH,
                     "dash": s.get("dash") or "solid"},
            "hovertemplate": "%{y:.4g}", "meta": {"kind": "series"},
        })
    ys = [s["y"] for s in series] + [b[k] for b in band or [] for k in ("lo", "hi")]
    layout = base_layout(
        height=height, title=title, uirevision=uirevision, show_legend=True,
        hovermode="x unified",
        xaxis=axis(x_title, gridcolor=GRID_COLOR, zeroline=False,
                    **(iteration_axis(np.concatenate(
                        [np.asarray(s["x"], dtype=np.float64).ravel() for s in series]
                        or [np.zeros(0)])) if x_title == "iteration" else {})),
        yaxis=axis(y_title, gridcolor=GRID_COLOR, **y_axis_type(log_y, *ys)),
    )
    return figure(traces, layout)

# --------------------------------------------------------------------------------------
# Distributions per layer.
# --------------------------------------------------------------------------------------


def subsample_sorted(values, k: int = BOX_MAX_VALUES) -> np.ndarray:
    """At most ``k`` values that keep the distribution: the finite values sorted, taken
    at evenly spaced ranks (the minimum and maximum included). Deterministic."""
    v = np.asarray(values, dtype=np.float64).ravel()
    v = np.sort(v[np.isfinite(v)])
    if v.size <= k:
        return v
    return v[np.rint(np.linspace(0, v.size - 1, k)).astype(np.int64)]


def make_box_figure(
    groups: Sequence[Mapping],
    *,
    y_title: str,
    log_y: bool = False,
    height: int = BOX_HEIGHT,
    title: str | None = None,
    max_values: int = BOX_MAX_VALUES,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """Grouped box plots of each layer's values, one colour per group.

    groups : dicts ``{"name": "random × 0.01", "layers": [array_l1, array_l2, ...]}``
        (optional ``"color"``); each array (any shape, e.g. Z[l] (n[l], m)) is flattened
        and subsampled to at most ``max_values`` values (``subsample_sorted``). One box
        trace per group, with x the layer number 1..L (ticks "layer 1".."layer L");
        whiskers reach the minimum and maximum.
    """
    traces = []
    n_layers = 0
    for g_i, g in enumerate(groups):
        xs, ys = [], []
        for l, a in enumerate(g["layers"], start=1):
            v = subsample_sorted(a, max_values)
            xs.append(np.full(v.size, l, dtype=np.int16))
            ys.append(v)
            n_layers = max(n_layers, l)
        x = np.concatenate(xs) if xs else np.zeros(0, np.int16)
        y = f32(np.concatenate(ys)) if ys else np.zeros(0, np.float32)
        color = g.get("color") or SERIES_PALETTE[g_i % len(SERIES_PALETTE)]
        traces.append({
            "type": "box", "x": x, "y": y, "name": g["name"], "boxpoints": False,
            "offsetgroup": str(g_i), "marker": {"color": color}, "line": {"width": 2},
            "fillcolor": rgba(color, 0.3), "meta": {"kind": "box"},
        })
    layout = base_layout(
        height=height, title=title, uirevision=uirevision, show_legend=True, boxmode="group",
        xaxis=axis(tickvals=list(range(1, n_layers + 1)),
                    ticktext=[f"layer {l}" for l in range(1, n_layers + 1)],
                    range=[0.5, n_layers + 0.5], showgrid=False, zeroline=False),
        yaxis=axis(y_title, gridcolor=GRID_COLOR, zerolinecolor=ZERO_LINE_COLOR,
                    **y_axis_type(log_y, *[a for g in groups for a in g["layers"]])),
    )
    return figure(traces, layout)
