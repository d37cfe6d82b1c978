"""Tests of playground.figures.compare, read off the figures' data."""

import numpy as np
import pytest

from playground.core.diagnostics import make_grid
from playground.figures.boundary import make_decision_boundary_figure
from playground.figures.compare import (
    make_boundary_thumbnail_figure,
    make_layer_profile_figure,
    make_probability_key_figure,
)
from playground.figures.theme import INK_COLOR


def test_thumbnail_is_the_boundary_figure_without_legend(four_points):
    grid, P, X, Y = four_points
    fig = make_boundary_thumbnail_figure(grid, P, X, Y, height=300)
    ref = make_decision_boundary_figure(grid, P, X, Y, height=300)
    assert [t.name for t in fig.data] == [t.name for t in ref.data]
    assert fig.layout.showlegend is False
    assert fig.layout.height == 300
    assert fig.layout.margin.t < ref.layout.margin.t
    # Issue 13 item 12: ~150 px thumbnails beside their own colour bars. No colour bar (one
    # shared key) and no axis titles: the square plane fills the column's width.
    assert ref.data[0].showscale is not False and fig.data[0].showscale is False
    assert fig.layout.xaxis.title.text is None and fig.layout.yaxis.title.text is None
    assert fig.layout.yaxis.constraintoward == "top"


def test_probability_key_is_the_thumbnails_colour_scale():
    X = np.array([[-1.0, 1.0], [-1.0, 1.0]])
    grid = make_grid(X, 10)
    thumb = make_boundary_thumbnail_figure(grid, np.full(grid.shape, 0.3), X,
                                           np.array([[0.0, 1.0]]))
    key = make_probability_key_figure()
    strip, line = key.data
    assert strip.type == "heatmap" and strip.showscale is False
    assert strip.colorscale == thumb.data[0].colorscale  # the same colours for the same ŷ
    assert (strip.zmin, strip.zmax) == (thumb.data[0].zmin, thumb.data[0].zmax) == (0, 1)
    np.testing.assert_allclose(strip.z[0], strip.x)  # colour = ŷ along the strip
    assert strip.x[0] == 0 and strip.x[-1] == 1
    assert list(line.x) == [0.5, 0.5] and line.line.color == INK_COLOR  # the boundary's
    assert list(key.layout.xaxis.tickvals) == [0, 0.5, 1]
    assert key.layout.yaxis.visible is False
    assert key.layout.height < 100  # a strip, not another chart


def test_layer_profile_figure():
    fig = make_layer_profile_figure(
        [{"name": "sigmoid · start", "y": [1e-3, 1e-2, 0.1], "color": "#0072B2"},
         {"name": "relu · start", "y": [0.0, 0.05, 0.1], "dash": "dash"}],
        y_title="||dW[l]||")
    assert [t.name for t in fig.data] == ["sigmoid · start", "relu · start"]
    assert list(fig.data[0].x) == [1, 2, 3]
    assert list(fig.layout.xaxis.ticktext) == ["dW[1]", "dW[2]", "dW[3]"]
    assert fig.layout.yaxis.type == "log"
    assert np.isnan(fig.data[1].y[0])  # a zero gradient has no place on a log axis
    assert fig.data[1].line.dash == "dash" and fig.data[0].line.color == "#0072B2"
    lin = make_layer_profile_figure([{"name": "a", "y": [0.0, 1.0]}], y_title="v", log_y=False)
    assert lin.data[0].y[0] == 0 and lin.layout.yaxis.type == "linear"


@pytest.mark.parametrize("profiles", [[], [{"name": "a", "y": [1, 2]}, {"name": "b", "y": [1]}],
                                      [{"name": "a", "y": []}]])
def test_layer_profile_figure_rejects_bad_input(profiles):
    with pytest.raises(ValueError):
        make_layer_profile_figure(profiles, y_title="v")
