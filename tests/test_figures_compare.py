"""Tests of playground.figures_compare, read off the figures' data."""

import numpy as np
import pytest

from playground import figures as F
from playground.diagnostics import make_grid
from playground.figures_compare import make_boundary_thumbnail_figure, make_layer_profile_figure


def test_thumbnail_is_the_boundary_figure_without_legend():
    X = np.array([[-1.0, 1.0, 0.5, -0.5], [-1.0, 1.0, -0.5, 0.5]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    grid = make_grid(X, 20)
    gx, gy = np.meshgrid(grid.xs, grid.ys)
    P = 1 / (1 + np.exp(-(gx + gy)))
    fig = make_boundary_thumbnail_figure(grid, P, X, Y, height=300)
    ref = F.make_decision_boundary_figure(grid, P, X, Y, height=300)
    assert [t.name for t in fig.data] == [t.name for t in ref.data]
    assert fig.layout.showlegend is False
    assert fig.layout.height == 300
    assert fig.layout.margin.t < ref.layout.margin.t


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
