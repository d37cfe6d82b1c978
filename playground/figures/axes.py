"""Axes and subplot grids shared by several charts: a grid of subplots laid out on the
paper (as ``make_subplots`` would, without its cost), linear or log y axes, and the
iteration axis of every curve over training.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from playground.figures.theme import SMALL_FONT_SIZE


def ax_id(k: int) -> str:
    """Subplot k's axis suffix, as plotly spells it: "" for 1, else "k"."""
    return "" if k == 1 else str(k)


def subplot_grid(rows: int, cols: int, *, hs: float, vs: float,
                  row_heights: Sequence[float] | None = None) -> dict:
    """Paper domains of a rows × cols grid: ``{(r, c): (k, xdomain, ydomain)}`` with r, c
    from 0 at the top left and k = r·cols + c + 1 (make_subplots' numbering)."""
    w = (1 - hs * (cols - 1)) / cols
    free = 1 - vs * (rows - 1)
    shares = np.asarray(row_heights if row_heights is not None else [1] * rows, float)
    heights = free * shares / shares.sum()
    out = {}
    top = 1.0
    for r in range(rows):
        bottom = max(top - heights[r], 0.0)
        for c in range(cols):
            x0 = c * (w + hs)
            out[(r, c)] = (r * cols + c + 1, [x0, min(x0 + w, 1.0)], [bottom, top])
        top = bottom - vs
    return out


def subplot_title(text: str, xdomain, ydomain, size: int = SMALL_FONT_SIZE) -> dict:
    """A subplot's title: centred above its domain, as ``make_subplots`` writes them."""
    return {"text": text, "x": (xdomain[0] + xdomain[1]) / 2, "y": ydomain[1],
            "xref": "paper", "yref": "paper", "xanchor": "center", "yanchor": "bottom",
            "showarrow": False, "font": {"size": size}}



def y_axis_type(log_y: bool, *arrays) -> dict:
    """Axis settings for a linear or log y axis; a log axis spanning a decade or more is
    ticked once per decade (no clutter of 2, 3, 4, ... minor labels)."""
    if not log_y:
        return {"type": "linear"}
    v = np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays] or [[]])
    v = v[np.isfinite(v) & (v > 0)]
    out: dict = {"type": "log"}
    if v.size and np.log10(v.max() / v.min()) >= 1:
        out["dtick"] = 1
    return out




def iteration_axis(it) -> dict:
    """An iteration axis: whole numbers only, from 0. Plotly's own range for a single
    point (iteration 0) is −1…1 with ticks at ±0.5; a short run got ticks at 0.5, 1.5."""
    it = np.asarray(it, dtype=np.float64)
    last = float(np.nanmax(it)) if it.size and np.isfinite(it).any() else 0.0
    first = float(np.nanmin(it)) if it.size and np.isfinite(it).any() else 0.0
    out: dict = {"tickformat": ",d", "rangemode": "nonnegative"}
    if last - first < 10:
        # Few iterations: every whole one is a tick, and the axis starts at the first.
        lo = min(first, 0.0) if first <= 1 else first
        out.update(range=[lo, max(last, lo + 1)], dtick=1, tick0=0)
    else:
        # Said, not left out: plotly.js keeps an axis's last explicit range through
        # Plotly.react when the next figure merely omits it (a chart at iteration 0 after
        # New seed stayed at −1…6 while the run went on to 1,000).
        out["autorange"] = True
    return out

