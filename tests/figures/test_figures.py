"""Tests for playground.figures.charts: every builder is checked through its figure's data
(trace types, arrays, layout settings), never through pixels."""

from __future__ import annotations

import json
import math

import numpy as np
import plotly.graph_objects as go
import pytest

from playground.core.datasets import make_dataset, train_test_split
from playground.core.diagnostics import (
    SATURATION_THRESHOLD,
    Grid,
    dead_units,
    grid_activations,
    make_grid,
    probability_grid,
    saturation_fraction,
)
from playground.core.nn import ACTIVATIONS
from playground.engine.trainer import Trainer
from playground.figures import charts as F

# --------------------------------------------------------------------------------------
# Shared inputs, built with the real core.
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    X, Y = make_dataset("moons", 200, seed=0)
    return train_test_split(X, Y, 0.25, seed=0)


@pytest.fixture(scope="module")
def trainer(data):
    X_train, Y_train, X_test, Y_test = data
    t = Trainer(X_train, Y_train, X_test, Y_test, hidden=(4,), activations=("tanh",),
                learning_rate=1.0)
    t.step(300)
    return t


@pytest.fixture(scope="module")
def grid(data):
    return make_grid(np.hstack([data[0], data[2]]), resolution=50)


@pytest.fixture(scope="module")
def P(trainer, grid):
    return probability_grid(grid, trainer.parameters, trainer.activations)


@pytest.fixture(scope="module")
def deep_trainer(data):
    t = Trainer(data[0], data[1], hidden=(16,) * 6, activations=("relu",) * 6, init="he")
    t.step(20)
    return t


@pytest.fixture(scope="module")
def zero_trainer(data):
    return Trainer(data[0], data[1], hidden=(4,), activations=("tanh",), init="zeros")


def _names(fig):
    return [t.name for t in fig.data]


def _font_sizes(obj, inside_font=False):
    """Every ``size`` found in a font-like dict of the figure's JSON."""
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            fontish = k in ("font", "tickfont", "textfont", "titlefont", "insidetextfont")
            if inside_font and k == "size" and isinstance(v, (int, float)):
                out.append(v)
            out += _font_sizes(v, fontish)
    elif isinstance(obj, list):
        for v in obj:
            out += _font_sizes(v, False)
    return out


def _all_figures(trainer, grid, P, data, deep_trainer, zero_trainer):
    h = trainer.history()
    caches = trainer.caches()
    maps = grid_activations(grid, trainer.parameters, trainer.activations)
    return {
        "boundary": F.make_decision_boundary_figure(grid, P, *data),
        "cost": F.make_cost_figure(h),
        "network": F.make_network_figure(trainer.layer_dims, trainer.parameters,
                                         activations=trainer.activations),
        "network_zero": F.make_network_figure(zero_trainer.layer_dims,
                                              zero_trainer.parameters),
        "network_deep": F.make_network_figure(deep_trainer.layer_dims, deep_trainer.parameters,
                                              activations=deep_trainer.activations),
        "unit_maps": F.make_unit_maps_figure(grid, maps),
        "unit": F.make_unit_figure(grid, maps[1][0], title="a[1]₁", X_train=data[0],
                                   Y_train=data[1]),
        "at_work": F.make_activations_at_work_figure(["tanh"], [caches[0].Z]),
        "curves": F.make_activation_curves_figure(["sigmoid", "tanh", "relu"]),
        "matrix": F.make_matrix_heatmap_figure(trainer.parameters["W1"]),
        "series": F.make_series_figure([{"name": "J", "x": h["iteration"],
                                         "y": h["train_cost"]}], y_title="cost J"),
        "box": F.make_box_figure([{"name": "a", "layers": [c.Z for c in caches]}],
                                 y_title="Z[l]"),
        "confusion": F.make_confusion_figure(data[1], trainer.predict_proba(data[0]),
                                             title=None),
    }


@pytest.fixture(scope="module")
def all_figures(trainer, grid, P, data, deep_trainer, zero_trainer):
    return _all_figures(trainer, grid, P, data, deep_trainer, zero_trainer)


# --------------------------------------------------------------------------------------
# Every figure.
# --------------------------------------------------------------------------------------


FIGURE_NAMES = ["boundary", "cost", "network", "network_zero", "network_deep", "unit_maps",
                "unit", "at_work", "curves", "matrix", "series", "box", "confusion"]


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_every_figure_serialises_small_and_projector_ready(all_figures, name):
    fig = all_figures[name]
    assert isinstance(fig, go.Figure)
    js = fig.to_json()
    spec = json.loads(js)
    # No plotly default template (~6.5 kB of colours) in the payload.
    assert len(json.dumps(spec["layout"].get("template", {}))) < 200
    assert fig.layout.uirevision == F.UIREVISION
    assert fig.layout.font.size >= 13
    sizes = _font_sizes(spec)
    assert sizes and min(sizes) >= 13, sorted(sizes)[:5]
    # Arrays go out as typed binary arrays, and none of them as float64.
    assert '"dtype":"f8"' not in js.replace(" ", "")


def test_no_title_unless_asked(all_figures, trainer, grid, P, data):
    for name in ("boundary", "cost", "series", "box", "matrix"):
        assert not all_figures[name].layout.title.text, name
    fig = F.make_decision_boundary_figure(grid, P, *data, title="Decision boundary")
    assert fig.layout.title.text == "Decision boundary"


# --------------------------------------------------------------------------------------
# 1. Decision boundary.
# --------------------------------------------------------------------------------------


def test_boundary_traces_and_heatmap(grid, P, data):
    fig = F.make_decision_boundary_figure(grid, P, *data)
    assert [t.type for t in fig.data] == ["heatmap"] + ["scatter"] * 5
    assert _names(fig) == ["ŷ", "ŷ = 0.5", "train, y=0", "train, y=1", "test, y=0",
                           "test, y=1"]
    hm = fig.data[0]
    assert hm.z.shape == (50, 50) and hm.z.dtype == np.float32
    assert np.array_equal(hm.z, P.astype(np.float32))
    assert 0 <= hm.z.min() and hm.z.max() <= 1
    assert (hm.zmin, hm.zmax) == (0, 1)
    assert np.array_equal(hm.x, grid.xs) and np.array_equal(hm.y, grid.ys)
    assert hm.colorbar.title.text == "ŷ"
    assert hm.colorbar.thickness <= 15
    scale = hm.colorscale
    assert scale[0][1].lower() == F.LIGHT_ORANGE and scale[-1][1].lower() == F.LIGHT_BLUE
    assert dict(scale)[0.5].lower() == F.NEUTRAL_COLOR
    for k in ("x₁", "x₂", "ŷ"):
        assert k in hm.hovertemplate


def test_boundary_contour_is_at_one_half(grid, P, data):
    fig = F.make_decision_boundary_figure(grid, P, *data)
    line = fig.data[1]
    assert line.mode == "lines" and line.line.width >= 2 and line.line.color == F.INK_COLOR
    xs, ys = grid.xs.astype(np.float64), grid.ys.astype(np.float64)
    x, y = line.x.astype(np.float64), line.y.astype(np.float64)
    ok = np.isfinite(x)
    assert ok.sum() > 10
    for px, py in zip(x[ok], y[ok], strict=True):
        i = np.flatnonzero(np.isclose(ys, py, atol=1e-5))
        if i.size:  # on a row of the grid: interpolate along x
            value = np.interp(px, xs, P[i[0]])
        else:
            j = np.flatnonzero(np.isclose(xs, px, atol=1e-5))
            assert j.size, (px, py)
            value = np.interp(py, ys, P[:, j[0]])
        assert value == pytest.approx(0.5, abs=1e-3)


def test_boundary_skipped_for_constant_P_and_nan(grid, data):
    for value in (0.3, 0.5, 0.9):
        fig = F.make_decision_boundary_figure(grid, np.full(grid.shape, value), *data)
        assert "ŷ = 0.5" not in _names(fig)
        fig.to_json()
    P = np.full(grid.shape, np.nan)
    fig = F.make_decision_boundary_figure(grid, P, data[0], data[1])
    assert [t.type for t in fig.data][0] == "heatmap"


def test_boundary_shape_mismatch_raises(grid, P, data):
    with pytest.raises(ValueError, match="shape"):
        F.make_decision_boundary_figure(grid, P[:, :-1], data[0], data[1])


def test_boundary_discretize_uses_two_flat_colours(grid, P, data):
    fig = F.make_decision_boundary_figure(grid, P, *data, discretize=True)
    scale = [(s, c.lower()) for s, c in fig.data[0].colorscale]
    assert scale == [(0.0, F.LIGHT_ORANGE), (0.5, F.LIGHT_ORANGE), (0.5, F.LIGHT_BLUE),
                     (1.0, F.LIGHT_BLUE)]
    assert "ŷ = 0.5" in _names(fig)


def test_boundary_points_by_class_and_split(grid, P, data):
    X_train, Y_train, X_test, Y_test = data
    fig = F.make_decision_boundary_figure(grid, P, *data)
    by = {t.name: t for t in fig.data}
    for split, X, Y in (("train", X_train, Y_train), ("test", X_test, Y_test)):
        for c in (0, 1):
            t = by[f"{split}, y={c}"]
            mask = Y[0] == c
            assert np.array_equal(t.x, X[0, mask].astype(np.float32))
            assert np.array_equal(t.y, X[1, mask].astype(np.float32))
            assert t.marker.color == F.CLASS_COLORS[c]
            assert f"y = {c}" in t.hovertemplate and "x₁" in t.hovertemplate
            assert t.text is None  # hover comes from the template, not per-point strings
    assert by["train, y=0"].marker.symbol == "circle"
    assert by["test, y=0"].marker.symbol != by["train, y=0"].marker.symbol
    assert by["train, y=0"].marker.line.color == "white"


def test_boundary_test_points_follow_show_test(grid, P, data):
    X_train, Y_train, X_test, Y_test = data
    hidden = F.make_decision_boundary_figure(grid, P, *data, show_test=False)
    assert not any(n.startswith("test") for n in _names(hidden))
    absent = F.make_decision_boundary_figure(grid, P, X_train, Y_train)
    assert not any(n.startswith("test") for n in _names(absent))
    empty = F.make_decision_boundary_figure(grid, P, X_train, Y_train, X_test[:, :0],
                                            Y_test[:, :0])
    assert not any(n.startswith("test") for n in _names(empty))


def test_boundary_user_points_are_stars(grid, P, data):
    Xu = np.array([[0.5, -0.5, 1.0], [0.2, 0.3, -0.1]])
    Yu = np.array([[1.0, 0.0, 1.0]])
    fig = F.make_decision_boundary_figure(grid, P, *data, user_points=(Xu, Yu))
    by = {t.name: t for t in fig.data}
    assert by["added, y=1"].marker.symbol == "star"
    assert np.array_equal(by["added, y=1"].x, np.float32([0.5, 1.0]))
    assert np.array_equal(by["added, y=0"].y, np.float32([0.3]))
    none = F.make_decision_boundary_figure(grid, P, *data, user_points=(Xu[:, :0], Yu[:, :0]))
    assert not any(n.startswith("added") for n in _names(none))


def test_boundary_layout(grid, P, data):
    fig = F.make_decision_boundary_figure(grid, P, *data, height=480)
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    assert fig.layout.xaxis.title.text == "x₁" and fig.layout.yaxis.title.text == "x₂"
    assert fig.layout.height == 480
    # The axes show every heatmap cell in full.
    dx = float(grid.xs[1] - grid.xs[0])
    assert fig.layout.xaxis.range[0] == pytest.approx(grid.xs[0] - dx / 2, rel=1e-5)
    assert fig.layout.margin.l <= 20 and fig.layout.margin.r <= 20
    assert fig.layout.uirevision == F.UIREVISION
    other = F.make_decision_boundary_figure(grid, P, *data, uirevision="moons")
    assert other.layout.uirevision == "moons"


def test_boundary_payload_under_60_kB(grid, P, data):
    fig = F.make_decision_boundary_figure(grid, P, *data)
    size = len(fig.to_json())
    print(f"decision boundary, 50×50 grid, {data[0].shape[1]}+{data[2].shape[1]} points: "
          f"{size} bytes")
    assert size < 60_000
    # The same with the course's 400 points.
    X, Y = make_dataset("flower", 400, seed=1)
    g = make_grid(X, 50)
    t = Trainer(X, Y, hidden=(4,), activations=("tanh",))
    t.step(50)
    P4 = probability_grid(g, t.parameters, t.activations)
    assert len(F.make_decision_boundary_figure(g, P4, X, Y).to_json()) < 60_000


def test_many_points_use_webgl(grid, P):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, F.SCATTERGL_THRESHOLD + 10))
    Y = (rng.random((1, X.shape[1])) > 0.5).astype(float)
    fig = F.make_decision_boundary_figure(grid, P, X, Y)
    assert {t.type for t in fig.data[2:]} == {"scattergl"}


# ---- the level curve itself ----------------------------------------------------------


def test_contour_line_straight_circle_and_saddle():
    xs = np.linspace(-1, 1, 41)
    ys = np.linspace(-1, 1, 31)
    gx, gy = np.meshgrid(xs, ys)
    x, y = F.contour_line(xs, ys, 1 / (1 + np.exp(-(gx - 0.3) * 5)))
    assert np.all(np.isfinite(x))  # one polyline
    assert np.allclose(x, 0.3, atol=1e-5)
    assert y.min() == pytest.approx(-1) and y.max() == pytest.approx(1)
    # A circle of radius 0.5 is one closed loop.
    x, y = F.contour_line(xs, ys, np.hypot(gx, gy), level=0.5)
    assert np.all(np.isfinite(x))
    assert (x[0], y[0]) == (x[-1], y[-1])
    assert np.allclose(np.hypot(x, y), 0.5, atol=0.02)
    # A saddle cell gives two separate pieces.
    x, y = F.contour_line([0.0, 1.0], [0.0, 1.0], np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert np.isnan(x).sum() == 1 and np.isfinite(x).sum() == 4
    # No crossing: empty.
    x, y = F.contour_line(xs, ys, np.zeros((31, 41)))
    assert x.size == 0 and y.size == 0


# --------------------------------------------------------------------------------------
# 2. Cost.
# --------------------------------------------------------------------------------------


def test_cost_figure_rows_and_traces(trainer):
    h = trainer.history()
    fig = F.make_cost_figure(h)
    assert _names(fig) == ["train J", "test J", "train accuracy", "test accuracy"]
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
    fig = F.make_cost_figure(h, log_y=True, show_data_term=True)
    assert fig.layout.yaxis.type == "log"
    data_term = {t.name: t for t in fig.data}["train cross-entropy"]
    assert data_term.line.dash == "dot"
    assert np.allclose(data_term.y, h["train_data_cost"], rtol=1e-6)
    no_test = F.make_cost_figure(h, show_test=False)
    assert _names(no_test) == ["train J", "train accuracy"]
    t = Trainer(data[0], data[1], hidden=(2,), activations=("tanh",))
    t.step(5)
    assert np.all(np.isnan(t.history()["test_cost"]))
    assert _names(F.make_cost_figure(t.history())) == ["train J", "train accuracy"]


def test_cost_figure_single_point_history(data):
    t = Trainer(data[0], data[1], hidden=(2,), activations=("tanh",))
    fig = F.make_cost_figure(t.history())
    assert fig.data[0].mode == "lines+markers"
    fig.to_json()


# --------------------------------------------------------------------------------------
# 3. Network diagram.
# --------------------------------------------------------------------------------------


def _edges(fig, dims):
    """(layer, j, i, trace) for every drawn edge, read back from the segments."""
    pos = [F._unit_y(n) for n in dims]
    out = []
    for t in fig.data:
        if not (t.meta and t.meta.get("kind") == "edges"):
            continue
        x = np.append(t.x.astype(float), np.nan).reshape(-1, 3)
        y = np.append(t.y.astype(float), np.nan).reshape(-1, 3)
        assert np.all(np.isnan(x[:, 2]))
        for (x0, x1, _), (y0, y1, _) in zip(x, y, strict=True):
            l = int(round(x1))
            assert x0 == l - 1
            i = int(np.argmin(np.abs(pos[l - 1] - y0)))
            j = int(np.argmin(np.abs(pos[l] - y1)))
            out.append((l, j, i, t))
    return out


def test_network_edges_follow_weights(trainer):
    dims, params = trainer.layer_dims, trainer.parameters
    fig = F.make_network_figure(dims, params, activations=trainer.activations)
    edges = _edges(fig, dims)
    assert len(edges) == sum(dims[l] * dims[l - 1] for l in range(1, len(dims)))
    assert len({(l, j, i) for l, j, i, _ in edges}) == len(edges)
    biggest = max(np.abs(params[f"W{l}"]).max() for l in range(1, len(dims)))
    widths = {}
    for l, j, i, t in edges:
        v = params[f"W{l}"][j, i]
        assert t.meta["sign"] == np.sign(v)
        expected = F.CLASS1_COLOR if v > 0 else F.CLASS0_COLOR
        assert t.line.color == F._rgba(expected, F.EDGE_OPACITY)
        assert t.meta["bucket"] == round(abs(v) / biggest * (F.EDGE_WIDTH_BUCKETS - 1))
        widths[abs(v)] = t.line.width
    # Widths grow with |W|, from about 0.5 px to about 8 px.
    ordered = [widths[k] for k in sorted(widths)]
    assert ordered == sorted(ordered)
    assert max(ordered) == pytest.approx(F.EDGE_MAX_WIDTH)
    assert min(t.line.width for t in fig.data if t.meta and t.meta.get("kind") == "edges"
               ) >= F.EDGE_MIN_WIDTH
    # Few traces: one per (sign, width bucket) at most.
    n_edge_traces = sum(1 for t in fig.data if t.meta and t.meta.get("kind") == "edges")
    assert n_edge_traces <= 2 * F.EDGE_WIDTH_BUCKETS
    assert fig.layout.showlegend is False
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


def test_network_hover_values_and_units(trainer):
    dims, params = trainer.layer_dims, trainer.parameters
    fig = F.make_network_figure(dims, params, activations=trainer.activations,
                                input_labels=["x₁", "x₂"])
    hovers = [t for t in fig.data if t.meta and t.meta.get("kind") == "edge-hover"]
    assert len(hovers) == len(dims) - 1
    for t in hovers:
        l = t.meta["layer"]
        cd = t.customdata
        j, i = cd[:, 0].astype(int) - 1, cd[:, 1].astype(int) - 1
        assert np.allclose(cd[:, 2], params[f"W{l}"][j, i], rtol=1e-6)
        assert f"W[{l}]" in t.hovertemplate and t.text is None
        assert t.marker.color == "rgba(0,0,0,0)"  # invisible, hover only
    units = {t.meta["layer"]: t for t in fig.data if t.meta and t.meta.get("kind") == "units"}
    assert list(units[0].text) == ["x₁", "x₂"]
    assert list(units[2].text) == ["ŷ"]
    assert list(units[1].text) == ["1", "2", "3", "4"]
    assert np.allclose(units[1].customdata, params["b1"].ravel(), rtol=1e-6)
    assert "b[1]" in units[1].hovertemplate
    texts = [a.text for a in fig.layout.annotations]
    assert any("layer 1" in s and "tanh (4 units)" in s for s in texts)
    assert any("sigmoid (1 unit)" in s for s in texts)
    assert any("bias b[l] on hover" in s for s in texts)
    assert not any("all weights are 0" in s for s in texts)


def test_network_gradient_mode_uses_dW(trainer):
    dims = trainer.layer_dims
    grads = trainer.gradients()
    fig = F.make_network_figure(dims, trainer.parameters, grads=grads, mode="gradients")
    for t in fig.data:
        if t.meta and t.meta.get("kind") == "edge-hover":
            l = t.meta["layer"]
            j, i = t.customdata[:, 0].astype(int) - 1, t.customdata[:, 1].astype(int) - 1
            assert np.allclose(t.customdata[:, 2], grads[f"dW{l}"][j, i], rtol=1e-5)
            assert f"dW[{l}]" in t.hovertemplate
        if t.meta and t.meta.get("kind") == "units" and t.meta["layer"] > 0:
            l = t.meta["layer"]
            assert np.allclose(t.customdata, grads[f"db{l}"].ravel(), rtol=1e-5)
            assert f"db[{l}]" in t.hovertemplate
    biggest = max(np.abs(grads[f"dW{l}"]).max() for l in range(1, len(dims)))
    for l, j, i, t in _edges(fig, dims):
        v = grads[f"dW{l}"][j, i]
        assert t.meta["bucket"] == round(abs(v) / biggest * (F.EDGE_WIDTH_BUCKETS - 1))
    assert any("db[l] on hover" in a.text for a in fig.layout.annotations)
    with pytest.raises(ValueError, match="grads"):
        F.make_network_figure(dims, trainer.parameters, mode="gradients")
    with pytest.raises(ValueError, match="mode"):
        F.make_network_figure(dims, trainer.parameters, mode="biases")


def test_network_zero_initialization(zero_trainer):
    t = zero_trainer
    fig = F.make_network_figure(t.layer_dims, t.parameters)
    edges = [tr for tr in fig.data if tr.meta and tr.meta.get("kind") == "edges"]
    assert len(edges) == 1
    assert edges[0].line.dash == "dash" and edges[0].line.color == F.GREY_COLOR
    assert edges[0].line.width <= 1.5
    assert len(_edges(fig, t.layer_dims)) == 2 * 4 + 4
    assert any(a.text and "all weights are 0" in a.text for a in fig.layout.annotations)
    grads = t.gradients()
    assert all(not np.any(grads[f"dW{l}"]) for l in (1, 2))  # the course's zero-init trap
    gfig = F.make_network_figure(t.layer_dims, t.parameters, grads=grads, mode="gradients")
    assert any(a.text and "all gradients are exactly 0" in a.text
               for a in gfig.layout.annotations)


def test_network_one_zero_layer_is_noted(trainer):
    params = dict(trainer.parameters, W2=np.zeros_like(trainer.parameters["W2"]))
    fig = F.make_network_figure(trainer.layer_dims, params)
    texts = [a.text for a in fig.layout.annotations]
    assert "all W[2] = 0" in texts
    assert not any("all weights are 0" in s for s in texts)


def test_network_layer_scale_and_highlight(trainer):
    dims = trainer.layer_dims
    fig = F.make_network_figure(dims, trainer.parameters, scale="layer", highlight=(1, 3))
    for l in (1, 2):
        assert max(t.meta["bucket"] for ll, _, _, t in _edges(fig, dims) if ll == l) == (
            F.EDGE_WIDTH_BUCKETS - 1)
    ring = [t for t in fig.data if t.meta and t.meta.get("kind") == "highlight"]
    assert len(ring) == 1 and ring[0].y[0] == F._unit_y(4)[2]
    fig = F.make_network_figure(dims, trainer.parameters, highlight=1)
    assert len(fig.layout.shapes) == 1 and fig.layout.shapes[0].x0 < 1 < fig.layout.shapes[0].x1
    with pytest.raises(ValueError):
        F.make_network_figure(dims, trainer.parameters, highlight=(1, 9))


def test_network_shape_checks(trainer):
    with pytest.raises(ValueError, match="shape"):
        F.make_network_figure([2, 5, 1], trainer.parameters)
    with pytest.raises(ValueError, match="input_labels"):
        F.make_network_figure(trainer.layer_dims, trainer.parameters, input_labels=["x₁"])


def test_deep_network_stays_small(deep_trainer):
    t = deep_trainer
    fig = F.make_network_figure(t.layer_dims, t.parameters, activations=t.activations)
    assert len(_edges(fig, t.layer_dims)) == 2 * 16 + 5 * 16 * 16 + 16
    n_edge_traces = sum(1 for tr in fig.data if tr.meta and tr.meta.get("kind") == "edges")
    assert n_edge_traces <= 2 * F.EDGE_WIDTH_BUCKETS + 1
    assert len(fig.data) <= 2 * F.EDGE_WIDTH_BUCKETS + 1 + 2 * len(t.layer_dims)
    size = len(fig.to_json())
    print(f"network 2-16-16-16-16-16-16-1: {size} bytes, {len(fig.data)} traces")
    assert size < 150_000
    assert fig.layout.height >= 16 * 30
    texts = [a.text for a in fig.layout.annotations]
    assert any("layer 6" in s and "ReLU" in s for s in texts)


# --------------------------------------------------------------------------------------
# 4. Unit maps.
# --------------------------------------------------------------------------------------


def test_unit_maps_grid_of_small_multiples(trainer, grid):
    maps = grid_activations(grid, trainer.parameters, trainer.activations)
    fig = F.make_unit_maps_figure(grid, maps)
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    assert len(heatmaps) == 2 + 4 + 1
    # rows × cols subplots: 3 layers × 4 units (the widest layer); subplot k = r·4 + c + 1.
    cells = [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (1, 3), (2, 0)]
    ids = ["" if k == 1 else str(k) for k in (r * 4 + c + 1 for r, c in cells)]
    assert [t.xaxis for t in heatmaps] == [f"x{k}" for k in ids]
    assert [t.yaxis for t in heatmaps] == [f"y{k}" for k in ids]
    xdom = {c: fig.layout[t.xaxis.replace("x", "xaxis")].domain
            for t, (r, c) in zip(heatmaps, cells, strict=True) if r == 1}
    ydom = {r: fig.layout[t.yaxis.replace("y", "yaxis")].domain
            for t, (r, c) in zip(heatmaps, cells, strict=True) if c == 0}
    assert all(xdom[c][1] < xdom[c + 1][0] for c in range(3))  # columns left to right
    assert all(ydom[r][0] > ydom[r + 1][1] for r in range(2))  # rows top to bottom
    for t, (r, c) in zip(heatmaps, cells, strict=True):
        assert fig.layout[t.xaxis.replace("x", "xaxis")].domain == xdom[c]
        assert fig.layout[t.yaxis.replace("y", "yaxis")].domain == ydom[r]
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["x₁", "x₂", "a[1]₁", "a[1]₂", "a[1]₃", "a[1]₄", "a[2]₁"]
    step = math.ceil(50 / F.UNIT_MAP_RESOLUTION)
    for t in heatmaps:
        assert t.z.shape == (25, 25) and t.z.dtype == np.float32
        assert t.showscale is False
        assert t.x0 == pytest.approx(grid.xs[0]) and t.y0 == pytest.approx(grid.ys[0])
        assert t.dx == pytest.approx(step * (grid.xs[1] - grid.xs[0]), rel=1e-5)
    first = heatmaps[0]
    assert np.array_equal(first.z, maps[0][0, ::step, ::step].astype(np.float32))
    # One colour range per row: symmetric for tanh (and the inputs), 0..max for sigmoid.
    tanh_row = heatmaps[2:6]
    assert len({(t.zmin, t.zmax) for t in tanh_row}) == 1
    assert tanh_row[0].zmin == -tanh_row[0].zmax
    assert tanh_row[0].zmax == pytest.approx(np.abs(maps[1]).max())
    assert heatmaps[6].zmin == 0 and heatmaps[6].zmax == pytest.approx(maps[2].max())
    assert heatmaps[0].zmin < 0
    for t in heatmaps:
        ya = fig.layout[t.yaxis.replace("y", "yaxis")]
        assert ya.scaleanchor == t.xaxis and ya.scaleratio == 1  # square cells
        assert ya.showticklabels is False and ya.ticks == ""
        assert fig.layout[t.xaxis.replace("x", "xaxis")].showticklabels is False
    assert fig.layout.yaxis.title.text == "input"
    assert fig.layout.yaxis5.title.text == "layer 1"
    assert fig.layout.yaxis9.title.text == "layer 2"


def test_unit_maps_options(deep_trainer, grid):
    t = deep_trainer
    maps = grid_activations(grid, t.parameters, t.activations)[1:3]
    fig = F.make_unit_maps_figure(grid, maps, first_layer=1, max_cols=8,
                                  layer_titles=["L1", "L2"])
    assert len(fig.data) == 16
    assert [a.text for a in fig.layout.annotations][:2] == ["a[1]₁", "a[1]₂"]
    assert fig.layout.yaxis.title.text == "L1 (first 8 of 16)"
    titles = [["u"] * 16, ["v"] * 16]
    fig = F.make_unit_maps_figure(grid, maps, unit_titles=titles)
    assert {a.text for a in fig.layout.annotations} == {"u", "v"}
    assert max(t.z.shape[0] for t in fig.data) <= F.UNIT_MAP_RESOLUTION_WIDE
    size = len(F.make_unit_maps_figure(grid, grid_activations(
        grid, t.parameters, t.activations)[:-1]).to_json())
    print(f"unit maps of 2-16×6-1 on a 50×50 grid: {size} bytes")
    with pytest.raises(ValueError, match="shape"):
        F.make_unit_maps_figure(grid, [np.zeros((2, 10, 10))])


def test_unit_figure(trainer, grid, data):
    maps = grid_activations(grid, trainer.parameters, trainer.activations)
    fig = F.make_unit_figure(grid, maps[1][2], title="a[1]₃", X_train=data[0],
                             Y_train=data[1])
    assert [t.type for t in fig.data] == ["heatmap", "scatter", "scatter"]
    assert fig.data[0].z.shape == (50, 50)
    assert fig.data[0].zmin == -fig.data[0].zmax
    assert fig.layout.title.text == "a[1]₃"
    assert fig.layout.yaxis.scaleanchor == "x"
    alone = F.make_unit_figure(grid, maps[2][0], title=None)
    assert len(alone.data) == 1 and alone.data[0].zmin == 0


# --------------------------------------------------------------------------------------
# 5. Activations at work.
# --------------------------------------------------------------------------------------


def test_activations_at_work(deep_trainer):
    t = deep_trainer
    Zs = [c.Z for c in t.caches()[:3]]
    names = t.activations[:3]
    fig = F.make_activations_at_work_figure(names, Zs)
    curves = [tr for tr in fig.data if tr.meta and tr.meta.get("kind") in ("g", "dg")]
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert len(curves) == 6 and len(bars) == 3
    for tr in curves:
        act = ACTIVATIONS[tr.meta["activation"]]
        f = act.g if tr.meta["kind"] == "g" else act.dg
        assert np.allclose(tr.y, f(tr.x.astype(np.float64)), atol=1e-5)
    for l, (bar, Z) in enumerate(zip(bars, Zs, strict=True), start=1):
        assert bar.y.sum() == Z.size
        assert bar.meta["layer"] == l
        top = curves[2 * (l - 1)]
        # The histogram's x axis follows the curve's (shared x within a column).
        bottom_axis = fig.layout[bar.xaxis.replace("x", "xaxis")]
        assert bottom_axis.matches == top.xaxis or fig.layout[
            top.xaxis.replace("x", "xaxis")].matches == bar.xaxis
        lo, hi = fig.layout[top.xaxis.replace("x", "xaxis")].range
        assert lo <= min(-4, max(Z.min(), -F.Z_CLIP)) + 1e-9
        assert hi >= max(4, min(Z.max(), F.Z_CLIP)) - 1e-9
        assert top.x[0] == lo and top.x[-1] == hi
    titles = [a.text for a in fig.layout.annotations if a.text]
    for l, (name, Z) in enumerate(zip(names, Zs, strict=True), start=1):
        pct = F._percent(saturation_fraction(Z, name))
        expected = f"layer {l} · ReLU · {pct} saturated"
        dead = dead_units(Z, name)
        if dead:
            expected += f" · {dead} dead"
        assert titles[l - 1] == expected
    # ReLU: z ≤ 0 is shaded, in both rows of each column.
    shapes = [s for s in fig.layout.shapes if s.name == "saturated"]
    assert len(shapes) == 2 * 3
    for s in shapes:
        assert s.x1 == pytest.approx(0, abs=0.2)


def test_activations_at_work_shading_matches_derivative(trainer):
    Z = trainer.caches()[0].Z
    fig = F.make_activations_at_work_figure(["tanh"], [Z])
    g = [tr for tr in fig.data if tr.meta and tr.meta.get("kind") == "dg"][0]
    z = g.x.astype(np.float64)
    shaded = np.zeros(z.size, bool)
    for s in fig.layout.shapes:
        if s.yref == "y domain":
            shaded |= (z > s.x0) & (z < s.x1)
    assert np.array_equal(shaded, np.abs(ACTIVATIONS["tanh"].dg(z)) < SATURATION_THRESHOLD)
    assert fig.layout.xaxis2.title.text == "z in Z[1]"


def test_activations_at_work_clips_huge_z_and_handles_no_hidden_layer():
    rng = np.random.default_rng(0)
    Z = rng.standard_normal((3, 100)) * 100
    fig = F.make_activations_at_work_figure(["sigmoid"], [Z])
    bar = [tr for tr in fig.data if tr.type == "bar"][0]
    assert fig.layout.xaxis.range == (-F.Z_CLIP, F.Z_CLIP)
    assert bar.y.sum() == Z.size and bar.meta["clipped"] > 0
    assert "saturated" in fig.layout.annotations[0].text
    small = F.make_activations_at_work_figure(["tanh"], [np.zeros((2, 5))])
    assert small.layout.xaxis.range == (-4, 4)
    no_data = F.make_activations_at_work_figure(["relu"], [np.zeros((3, 0))])
    assert no_data.layout.annotations[0].text == "layer 1 · ReLU · no data"
    empty = F.make_activations_at_work_figure([], [])
    assert "logistic regression" in empty.layout.annotations[0].text
    with pytest.raises(ValueError):
        F.make_activations_at_work_figure(["tanh"], [])


# --------------------------------------------------------------------------------------
# 6. Activation curves.
# --------------------------------------------------------------------------------------


def test_activation_curves(trainer):
    names = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
    fig = F.make_activation_curves_figure(names)
    assert [a.text for a in fig.layout.annotations] == [ACTIVATIONS[n].label for n in names]
    axes = fig.layout.to_plotly_json()
    assert "xaxis5" in axes and "xaxis6" not in axes  # 2 rows × 3 columns, 5 used
    assert fig.layout.xaxis4.domain == fig.layout.xaxis.domain  # column 1
    assert fig.layout.yaxis4.domain[1] < fig.layout.yaxis.domain[0]  # row 2 below row 1
    assert fig.layout.yaxis3.domain == fig.layout.yaxis.domain  # row 1
    assert fig.layout.xaxis3.domain[0] > fig.layout.xaxis2.domain[1]
    g = [t for t in fig.data if t.meta and t.meta["kind"] == "g"]
    dg = [t for t in fig.data if t.meta and t.meta["kind"] == "dg"]
    assert [t.meta["activation"] for t in g] == names
    for t in g:
        z = t.x.astype(np.float64)
        assert z[0] == -5 and z[-1] == 5
        assert np.allclose(t.y, ACTIVATIONS[t.meta["activation"]].g(z), atol=1e-6)
        assert t.line.dash in (None, "solid")
    for t in dg:
        z = t.x.astype(np.float64)
        assert np.allclose(t.y, ACTIVATIONS[t.meta["activation"]].dg(z), atol=1e-6)
        assert t.line.dash == "dash"
    by_axis = {}
    for s in fig.layout.shapes:
        by_axis.setdefault(s.xref, []).append(s)
    assert len(by_axis["x"]) == 2  # sigmoid: both tails
    assert len(by_axis["x3"]) == 1  # ReLU: z ≤ 0
    assert "x5" not in by_axis  # linear: never saturated
    plain = F.make_activation_curves_figure(["tanh"], shade_saturation=False, z_min=-2,
                                            z_max=2)
    assert len(plain.layout.shapes) == 0 and plain.data[0].x[0] == -2
    with pytest.raises(ValueError):
        F.make_activation_curves_figure(["nope"])


# --------------------------------------------------------------------------------------
# 7. Matrix heatmap.
# --------------------------------------------------------------------------------------


def test_format_value():
    assert F.format_value(0.0) == "0" and F.format_value(-0.0) == "0"
    assert F.format_value(0.012345) == "0.0123"
    assert F.format_value(-1.5) == "-1.5"
    assert F.format_value(123.456) == "123"
    assert F.format_value(4.5678e-5) == "4.57e-05"
    assert F.format_value(12345.0) == "1.23e+04"


def test_matrix_heatmap(trainer):
    W = trainer.parameters["W1"].copy()
    W[0, 0] = 0.0
    W[1, 1] = 3e-6
    fig = F.make_matrix_heatmap_figure(W)
    hm = fig.data[0]
    assert hm.type == "heatmap" and hm.z.shape == (4, 2)
    assert np.allclose(hm.z, W, rtol=1e-6)
    text = np.array(hm.text)
    assert text.shape == (4, 2)
    assert text[0, 0] == "0" and "e-06" in text[1, 1]
    for r in range(4):
        for c in range(2):
            assert text[r, c] == F.format_value(W[r, c])
            if W[r, c]:
                assert float(text[r, c]) == pytest.approx(W[r, c], rel=5e-3)
    assert hm.texttemplate == "%{text}"
    assert list(hm.y) == ["unit 1", "unit 2", "unit 3", "unit 4"]
    assert list(hm.x) == ["from x₁", "from x₂"]
    assert fig.layout.yaxis.autorange == "reversed"  # unit 1 on top
    assert hm.zmin == -hm.zmax == -np.abs(W).max()
    assert hm.colorbar.title.text == "W[1]"
    fig2 = F.make_matrix_heatmap_figure(trainer.gradients()["dW2"], symbol="dW", layer=2,
                                        zmax=1.0, title="dW[2]")
    assert list(fig2.data[0].x) == [f"from a[1]{s}" for s in "₁₂₃₄"]
    assert fig2.data[0].zmax == 1.0 and fig2.layout.title.text == "dW[2]"
    zero = F.make_matrix_heatmap_figure(np.zeros((2, 2)))
    assert zero.data[0].zmax == 1.0 and np.all(np.array(zero.data[0].text) == "0")


# --------------------------------------------------------------------------------------
# 8. Series.
# --------------------------------------------------------------------------------------


def test_series_figure():
    x = np.arange(10)
    series = [{"name": "seed 1", "x": x, "y": np.linspace(1, 0.1, 10)},
              {"name": "seed 2", "x": x, "y": np.linspace(2, 0.2, 10), "dash": "dot",
               "color": "#123456"}]
    band = [{"name": "seed 1", "x": x, "lo": np.linspace(0.5, 0.05, 10),
             "hi": np.linspace(1.5, 0.15, 10), "color": "#0072B2"}]
    fig = F.make_series_figure(series, y_title="cost J", band=band, log_y=True)
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
    lin = F.make_series_figure(series, y_title="α", x_title="t")
    assert lin.layout.yaxis.type == "linear" and lin.layout.xaxis.title.text == "t"


# --------------------------------------------------------------------------------------
# 9. Box plots.
# --------------------------------------------------------------------------------------


def test_subsample_sorted():
    rng = np.random.default_rng(0)
    v = rng.standard_normal(10_000)
    s = F.subsample_sorted(v)
    assert s.size == F.BOX_MAX_VALUES
    assert s[0] == v.min() and s[-1] == v.max()
    assert np.median(s) == pytest.approx(np.median(v), abs=0.01)
    assert np.array_equal(s, F.subsample_sorted(v))
    assert F.subsample_sorted(np.array([3.0, np.nan, 1.0])).tolist() == [1.0, 3.0]


def test_box_figure(deep_trainer):
    Zs = [c.Z for c in deep_trainer.caches()]
    groups = [{"name": "He", "layers": Zs}, {"name": "random × 0.01",
                                             "layers": [z * 0.01 for z in Zs]}]
    fig = F.make_box_figure(groups, y_title="Z[l]")
    assert [t.type for t in fig.data] == ["box", "box"]
    assert _names(fig) == ["He", "random × 0.01"]
    assert fig.layout.boxmode == "group"
    assert fig.data[0].marker.color != fig.data[1].marker.color
    L = len(Zs)
    for t in fig.data:
        counts = np.bincount(t.x, minlength=L + 1)
        assert counts[0] == 0
        for l in range(1, L + 1):
            assert counts[l] == min(Zs[l - 1].size, F.BOX_MAX_VALUES)
    first = fig.data[0].y[fig.data[0].x == 1]
    assert first.max() == pytest.approx(Zs[0].max(), rel=1e-6)
    assert list(fig.layout.xaxis.ticktext) == [f"layer {l}" for l in range(1, L + 1)]
    assert fig.layout.yaxis.title.text == "Z[l]"
    log = F.make_box_figure([{"name": "|Z|", "layers": [np.abs(z) + 1e-3 for z in Zs]}],
                            y_title="|Z|", log_y=True)
    assert log.layout.yaxis.type == "log"
    # Subsampled, float32 values: well under what the full float64 arrays would weigh.
    assert len(fig.to_json()) < sum(z.size for z in Zs) * 2 * 8


# --------------------------------------------------------------------------------------
# 10. Confusion matrix.
# --------------------------------------------------------------------------------------


def test_confusion_matrix_counts():
    Y = np.array([[0, 0, 1, 1, 1, 0]])
    Yhat = np.array([[0, 1, 1, 1, 0, 0]])
    C = F.confusion_matrix(Y, Yhat)
    assert C.tolist() == [[2, 1], [1, 2]] and C.dtype == np.int64
    assert F.confusion_matrix(Y, np.array([[0.2, 0.7, 0.9, 0.51, 0.5, 0.1]])).tolist() == [
        [2, 1], [1, 2]]
    with pytest.raises(ValueError):
        F.confusion_matrix(Y, Yhat[:, :3])


def test_confusion_figure(trainer, data):
    X, Y = data[0], data[1]
    Yhat = trainer.predict_proba(X)
    fig = F.make_confusion_figure(Y, Yhat, title="train set")
    hm = fig.data[0]
    C = F.confusion_matrix(Y, Yhat)
    assert np.array_equal(hm.z, C)
    assert C.sum() == X.shape[1]
    assert C.trace() == round(trainer.metrics().train_accuracy * X.shape[1])
    assert list(hm.y) == ["true 0", "true 1"] and list(hm.x) == ["predicted 0", "predicted 1"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert np.array(hm.text)[1, 1].startswith(str(C[1, 1]))
    assert fig.layout.title.text == "train set"


# --------------------------------------------------------------------------------------
# Unvalidated figures (the app's fast path) are the same figures.
# --------------------------------------------------------------------------------------


def test_unvalidated_figures_serialise_exactly_like_validated_ones(
        trainer, grid, P, data, deep_trainer, zero_trainer, monkeypatch):
    monkeypatch.setattr(F, "VALIDATE", True)
    checked = _all_figures(trainer, grid, P, data, deep_trainer, zero_trainer)
    monkeypatch.setattr(F, "VALIDATE", False)
    fast = _all_figures(trainer, grid, P, data, deep_trainer, zero_trainer)
    assert sorted(fast) == sorted(FIGURE_NAMES)
    for name in FIGURE_NAMES:  # the same JSON, up to the order of keys...
        a, b = json.loads(fast[name].to_json()), json.loads(checked[name].to_json())
        # ... and the empty template, which validation fills with a no-op trace default.
        ta, tb = a["layout"].pop("template", {}), b["layout"].pop("template", {})
        assert ta == {} and tb in ({}, {"data": {"scatter": [{"type": "scatter"}]}}), name
        assert a == b, name


def test_specs_serialise_like_their_figures(trainer, grid, P, data):
    h = trainer.history()
    for spec, fig in ((F.decision_boundary_spec(grid, P, *data),
                       F.make_decision_boundary_figure(grid, P, *data)),
                      (F.cost_spec(h, show_data_term=True), F.make_cost_figure(
                          h, show_data_term=True))):
        assert set(spec) == {"data", "layout"}
        a, b = json.loads(F.to_json(spec)), json.loads(F.to_json(fig))
        a["layout"].pop("template"), b["layout"].pop("template")
        assert a == b


@pytest.mark.parametrize("a", [
    np.arange(5, dtype=np.int64), np.arange(300, dtype=np.int64),
    np.array([0, 70_000], dtype=np.int64), np.array([0, 2**40], dtype=np.int64),
    np.array([-5, 3], dtype=np.int64), np.arange(3, dtype=np.uint64),
    np.arange(6, dtype=np.float32).reshape(2, 3), np.zeros(0), np.array(["a", "b"])])
def test_arrays_go_out_as_plotly_would_send_them(a):
    from _plotly_utils.utils import to_typed_array_spec

    mine, plotly_s = F._wire({"x": a})["x"], to_typed_array_spec(a)
    if isinstance(plotly_s, dict):
        assert mine == plotly_s
    else:  # left for the JSON encoder: a plain list
        assert np.array_equal(np.asarray(mine), np.asarray(plotly_s))


def test_validation_catches_a_misspelt_property(monkeypatch):
    monkeypatch.setattr(F, "VALIDATE", True)
    with pytest.raises(ValueError, match="colour"):
        F._figure([{"type": "scatter", "x": [0, 1], "colour": "red"}], {})
    monkeypatch.setattr(F, "VALIDATE", False)
    F._figure([{"type": "scatter", "x": [0, 1]}], {})  # the fast path builds


# --------------------------------------------------------------------------------------
# Purity.
# --------------------------------------------------------------------------------------


def test_builders_are_pure(trainer, grid, P, data):
    before = {k: v.copy() for k, v in trainer.parameters.items()}
    P0 = P.copy()
    a = F.make_decision_boundary_figure(grid, P, *data).to_json()
    b = F.make_decision_boundary_figure(grid, P, *data).to_json()
    assert a == b
    F.make_network_figure(trainer.layer_dims, trainer.parameters)
    assert all(np.array_equal(before[k], trainer.parameters[k]) for k in before)
    assert np.array_equal(P0, P)
    assert isinstance(grid, Grid)


def test_saturated_intervals_skip_a_leaky_relus_leak():
    z = np.linspace(-5, 5, 101)
    assert F.saturated_intervals(z, "leaky_relu") == []
    assert F.saturated_intervals(z, "relu") == [(-5.0, 0.0)]


# --------------------------------------------------------------------------------------
# Issue 13: chart text for a classroom, no boundary drawn from noise, axes that fit.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["boundary", "cost", "series", "unit", "box", "network"])
def test_ticks_legends_and_axis_titles_are_18_px(all_figures, name):
    spec = json.loads(all_figures[name].to_json())
    lay = spec["layout"]
    assert F.TEXT_SIZE >= 18
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
    assert min(_font_sizes(spec)) >= F.SMALL_FONT_SIZE >= 14


def test_an_untrained_network_draws_no_boundary_and_says_why(data):
    X_train, Y_train = data[0], data[1]
    t = Trainer(X_train, Y_train, hidden=(4,), activations=("tanh",), weight_seed=1)
    grid = make_grid(X_train, resolution=40)
    P = probability_grid(grid, t.parameters, t.activations)
    spread = float(np.abs(P.astype(np.float64) - 0.5).max())
    assert 0 < spread < F.BOUNDARY_MIN_MARGIN  # iteration 0: ŷ nearly flat
    # The marching squares would draw a line through that noise ...
    assert F.contour_line(grid.xs, grid.ys, P)[0].size
    spec = F.decision_boundary_spec(grid, P, X_train, Y_train)
    # ... the figure does not.
    assert "boundary" not in [t["uid"] for t in spec["data"]]
    note = spec["layout"]["meta"]["boundary_note"]
    half = float(note.split("±")[1].split()[0])
    assert note.startswith("no boundary yet: ŷ is within 0.5 ±")
    assert spread <= half <= 1.1 * spread  # the stated band is the real one, rounded up
    ann = spec["layout"]["annotations"][0]
    assert ann["text"].replace("<br>", " ") == note  # the same words, in short lines
    assert max(len(line) for line in ann["text"].split("<br>")) <= F.NOTE_LINE_CHARS
    assert (ann["xref"], ann["yref"]) == ("x domain", "y domain")  # on the plane


@pytest.mark.parametrize("values", [
    np.full((3, 4), 0.5),  # "no boundary: ŷ = 0.5 exactly everywhere"
    np.linspace(0.112, 0.402, 12).reshape(3, 4),  # ŷ < 0.5 everywhere (lo to hi)
    np.linspace(0.4999641, 0.5000359, 12).reshape(3, 4),  # within 0.5 ± 0.000036
    np.linspace(0.2, 0.5005, 12).reshape(3, 4),  # never exceeds 0.5 by the margin
])
def test_the_no_boundary_note_fits_a_narrow_plane(values, data):
    # Issue 13: on a tablet the note "ŷ = 0.5 exactly everywhere" was wider than the
    # ~190 px plane and hid the top x₂ tick. Every line is short, numbers whole, and the
    # note sits inside the plane (x/y domain), at the top centre.
    grid = Grid(xs=np.linspace(-2, 2, 4), ys=np.linspace(-1, 1, 3), X=np.zeros((2, 12)))
    spec = F.decision_boundary_spec(grid, values, *data[:2])
    ann = spec["layout"]["annotations"][0]
    lines = ann["text"].split("<br>")
    assert len(lines) >= 2 and max(map(len, lines)) <= F.NOTE_LINE_CHARS, lines
    assert " ".join(lines) == spec["layout"]["meta"]["boundary_note"]
    assert (ann["xref"], ann["yref"], ann["xanchor"], ann["x"]) == (
        "x domain", "y domain", "center", 0.5)
    assert ann["font"]["size"] < F.TICK_FONT_SIZE


def test_a_trained_network_draws_its_boundary_without_a_note(grid, P, data):
    spec = F.decision_boundary_spec(grid, P, *data)
    assert "boundary" in [t["uid"] for t in spec["data"]]
    assert spec["layout"]["meta"]["boundary_note"] is None
    assert "annotations" not in spec["layout"]


@pytest.mark.parametrize(("values", "start"), [
    ((0.1, 0.4), "no boundary: ŷ < 0.5 everywhere (0.100 to 0.400)"),
    ((0.6, 0.9), "no boundary: ŷ > 0.5 everywhere (0.600 to 0.900)"),
    ((0.495, 0.9), "no boundary: ŷ never falls below 0.5 by 0.01 (lowest 0.495)"),
    ((0.2, 0.505), "no boundary: ŷ never exceeds 0.5 by 0.01 (highest 0.505)"),
    ((0.5, 0.5), "no boundary: ŷ = 0.5 exactly everywhere"),
])
def test_boundary_note_states_the_range_of_yhat(values, start):
    P = np.linspace(*values, 12).reshape(3, 4)
    assert F.boundary_note(P).startswith(start)
    assert F.boundary_note(np.linspace(0.2, 0.8, 12).reshape(3, 4)) is None


def test_boundary_axes_end_where_the_data_does():
    # Moons is wider than tall: the square grid runs far past the points along x₂.
    X, Y = make_dataset("moons", 300, seed=0)
    grid = make_grid(X, resolution=30)
    P = np.tile(np.linspace(0, 1, 30), (30, 1))
    lay = F.decision_boundary_spec(grid, P, X, Y)["layout"]
    lo, hi = X.min(axis=1), X.max(axis=1)
    dx = float(grid.xs[1] - grid.xs[0])
    # make_grid's margin (10 % of the longer span), and the heatmap's half cell.
    pad = 0.5 * (float(grid.xs[-1] - grid.xs[0]) + dx - (hi - lo).max())
    for ax, k in (("xaxis", 0), ("yaxis", 1)):
        r = lay[ax]["range"]
        assert r[0] <= lo[k] and r[1] >= hi[k]  # every point shows
        assert r[0] == pytest.approx(lo[k] - pad, abs=0.05 * pad), ax
        assert r[1] == pytest.approx(hi[k] + pad, abs=0.05 * pad), ax
    grid_y = F._grid_axes(grid.xs, grid.ys)[1]
    assert lay["yaxis"]["range"][1] - lay["yaxis"]["range"][0] < 0.8 * (grid_y[1] - grid_y[0])


def test_cost_axis_at_iteration_0_is_whole_iterations_from_0(zero_trainer):
    h = zero_trainer.history()
    assert list(h["iteration"]) == [0]
    lay = F.cost_spec(h)["layout"]
    for ax in ("xaxis", "xaxis2"):
        assert lay[ax]["range"] == [0.0, 1.0]
        assert lay[ax]["dtick"] == 1 and lay[ax]["tickformat"] == ",d"
    # A longer run keeps plotly's own ticks, whole numbers, from 0.
    long = {k: np.concatenate([v, v]) for k, v in h.items()}
    long["iteration"] = np.array([0, 500])
    ax = F.cost_spec(long)["layout"]["xaxis2"]
    assert "range" not in ax and "dtick" not in ax
    assert ax["tickformat"] == ",d" and ax["rangemode"] == "nonnegative"


def test_series_over_iterations_get_the_same_iteration_axis():
    fig = F.make_series_figure([{"name": "J", "x": [0], "y": [0.69]}], y_title="cost J")
    assert list(fig.layout.xaxis.range) == [0, 1] and fig.layout.xaxis.dtick == 1
    other = F.make_series_figure([{"name": "g", "x": [-1, 1], "y": [0, 1]}], y_title="g",
                                 x_title="z")
    assert other.layout.xaxis.range is None and other.layout.xaxis.tickformat is None
