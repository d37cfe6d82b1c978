"""The cost landscape: a contour map of J over a plane of weight space, θ + s·d₁ + t·d₂,
with the descent path projected onto it (``make_landscape_figure``), and its text
alternative (``landscape_alt``), from the same numbers. ``playground.lab.landscape``
computes them.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.core import text
from playground.figures.theme import (
    INK_COLOR,
    LINE_WIDTH,
    SERIES_PALETTE,
    SMALL_FONT_SIZE,
    UIREVISION,
    axis,
    base_layout,
    colorbar,
)
from playground.figures.wire import f32, figure

LANDSCAPE_HEIGHT = 560
N_CONTOURS = 24
# Viridis: perceptually ordered and colour-blind safe; the valley (low J) is dark.
LANDSCAPE_COLORSCALE = "Viridis"
PATH_COLOR = "#ffffff"  # on a black halo: visible on the dark valley and the light hills
HALO_COLOR = INK_COLOR
CURRENT_COLOR = SERIES_PALETTE[5]  # orange-yellow (Okabe–Ito), the point θ now
START_COLOR = SERIES_PALETTE[3]  # pink: where the recorded path starts


def log_ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
    """Colour-bar ticks for log₁₀ J between ``lo`` and ``hi`` (J > 0), with J written by
    ``text.number``: at the powers of ten when there are at least 3 of them in range, else
    at 1, 2 and 5 × 10ᵏ, else at every 1 to 9 × 10ᵏ, else at lo, the middle and hi."""
    if not (np.isfinite(lo) and np.isfinite(hi) and 0 < lo <= hi):
        return [], []
    k0, k1 = int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi)))
    for mantissas in ((1,), (1, 2, 5), tuple(range(1, 10))):
        vals = [m * 10.0 ** k for k in range(k0, k1 + 1) for m in mantissas]
        vals = [v for v in vals if lo <= v <= hi]
        if len(vals) >= 3:
            break
    else:
        vals = [lo, float(np.sqrt(lo * hi)), hi] if hi > lo else [lo]
    return [float(np.log10(v)) for v in vals], [text.number(v, 3) for v in vals]


def _contour(s, t, J, log_z: bool) -> dict:
    J = np.asarray(J, dtype=np.float64)
    finite = J[np.isfinite(J)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    with np.errstate(all="ignore"):
        z = np.log10(J) if log_z else J
    bar = colorbar("log J" if log_z else "J")
    if log_z:
        vals, labels = log_ticks(lo, hi)
        bar.update(tickvals=vals, ticktext=labels)
    return {
        "type": "contour", "x": f32(s), "y": f32(t), "z": f32(z), "name": "J",
        "colorscale": LANDSCAPE_COLORSCALE, "ncontours": N_CONTOURS, "colorbar": bar,
        "contours": {"coloring": "heatmap", "showlines": True},
        "line": {"width": 0.5, "color": "rgba(255, 255, 255, 0.35)"},
        # J itself on hover, also on the log scale.
        "customdata": f32(J), "showlegend": False,
        "hovertemplate": "s = %{x:.3g}, t = %{y:.3g}<br>J = %{customdata:.4g}<extra></extra>",
    }


def _path(path, iterations, costs) -> list[dict]:
    path = np.asarray(path, dtype=np.float64)
    its = np.asarray(iterations)
    custom = np.stack([its.astype(np.float64), np.asarray(costs, np.float64)], axis=1)
    halo = {"type": "scatter", "x": f32(path[:, 0]), "y": f32(path[:, 1]), "mode": "lines",
            "line": {"color": HALO_COLOR, "width": LINE_WIDTH + 2.5}, "hoverinfo": "skip",
            "showlegend": False, "name": "path (halo)"}
    line = {"type": "scatter", "x": f32(path[:, 0]), "y": f32(path[:, 1]),
            "mode": "lines+markers", "name": "gradient-descent path",
            "line": {"color": PATH_COLOR, "width": LINE_WIDTH - 1},
            "marker": {"size": 7, "color": PATH_COLOR, "line": {"color": HALO_COLOR,
                                                                "width": 1.5}},
            "customdata": custom,
            "hovertemplate": "iteration %{customdata[0]:,}<br>J = %{customdata[1]:.4g}"
                             "<extra></extra>"}
    start = {"type": "scatter", "x": f32(path[:1, 0]), "y": f32(path[:1, 1]),
             "mode": "markers", "name": f"start (iteration {text.count(its[0])})",
             "marker": {"size": 14, "symbol": "square", "color": START_COLOR,
                        "line": {"color": HALO_COLOR, "width": 2}},
             "hovertemplate": f"iteration {text.count(its[0])}<extra></extra>"}
    current = {"type": "scatter", "x": f32(path[-1:, 0]), "y": f32(path[-1:, 1]),
               "mode": "markers", "name": f"θ now (iteration {text.count(its[-1])})",
               "marker": {"size": 20, "symbol": "star", "color": CURRENT_COLOR,
                          "line": {"color": HALO_COLOR, "width": 2}},
               "hovertemplate": f"θ now, iteration {text.count(its[-1])}<br>"
                                f"J = {text.cost(float(costs[-1]))}<extra></extra>"}
    return [halo, line, start, current]


def make_landscape_figure(
    s, t, J, path, iterations, costs, *,
    log_z: bool = False,
    x_title: str = "s (along d₁)",
    y_title: str = "t (along d₂)",
    equal_axes: bool = True,
    height: int = LANDSCAPE_HEIGHT,
    title: str | None = None,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """J over the plane θ + s·d₁ + t·d₂ as a filled contour map, the path on it.

    s : (nx,), t : (ny,) the grid; J : (ny, nx) (row i is t = t[i]). path : (k, 2) the
    recorded points' (s, t), the last one θ now; iterations : (k,); costs : (k,) J at
    each recorded θ (shown on hover). ``log_z`` colours by log₁₀ J (the colour bar still
    reads J). ``equal_axes``: one unit of s as long as one of t (right for orthonormal
    directions, where the map keeps distances and angles).
    """
    traces = [_contour(s, t, J, log_z), *_path(path, iterations, costs)]
    y_extra = {"scaleanchor": "x", "scaleratio": 1} if equal_axes else {}
    layout = base_layout(
        height=height, title=title, uirevision=uirevision, show_legend=True,
        xaxis=axis(x_title, zeroline=False, showgrid=False, range=[float(s[0]), float(s[-1])],
                   constrain="domain"),
        yaxis=axis(y_title, zeroline=False, showgrid=False, range=[float(t[0]), float(t[-1])],
                   constrain="domain", **y_extra),
        legend={"font": {"size": SMALL_FONT_SIZE}},
        hovermode="closest",
    )
    return figure(traces, layout)


def landscape_alt(s, t, J, path, iterations, costs, *, directions: str,
                  in_plane: float | None) -> str:
    """The map's text alternative: the grid, the range of J and where it is lowest, J now,
    and where the path starts, computed from the figure's numbers. ``directions`` says
    along what ("the path's two principal directions"); ``in_plane`` is the share of the
    path's squared distance from θ that the plane holds (None: the path never left θ)."""
    J = np.asarray(J, dtype=np.float64)
    finite = np.isfinite(J)
    its = np.asarray(iterations)
    head = (f"Contour map of the cost J over a {len(s)} by {len(t)} grid around θ at "
            f"iteration {text.count(its[-1])}, along {directions}")
    if finite.any():
        Jf = np.where(finite, J, np.inf)
        iy, ix = np.unravel_index(int(np.argmin(Jf)), J.shape)
        head += (f": J from {text.spoken(J[finite].min())} to {text.spoken(J[finite].max())}, "
                 f"lowest at s = {text.spoken(s[ix], 3)}, t = {text.spoken(t[iy], 3)}")
    head += f"; J at θ now {text.spoken(costs[-1])}, at the centre."
    if in_plane is None:
        return head + (f" All {len(its)} recorded iterations, from {text.count(its[0])}, "
                       "are θ itself: the path is one point.")
    return head + (f" The path of {len(its)} recorded iterations starts at iteration "
                   f"{text.count(its[0])} at s = {text.spoken(path[0][0], 3)}, t = "
                   f"{text.spoken(path[0][1], 3)}; the plane holds {text.share(in_plane)} "
                   "of its squared distance from θ.")
