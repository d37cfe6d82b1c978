"""Figure builders of the initialization scale lab, on top of ``playground.figures.series``.

Pure like their base: arrays in, ``plotly.graph_objects.Figure`` out, tested by reading
the figure's data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from playground.figures.series import BOX_HEIGHT, SERIES_HEIGHT, make_box_figure, make_series_figure


def make_layer_box_figure(name: str, layers: Sequence[np.ndarray], *, y_title: str,
                          color: str | None = None, height: int = BOX_HEIGHT) -> go.Figure:
    """One initialization's values per layer (e.g. A[l] (n[l], m) for l = 1..L-1) as box
    plots, without a legend: the page names the initialization above the chart."""
    fig = make_box_figure([{"name": name, "layers": list(layers), "color": color}],
                          y_title=y_title, height=height)
    fig.update_layout(showlegend=False, margin={"t": 10})
    return fig


MAX_DECADE_TICKS = 8


def decade_step(series: Sequence[Mapping]) -> int:
    """Ticks every 1, 2, 3 … decades so that a log axis shows at most ~8 labels."""
    ys = np.concatenate([np.asarray(s["y"], dtype=float).ravel() for s in series] or [[]])
    ys = ys[np.isfinite(ys) & (ys > 0)]
    if ys.size == 0:
        return 1
    span = float(np.log10(ys.max()) - np.log10(ys.min()))
    return max(1, int(np.ceil(span / MAX_DECADE_TICKS)))


def make_per_layer_figure(series: Sequence[Mapping], *, y_title: str, x_title: str = "layer l",
                          height: int = SERIES_HEIGHT) -> go.Figure:
    """A positive quantity per layer (std of A[l], ||dW[l]||), one line per
    initialization, on a log y axis written in powers of ten (1e-8, not "10n").

    series : dicts ``{"name", "x" (layers 1..k), "y" (k,), optional "color"}``; values
        that are 0 or not finite cannot sit on a log axis and are left out (a gap).
    """
    clean = []
    for s in series:
        y = np.asarray(s["y"], dtype=float)
        clean.append({**s, "x": np.asarray(s["x"], dtype=np.int64),
                      "y": np.where(np.isfinite(y) & (y > 0), y, np.nan)})
    fig = make_series_figure(clean, y_title=y_title, x_title=x_title, log_y=True,
                             height=height)
    fig.update_yaxes(exponentformat="power", dtick=decade_step(clean))
    fig.update_xaxes(dtick=1)
    fig.update_traces(mode="lines+markers", marker={"size": 8})
    return fig
