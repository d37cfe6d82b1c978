"""Activation functions: each g(z) with its derivative g′(z) and the saturated regions
shaded (``make_activation_curves_figure``), and where each hidden layer's
pre-activations Z[l] fall on its curve during training
(``make_activations_at_work_figure``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from playground.core.diagnostics import (
    SATURATION_THRESHOLD,
    dead_units,
    saturation_fraction,
    saturation_threshold,
)
from playground.core.nn import ACTIVATIONS
from playground.core.text import share
from playground.figures.axes import ax_id, subplot_grid, subplot_title
from playground.figures.theme import (
    FONT_SIZE,
    INK_COLOR,
    LINE_WIDTH,
    SHADE_COLOR,
    SMALL_FONT_SIZE,
    TEST_LINE_COLOR,
    UIREVISION,
    ZERO_LINE_COLOR,
    activation_label,
    axis,
    base_layout,
)
from playground.figures.wire import f32, figure

ACTIVATIONS_HEIGHT = 460
CURVES_ROW_HEIGHT = 270
Z_MIN_RANGE = 4.0  # the z axis always covers at least [-4, 4]
Z_CLIP = 25.0  # and at most [-25, 25]
CURVE_POINTS = 201
HISTOGRAM_BINS = 60
CURVE_Y_LIMIT = 3.0  # g(z) beyond ±3 leaves the plot (ReLU, linear): g'(z) stays readable

# --------------------------------------------------------------------------------------
# Curves, saturated regions and z ranges, shared by both figures.
# --------------------------------------------------------------------------------------


def saturated_intervals(z, name: str, threshold: float = SATURATION_THRESHOLD
                        ) -> list[tuple[float, float]]:
    """The runs of the sorted grid ``z`` (k,) where |g'(z)| < threshold, as (start, end)
    (none for an activation that does not saturate: ``diagnostics.saturation_threshold``)."""
    z = np.asarray(z, dtype=np.float64)
    threshold = saturation_threshold(name, threshold)
    with np.errstate(all="ignore"):
        sat = np.abs(ACTIVATIONS[name].dg(z)) < threshold
    edges = np.flatnonzero(np.diff(np.concatenate([[0], sat.astype(int), [0]])))
    return [(float(z[a]), float(z[b - 1])) for a, b in zip(edges[::2], edges[1::2],
                                                              strict=True)]


def _curve_traces(name: str, z: np.ndarray, a: str, *, legend: bool) -> list[dict]:
    """g(z) solid and g'(z) dashed on the axes x{a}, y{a}."""
    act = ACTIVATIONS[name]
    with np.errstate(all="ignore"):
        g, dg = act.g(z), act.dg(z)
    common = {"type": "scatter", "x": f32(z), "mode": "lines", "showlegend": legend,
              "xaxis": f"x{a}", "yaxis": f"y{a}"}
    return [
        {**common, "y": f32(g), "name": "g(z)", "legendgroup": "g",
         "line": {"color": INK_COLOR, "width": LINE_WIDTH},
         "hovertemplate": "z = %{x:.2f}<br>g(z) = %{y:.3f}<extra></extra>",
         "meta": {"kind": "g", "activation": name}},
        {**common, "y": f32(dg), "name": "g′(z)", "legendgroup": "dg",
         "line": {"color": TEST_LINE_COLOR, "width": LINE_WIDTH, "dash": "dash"},
         "hovertemplate": "z = %{x:.2f}<br>g′(z) = %{y:.3f}<extra></extra>",
         "meta": {"kind": "dg", "activation": name}},
    ]


def _curve_y_range(name: str, z: np.ndarray) -> list[float]:
    act = ACTIVATIONS[name]
    with np.errstate(all="ignore"):
        v = np.concatenate([act.g(z), act.dg(z)])
    lo = max(min(float(np.nanmin(v)), -0.1), -CURVE_Y_LIMIT)
    hi = min(max(float(np.nanmax(v)), 1.0), CURVE_Y_LIMIT)
    pad = 0.08 * (hi - lo)
    return [lo - pad, hi + pad]


def _shades(intervals, z: np.ndarray, axis_ids: Sequence[str]) -> list[dict]:
    """Light vertical bands over the saturated intervals, on each subplot x{a}, y{a}."""
    dz = float(z[1] - z[0]) if z.size > 1 else 0.0
    return [{"type": "rect", "xref": f"x{a}", "yref": f"y{a} domain", "x0": lo - dz / 2,
             "x1": hi + dz / 2, "y0": 0, "y1": 1, "layer": "below", "fillcolor": SHADE_COLOR,
             "line": {"width": 0}, "name": "saturated"}
            for lo, hi in intervals for a in axis_ids]


def _z_range(Z: np.ndarray) -> tuple[float, float]:
    v = Z[np.isfinite(Z)]
    lo = float(v.min()) if v.size else 0.0
    hi = float(v.max()) if v.size else 0.0
    lo = max(min(-Z_MIN_RANGE, math.floor(lo)), -Z_CLIP)
    hi = min(max(Z_MIN_RANGE, math.ceil(hi)), Z_CLIP)
    return lo, hi



# --------------------------------------------------------------------------------------
# Activations at work: where Z[l] falls on g.
# --------------------------------------------------------------------------------------


def make_activations_at_work_figure(
    activation_names: Sequence[str],
    Zs: Sequence[np.ndarray],
    *,
    height: int = ACTIVATIONS_HEIGHT,
    bins: int = HISTOGRAM_BINS,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """Where each hidden layer's pre-activations fall on its activation curve.

    activation_names : one key of ``ACTIVATIONS`` per hidden layer l = 1..L-1.
    Zs : Z[l] of shape (n[l], m) over the training data, one per hidden layer.

    One column per layer: g(z) and g′(z) on top, the histogram of every entry of Z[l]
    below (shared z axis; entries outside the plotted range are counted in the end bins;
    the bars' ``meta`` says how many were clipped). Regions where |g′(z)| < 0.05 are
    shaded; titles read "layer 1 · tanh · 12% saturated" (and "· 3 dead" for dead units).
    Column c (from 1) has the axes x{c}, y{c} on top and x{n+c}, y{n+c} below.
    """
    names = list(activation_names)
    if len(names) != len(Zs):
        raise ValueError(f"{len(names)} activation names for {len(Zs)} layers of Z")
    n = len(names)
    if n == 0:
        note = {"text": "no hidden layer: this is logistic regression", "x": 0.5, "y": 0.5,
                "xref": "paper", "yref": "paper", "showarrow": False,
                "font": {"size": FONT_SIZE}}
        layout = base_layout(height=height // 2, title=None, uirevision=uirevision,
                         annotations=[note], xaxis={"visible": False},
                         yaxis={"visible": False})
        return figure([], layout)
    grid = subplot_grid(2, n, hs=min(0.08, 0.4 / n), vs=0.08, row_heights=[0.55, 0.45])
    traces, shapes, annotations, axes = [], [], [], {}
    grid_style = {"gridcolor": "rgba(128, 128, 128, 0.2)"}
    for c, (name, Z) in enumerate(zip(names, Zs, strict=True)):
        Z = np.asarray(Z, dtype=np.float64)
        l = c + 1
        k_top, xdom, ydom_top = grid[(0, c)]
        k_bot, _, ydom_bot = grid[(1, c)]
        top, bot = ax_id(k_top), ax_id(k_bot)
        title = f"layer {l} · {activation_label(name)} · "
        if Z.size == 0:  # no examples: the diagnostics' means are undefined
            title += "no data"
        else:
            title += f"{share(saturation_fraction(Z, name))} saturated"
            dead = dead_units(Z, name)
            if dead:
                title += f" · {dead} dead"
        annotations.append(subplot_title(title, xdom, ydom_top, SMALL_FONT_SIZE + 1))
        lo, hi = _z_range(Z)
        z = np.linspace(lo, hi, CURVE_POINTS)
        traces += _curve_traces(name, z, top, legend=c == 0)
        v = Z[np.isfinite(Z)].ravel()
        clipped = int(np.sum((v < lo) | (v > hi)))
        counts, edges = np.histogram(np.clip(v, lo, hi), bins=bins, range=(lo, hi))
        traces.append({
            "type": "bar", "x": f32(0.5 * (edges[:-1] + edges[1:])),
            "y": counts.astype(np.int32), "width": float(edges[1] - edges[0]),
            "marker": {"color": "#6b8fb3", "line": {"width": 0}},
            "customdata": f32(np.column_stack([edges[:-1], edges[1:]])),
            "hovertemplate": ("z from %{customdata[0]:.2f} to %{customdata[1]:.2f}"
                              "<br>%{y} entries<extra></extra>"),
            "showlegend": False, "name": f"Z[{l}]", "xaxis": f"x{bot}", "yaxis": f"y{bot}",
            "meta": {"kind": "histogram", "layer": l, "clipped": clipped},
        })
        shapes += _shades(saturated_intervals(z, name), z, [top, bot])
        axes[f"xaxis{top}"] = axis(domain=xdom, anchor=f"y{top}", matches=f"x{bot}",
                                    showticklabels=False, range=[lo, hi], zeroline=False,
                                    **grid_style)
        axes[f"xaxis{bot}"] = axis(f"z in Z[{l}]", domain=xdom, anchor=f"y{bot}",
                                    range=[lo, hi], zeroline=False, **grid_style)
        axes[f"yaxis{top}"] = axis(domain=ydom_top, anchor=f"x{top}",
                                    range=_curve_y_range(name, z), zeroline=True,
                                    zerolinecolor=ZERO_LINE_COLOR, **grid_style)
        axes[f"yaxis{bot}"] = axis("count" if c == 0 else None, domain=ydom_bot,
                                    anchor=f"x{bot}", zeroline=True,
                                    zerolinecolor=ZERO_LINE_COLOR, **grid_style)
    layout = base_layout(height=height, title=None, uirevision=uirevision, show_legend=True,
                     hovermode="closest", bargap=0, margin={"t": 64}, legend={"y": 1.09},
                     shapes=shapes, annotations=annotations, **axes)
    return figure(traces, layout)

# --------------------------------------------------------------------------------------
# The activation functions themselves.
# --------------------------------------------------------------------------------------


def make_activation_curves_figure(
    names: Sequence[str],
    *,
    z_min: float = -5.0,
    z_max: float = 5.0,
    shade_saturation: bool = True,
    height: int | None = None,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """Small multiples of activation functions: g(z) solid, g′(z) dashed, up to 3 a row.

    names : keys of ``ACTIVATIONS``. Regions where |g′(z)| < 0.05 are shaded when
    ``shade_saturation``. Height defaults to ``CURVES_ROW_HEIGHT`` per row. Subplot k
    (from 1, row by row) has the axes x{k}, y{k}.
    """
    names = list(names)
    if not names:
        raise ValueError("names is empty: pass at least one activation")
    for name in names:
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}; choose from {', '.join(ACTIVATIONS)}")
    if not z_max > z_min:
        raise ValueError(f"z_max must exceed z_min, got [{z_min}, {z_max}]")
    cols = min(len(names), 3)
    rows = math.ceil(len(names) / cols)
    if height is None:
        height = CURVES_ROW_HEIGHT * rows + 40
    grid = subplot_grid(rows, cols, hs=0.07, vs=min(0.3 / rows, 0.12))
    z = np.linspace(z_min, z_max, CURVE_POINTS)
    traces, shapes, annotations, axes = [], [], [], {}
    style = {"zeroline": True, "zerolinecolor": ZERO_LINE_COLOR,
             "gridcolor": "rgba(128, 128, 128, 0.2)"}
    for i, name in enumerate(names):
        r, c = divmod(i, cols)
        k, xdom, ydom = grid[(r, c)]
        a = ax_id(k)
        traces += _curve_traces(name, z, a, legend=i == 0)
        if shade_saturation:
            shapes += _shades(saturated_intervals(z, name), z, [a])
        annotations.append(subplot_title(ACTIVATIONS[name].label, xdom, ydom, FONT_SIZE))
        last_in_column = i + cols >= len(names)
        axes[f"xaxis{a}"] = axis("z" if last_in_column else None, domain=xdom,
                                  anchor=f"y{a}", range=[z_min, z_max], **style)
        axes[f"yaxis{a}"] = axis(domain=ydom, anchor=f"x{a}",
                                  range=_curve_y_range(name, z), **style)
    layout = base_layout(height=height, title=None, uirevision=uirevision, show_legend=True,
                     hovermode="closest", margin={"t": 64}, legend={"y": 1.06},
                     shapes=shapes, annotations=annotations, **axes)
    return figure(traces, layout)
