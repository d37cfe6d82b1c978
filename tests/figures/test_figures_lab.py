"""The init lab's figure builders, tested by reading the figures' data."""

import numpy as np

from playground.figures.init_lab import decade_step, make_layer_box_figure, make_per_layer_figure


def test_layer_box_figure():
    rng = np.random.default_rng(0)
    layers = [rng.standard_normal((8, 100)) * s for s in (1.0, 0.1, 0.01)]
    fig = make_layer_box_figure("Xavier", layers, y_title="A[l]", color="#009E73")
    (box,) = fig.data
    assert box.type == "box" and box.name == "Xavier"
    assert sorted(set(np.asarray(box.x).tolist())) == [1, 2, 3]
    assert fig.layout.showlegend is False
    assert fig.layout.yaxis.title.text == "A[l]"
    assert box.marker.color == "#009E73"


def test_per_layer_figure_log_axis_and_gaps():
    fig = make_per_layer_figure(
        [{"name": "He", "x": [1, 2, 3], "y": [0.8, 0.0, 0.7]},
         {"name": "× 0.01", "x": [1, 2, 3], "y": [1e-2, 1e-5, np.inf]}],
        y_title="std of A[l]", x_title="hidden layer l")
    assert [t.name for t in fig.data] == ["He", "× 0.01"]
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.exponentformat == "power"
    he = np.asarray(fig.data[0].y, dtype=float)
    assert he[0] > 0 and np.isnan(he[1])  # 0 cannot sit on a log axis
    assert np.isnan(np.asarray(fig.data[1].y, dtype=float)[2])
    assert fig.layout.xaxis.title.text == "hidden layer l" and fig.layout.xaxis.dtick == 1
    assert all(t.mode == "lines+markers" for t in fig.data)


def test_decade_step_keeps_log_labels_readable():
    assert decade_step([{"y": [0.5, 2.0]}]) == 1
    assert decade_step([{"y": [1e-9, 1e4]}, {"y": [np.nan, 0.0]}]) == 2
    assert decade_step([{"y": [0.0]}]) == 1
    fig = make_per_layer_figure([{"name": "a", "x": [1, 2], "y": [1e-20, 1.0]}], y_title="y")
    assert fig.layout.yaxis.dtick == 3
