"""playground.figures.series: curves over training and distributions per layer: the cost chart,
overlaid series, box plots. Checked through the figures' data (trace types, arrays, layout
settings), never through pixels."""

from __future__ import annotations

import numpy as np
import pytest
from every_figure import names

from playground.engine.trainer import Trainer
from playground.figures.series import (
    BOX_MAX_VALUES,
    cost_spec,
    make_box_figure,
    make_cost_figure,
    make_series_figure,
    subsample_sorted,
)


def test_cost_figure_rows_and_traces(trainer):
    h = trainer.history()
    fig = make_cost_figure(h)
    assert names(fig) == ["train J", "test J", "train accuracy", "test accuracy"]
    train, test, acc, test_acc = fig.data
    assert np.array_equal(train.x, h["iteration"])
    assert np.allclose(train.y, h["train_cost"], rtol=1e-6)
    assert np.allclose(test.y, h["test_cost"], rtol=1e-6)
    assert test.line.dash == "dash" and train.line.dash == "solid"
    assert train.line.width >= 2
    assert (train.xaxis, train.yaxis) == ("x", "y")
    assert (acc.xaxis, acc.yaxis) == ("x2", "y2") and test_acc.yaxis == "y2"
    assert fig.layout.xaxis.matches == "x2"  # the rows share x
    assert fig.layout.xaxis2.title.text == "iteration"
    assert fig.layout.yaxis.title.text == "cost J"
    assert fig.layout.yaxis.type == "linear"
    lo, hi = fig.layout.yaxis2.range
    assert lo == 0 and 1 <= hi <= 1.1
    assert fig.layout.yaxis2.domain[1] < fig.layout.yaxis.domain[0]  # accuracy below
    assert (fig.layout.yaxis2.domain[1] - fig.layout.yaxis2.domain[0]
            < fig.layout.yaxis.domain[1] - fig.layout.yaxis.domain[0])
    assert fig.layout.hovermode == "x unified"

def test_cost_figure_options(trainer, data):
    h = trainer.history()
    fig = make_cost_figure(h, log_y=True, show_data_term=True)
    assert fig.layout.yaxis.type == "log"
    data_term = {t.name: t for t in fig.data}["train cross-entropy"]
    assert data_term.line.dash == "dot"
    assert np.allclose(data_term.y, h["train_data_cost"], rtol=1e-6)
    no_test = make_cost_figure(h, show_test=False)
    assert names(no_test) == ["train J", "train accuracy"]
    t = Trainer(data[0], data[1], hidden=(2,), activations=("tanh",))
    t.step(5)
    assert np.all(np.isnan(t.history()["test_cost"]))
    assert names(make_cost_figure(t.history())) == ["train J", "train accuracy"]

def test_cost_figure_single_point_history(data):
    t = Trainer(data[0], data[1], hidden=(2,), activations=("tanh",))
    fig = make_cost_figure(t.history())
    assert fig.data[0].mode == "lines+markers"
    fig.to_json()

def test_cost_axis_at_iteration_0_is_whole_iterations_from_0(zero_trainer):
    h = zero_trainer.history()
    assert list(h["iteration"]) == [0]
    lay = cost_spec(h)["layout"]
    for ax in ("xaxis", "xaxis2"):
        assert lay[ax]["range"] == [0.0, 1.0]
        assert lay[ax]["dtick"] == 1 and lay[ax]["tickformat"] == ",d"
    # A longer run keeps plotly's own ticks, whole numbers, from 0.
    long = {k: np.concatenate([v, v]) for k, v in h.items()}
    long["iteration"] = np.array([0, 500])
    ax = cost_spec(long)["layout"]["xaxis2"]
    assert "range" not in ax and "dtick" not in ax
    assert ax["tickformat"] == ",d" and ax["rangemode"] == "nonnegative"
    # Said outright: plotly.js keeps the last explicit range through Plotly.react when a
    # figure merely omits it (after New seed the axis stayed at −1…6 while the run went on).
    assert ax["autorange"] is True

def test_series_figure():
    x = np.arange(10)
    series = [{"name": "seed 1", "x": x, "y": np.linspace(1, 0.1, 10)},
              {"name": "seed 2", "x": x, "y": np.linspace(2, 0.2, 10), "dash": "dot",
               "color": "#123456"}]
    band = [{"name": "seed 1", "x": x, "lo": np.linspace(0.5, 0.05, 10),
             "hi": np.linspace(1.5, 0.15, 10), "color": "#0072B2"}]
    fig = make_series_figure(series, y_title="cost J", band=band, log_y=True)
    assert [t.meta["kind"] for t in fig.data] == ["band", "series", "series"]
    b = fig.data[0]
    assert b.fill == "toself" and "rgba" in b.fillcolor
    assert np.allclose(b.y, np.concatenate([band[0]["hi"], band[0]["lo"][::-1]]))
    assert np.array_equal(b.x, np.concatenate([x, x[::-1]]))
    assert b.legendgroup == "seed 1" == fig.data[1].legendgroup
    assert fig.data[2].line.dash == "dot" and fig.data[2].line.color == "#123456"
    assert fig.data[1].line.color != fig.data[2].line.color
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.title.text == "cost J"
    assert fig.layout.xaxis.title.text == "iteration"
    assert fig.layout.hovermode == "x unified"
    lin = make_series_figure(series, y_title="α", x_title="t")
    assert lin.layout.yaxis.type == "linear" and lin.layout.xaxis.title.text == "t"

def test_series_over_iterations_get_the_same_iteration_axis():
    fig = make_series_figure([{"name": "J", "x": [0], "y": [0.69]}], y_title="cost J")
    assert list(fig.layout.xaxis.range) == [0, 1] and fig.layout.xaxis.dtick == 1
    other = make_series_figure([{"name": "g", "x": [-1, 1], "y": [0, 1]}], y_title="g",
                               x_title="z")
    assert other.layout.xaxis.range is None and other.layout.xaxis.tickformat is None

def test_subsample_sorted():
    rng = np.random.default_rng(0)
    v = rng.standard_normal(10_000)
    s = subsample_sorted(v)
    assert s.size == BOX_MAX_VALUES
    assert s[0] == v.min() and s[-1] == v.max()
    assert np.median(s) == pytest.approx(np.median(v), abs=0.01)
    assert np.array_equal(s, subsample_sorted(v))
    assert subsample_sorted(np.array([3.0, np.nan, 1.0])).tolist() == [1.0, 3.0]

def test_box_figure(deep_trainer):
    Zs = [c.Z for c in deep_trainer.caches()]
    groups = [{"name": "He", "layers": Zs}, {"name": "random × 0.01",
                                             "layers": [z * 0.01 for z in Zs]}]
    fig = make_box_figure(groups, y_title="Z[l]")
    assert [t.type for t in fig.data] == ["box", "box"]
    assert names(fig) == ["He", "random × 0.01"]
    assert fig.layout.boxmode == "group"
    assert fig.data[0].marker.color != fig.data[1].marker.color
    L = len(Zs)
    for t in fig.data:
        counts = np.bincount(t.x, minlength=L + 1)
        assert counts[0] == 0
        for l in range(1, L + 1):
            assert counts[l] == min(Zs[l - 1].size, BOX_MAX_VALUES)
    first = fig.data[0].y[fig.data[0].x == 1]
    assert first.max() == pytest.approx(Zs[0].max(), rel=1e-6)
    assert list(fig.layout.xaxis.ticktext) == [f"layer {l}" for l in range(1, L + 1)]
    assert fig.layout.yaxis.title.text == "Z[l]"
    log = make_box_figure([{"name": "|Z|", "layers": [np.abs(z) + 1e-3 for z in Zs]}],
                          y_title="|Z|", log_y=True)
    assert log.layout.yaxis.type == "log"
    # Subsampled, float32 values: well under what the full float64 arrays would weigh.
    assert len(fig.to_json()) < sum(z.size for z in Zs) * 2 * 8
