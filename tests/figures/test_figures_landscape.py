"""playground.figures.landscape: the contour map of J, the path on it, its text alternative."""

from __future__ import annotations

import numpy as np
import pytest
from every_figure import font_sizes

from playground.figures.landscape import landscape_alt, log_ticks, make_landscape_figure
from playground.figures.theme import SMALL_FONT_SIZE
from playground.lab import landscape as LS


@pytest.fixture(scope="module")
def ls(trainer):
    return LS.landscape(trainer, "pca", resolution=21)


def test_the_map_the_path_and_the_current_point(ls):
    fig = make_landscape_figure(ls.s, ls.t, ls.J, ls.path, ls.iterations, ls.path_costs,
                                x_title="PC 1", y_title="PC 2")
    kinds = [t.type for t in fig.data]
    assert kinds == ["contour", "scatter", "scatter", "scatter", "scatter"]
    contour, _, path, start, now = fig.data
    np.testing.assert_allclose(np.asarray(contour.z, float), ls.J, rtol=1e-6)
    assert len(path.x) == len(ls.iterations) and "markers" in path.mode
    assert (float(now.x[0]), float(now.y[0])) == (0.0, 0.0)
    assert now.name == f"θ now (iteration {ls.iterations[-1]:,})"
    assert start.name == "start (iteration 0)"
    assert fig.layout.yaxis.scaleanchor == "x"  # orthonormal: distances kept
    assert fig.layout.xaxis.title.text == "PC 1"
    assert min(font_sizes(fig.to_plotly_json())) >= SMALL_FONT_SIZE


def test_log_scale_colours_by_log_j_and_labels_j(ls):
    fig = make_landscape_figure(ls.s, ls.t, ls.J, ls.path, ls.iterations, ls.path_costs,
                                log_z=True, equal_axes=False)
    contour = fig.data[0]
    np.testing.assert_allclose(np.asarray(contour.z, float), np.log10(ls.J), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(contour.customdata, float), ls.J, rtol=1e-6)
    assert contour.colorbar.title.text == "log J"
    assert len(contour.colorbar.tickvals) == len(contour.colorbar.ticktext) >= 2
    assert fig.layout.yaxis.scaleanchor is None


def test_log_ticks():
    vals, labels = log_ticks(0.2, 3.0)
    assert labels == ["0.2", "0.5", "1", "2"]
    np.testing.assert_allclose(vals, np.log10([0.2, 0.5, 1, 2]))
    assert log_ticks(0.01, 900.0)[1] == ["0.01", "0.1", "1", "10", "100"]
    assert log_ticks(0.7, 1.4)[1] == ["0.7", "0.8", "0.9", "1"]
    assert log_ticks(0.69, 0.72)[1] == ["0.69", "0.705", "0.72"]
    assert log_ticks(0.0, 1.0) == ([], [])


def test_text_alternative_is_computed_from_the_numbers(ls):
    alt = landscape_alt(ls.s, ls.t, ls.J, ls.path, ls.iterations, ls.path_costs,
                        directions="the path's two principal directions",
                        in_plane=ls.in_plane)
    assert alt.startswith("Contour map of the cost J over a 21 by 21 grid around θ at "
                          "iteration 300, along the path's two principal directions: J from ")
    assert f"J at θ now {ls.current_cost:.4g}" in alt
    assert "The path of" in alt and "starts at iteration 0" in alt


def test_text_alternative_of_a_path_that_never_left_theta(ls):
    path = np.zeros((5, 2))
    alt = landscape_alt(ls.s, ls.t, ls.J, path, np.arange(0, 50, 10), np.full(5, 0.6931),
                        directions="two random directions normalized per unit",
                        in_plane=None)
    assert alt.endswith("All 5 recorded iterations, from 0, are θ itself: the path is one "
                        "point.")
