"""Pure figure builders for the "Sigmoid vs tanh vs ReLU" page.

Built on ``playground.figures.boundary`` and the ``theme``, these add what a side-by-side
comparison needs: a decision boundary small enough to stand four in a row, and the
gradient's size layer by layer (the vanishing gradient of deep sigmoid networks).
Same conventions: arrays in, ``go.Figure`` out, fonts legible on a projector.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from playground.core.diagnostics import Grid
from playground.figures.boundary import make_decision_boundary_figure
from playground.figures.symmetry import compact_plane
from playground.figures.theme import (
    BOUNDARY_WIDTH,
    FONT_FAMILY,
    FONT_SIZE,
    HOVER_FONT_SIZE,
    INK_COLOR,
    LINE_WIDTH,
    MARGIN,
    PROBABILITY_COLORSCALE,
    SERIES_PALETTE,
    TEXT_COLOR,
    TICK_FONT_SIZE,
    UIREVISION,
)

THUMBNAIL_HEIGHT = 290
KEY_HEIGHT = 64  # the shared colour key of the thumbnails: a 28 px strip over its ticks
KEY_TICK_SPACE = 32  # px below the strip for its tick labels
PROFILE_HEIGHT = 400
MARKER_SIZE = 10


def make_boundary_thumbnail_figure(
    grid: Grid,
    P,
    X_train,
    Y_train,
    X_test=None,
    Y_test=None,
    *,
    height: int = THUMBNAIL_HEIGHT,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """``figures.make_decision_boundary_figure`` for a small multiple: the same heatmap of
    ŷ, boundary ŷ = 0.5 and points, without the legend (the page explains the markers once),
    the colour bar (one shared key: :func:`make_probability_key_figure`) and the axis
    titles, so that the square plane fills the column's width (~260 px at 1280 px with the
    sidebar); spare height goes below it (``figures_symmetry.compact_plane``)."""
    fig = make_decision_boundary_figure(grid, P, X_train, Y_train, X_test, Y_test,
                                        height=height, uirevision=uirevision)
    fig.update_traces(showscale=False, selector={"type": "heatmap"})
    return compact_plane(fig)


def make_probability_key_figure(*, height: int = KEY_HEIGHT) -> go.Figure:
    """The colour key shared by a row of boundary thumbnails: a horizontal strip of the
    thumbnails' own colour scale over ŷ from 0 to 1, ticked at 0, 0.5 and 1, with the
    black line the thumbnails draw at ŷ = 0.5 (their decision boundary)."""
    x = np.linspace(0.0, 1.0, 101, dtype=np.float32)
    fig = go.Figure([
        go.Heatmap(x=x, y=[0.0, 1.0], z=np.vstack([x, x]), zmin=0.0, zmax=1.0,
                   colorscale=PROBABILITY_COLORSCALE, showscale=False, zsmooth="fast",
                   hovertemplate="ŷ = %{x:.2f}<extra></extra>", name="ŷ"),
        go.Scatter(x=[0.5, 0.5], y=[0.0, 1.0], mode="lines", name="ŷ = 0.5",
                   line={"color": INK_COLOR, "width": BOUNDARY_WIDTH},
                   hoverinfo="skip", showlegend=False),
    ])
    fig.update_layout(
        template=go.layout.Template(), height=int(height), showlegend=False,
        margin={"l": 40, "r": 40, "t": 4, "b": KEY_TICK_SPACE}, uirevision="probability-key",
        font={"size": FONT_SIZE, "family": FONT_FAMILY, "color": TEXT_COLOR})
    fig.update_xaxes(range=[0, 1], tickvals=[0, 0.5, 1], ticktext=["ŷ = 0", "0.5", "1"],
                     tickfont={"size": TICK_FONT_SIZE}, ticks="outside", ticklen=4,
                     automargin=False, showgrid=False, zeroline=False, fixedrange=True)
    fig.update_yaxes(range=[0, 1], visible=False, fixedrange=True)
    return fig


def make_layer_profile_figure(
    profiles: Sequence[Mapping],
    *,
    y_title: str,
    layer_prefix: str = "dW",
    log_y: bool = True,
    height: int = PROFILE_HEIGHT,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """A value per layer l = 1..L, one line per profile: e.g. ||dW[l]|| at one iteration.

    profiles : dicts ``{"name", "y" (L,), optional "color", optional "dash"}``; all have
        the same length L. The x axis reads ``dW[1] … dW[L]`` (``layer_prefix``).
    log_y : a log axis, where a gradient shrinking by a factor per layer is a straight
        slope; non-positive values (a gradient of exactly 0) are left out of a log plot.
    """
    profiles = list(profiles)
    if not profiles:
        raise ValueError("profiles is empty: pass at least one line")
    L = len(np.asarray(profiles[0]["y"]))
    if L == 0 or any(len(np.asarray(p["y"])) != L for p in profiles):
        raise ValueError("every profile needs the same, non-zero number of layers")
    x = np.arange(1, L + 1, dtype=np.int32)
    fig = go.Figure()
    for i, p in enumerate(profiles):
        y = np.asarray(p["y"], dtype=np.float64)
        if log_y:
            y = np.where(y > 0, y, np.nan)
        color = p.get("color") or SERIES_PALETTE[i % len(SERIES_PALETTE)]
        fig.add_trace(go.Scatter(
            x=x, y=y.astype(np.float32), name=p["name"], mode="lines+markers",
            line={"color": color, "width": LINE_WIDTH, "dash": p.get("dash") or "solid"},
            marker={"size": MARKER_SIZE, "color": color},
            hovertemplate=f"{p['name']}<br>{layer_prefix}[%{{x}}]: %{{y:.3g}}<extra></extra>",
            meta={"kind": "profile"},
        ))
    fig.update_layout(
        template=go.layout.Template(), height=int(height), uirevision=uirevision,
        margin={**MARGIN, "t": MARGIN["t"] + 34}, font={"size": FONT_SIZE},
        hoverlabel={"font": {"size": HOVER_FONT_SIZE}}, hovermode="closest",
        legend={"font": {"size": TICK_FONT_SIZE}, "orientation": "h", "x": 0,
                "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
    )
    fig.update_xaxes(title_text="layer l (1 = first hidden layer, L = output)",
                     tickvals=x.tolist(), ticktext=[f"{layer_prefix}[{l}]" for l in x],
                     range=[0.7, L + 0.3], tickfont={"size": TICK_FONT_SIZE},
                     title_font={"size": FONT_SIZE}, automargin=True,
                     gridcolor="rgba(128,128,128,0.25)", zeroline=False)
    fig.update_yaxes(title_text=y_title, type="log" if log_y else "linear",
                     tickfont={"size": TICK_FONT_SIZE}, title_font={"size": FONT_SIZE},
                     automargin=True, gridcolor="rgba(128,128,128,0.25)")
    return fig
