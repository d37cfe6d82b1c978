"""playground.figures.theme: the theme every figure shares: projector-sized fonts, no default
template, a constant uirevision, titles only when asked, builders that do not change their
inputs. Checked through the figures' data (trace types, arrays, layout settings), never through
pixels."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest
from every_figure import FIGURE_NAMES, font_sizes

from playground.core.diagnostics import Grid
from playground.figures.boundary import make_decision_boundary_figure
from playground.figures.network import make_network_figure
from playground.figures.theme import (
    SMALL_FONT_SIZE,
    TEXT_SIZE,
    UIREVISION,
)


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_every_figure_serialises_small_and_projector_ready(all_figures, name):
    fig = all_figures[name]
    assert isinstance(fig, go.Figure)
    js = fig.to_json()
    spec = json.loads(js)
    # No plotly default template (~6.5 kB of colours) in the payload.
    assert len(json.dumps(spec["layout"].get("template", {}))) < 200
    assert fig.layout.uirevision == UIREVISION
    assert fig.layout.font.size >= 13
    sizes = font_sizes(spec)
    assert sizes and min(sizes) >= 13, sorted(sizes)[:5]
    # Arrays go out as typed binary arrays, and none of them as float64.
    assert '"dtype":"f8"' not in js.replace(" ", "")

def test_no_title_unless_asked(all_figures, trainer, grid, P, data):
    for name in ("boundary", "cost", "series", "box", "matrix"):
        assert not all_figures[name].layout.title.text, name
    fig = make_decision_boundary_figure(grid, P, *data, title="Decision boundary")
    assert fig.layout.title.text == "Decision boundary"

@pytest.mark.parametrize("name", ["boundary", "cost", "series", "unit", "box", "network"])
def test_ticks_legends_and_axis_titles_are_18_px(all_figures, name):
    spec = json.loads(all_figures[name].to_json())
    lay = spec["layout"]
    assert TEXT_SIZE >= 18
    assert lay["font"]["size"] >= 18
    if lay.get("showlegend"):
        assert lay["legend"]["font"]["size"] >= 18
    axes = [v for k, v in lay.items() if k.startswith(("xaxis", "yaxis")) and v.get("visible",
                                                                                     True)]
    for ax in axes:
        if ax.get("showticklabels", True) and "tickfont" in ax:
            assert ax["tickfont"]["size"] >= 18, ax
        if "title" in ax and ax["title"].get("text"):
            assert ax["title"]["font"]["size"] >= 18, ax
    # Nothing anywhere under the small-multiples size.
    assert min(font_sizes(spec)) >= SMALL_FONT_SIZE >= 14

def test_builders_are_pure(trainer, grid, P, data):
    before = {k: v.copy() for k, v in trainer.parameters.items()}
    P0 = P.copy()
    a = make_decision_boundary_figure(grid, P, *data).to_json()
    b = make_decision_boundary_figure(grid, P, *data).to_json()
    assert a == b
    make_network_figure(trainer.layer_dims, trainer.parameters)
    assert all(np.array_equal(before[k], trainer.parameters[k]) for k in before)
    assert np.array_equal(P0, P)
    assert isinstance(grid, Grid)
