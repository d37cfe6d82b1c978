"""playground.figures.network: the network diagram. Checked through the figures' data (trace types,
arrays, layout settings), never through pixels."""

from __future__ import annotations

import numpy as np
import pytest

from playground.figures.network import (
    EDGE_MAX_WIDTH,
    EDGE_MIN_WIDTH,
    EDGE_OPACITY,
    EDGE_WIDTH_BUCKETS,
    _unit_y,
    make_network_figure,
)
from playground.figures.theme import (
    CLASS0_COLOR,
    CLASS1_COLOR,
    GREY_COLOR,
    rgba,
)


def _edges(fig, dims):
    """(layer, j, i, trace) for every drawn edge, read back from the segments."""
    pos = [_unit_y(n) for n in dims]
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
    fig = make_network_figure(dims, params, activations=trainer.activations)
    edges = _edges(fig, dims)
    assert len(edges) == sum(dims[l] * dims[l - 1] for l in range(1, len(dims)))
    assert len({(l, j, i) for l, j, i, _ in edges}) == len(edges)
    biggest = max(np.abs(params[f"W{l}"]).max() for l in range(1, len(dims)))
    widths = {}
    for l, j, i, t in edges:
        v = params[f"W{l}"][j, i]
        assert t.meta["sign"] == np.sign(v)
        expected = CLASS1_COLOR if v > 0 else CLASS0_COLOR
        assert t.line.color == rgba(expected, EDGE_OPACITY)
        assert t.meta["bucket"] == round(abs(v) / biggest * (EDGE_WIDTH_BUCKETS - 1))
        widths[abs(v)] = t.line.width
    # Widths grow with |W|, from about 0.5 px to about 8 px.
    ordered = [widths[k] for k in sorted(widths)]
    assert ordered == sorted(ordered)
    assert max(ordered) == pytest.approx(EDGE_MAX_WIDTH)
    assert min(t.line.width for t in fig.data if t.meta and t.meta.get("kind") == "edges"
               ) >= EDGE_MIN_WIDTH
    # Few traces: one per (sign, width bucket) at most.
    n_edge_traces = sum(1 for t in fig.data if t.meta and t.meta.get("kind") == "edges")
    assert n_edge_traces <= 2 * EDGE_WIDTH_BUCKETS
    assert fig.layout.showlegend is False
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False

def test_network_hover_values_and_units(trainer):
    dims, params = trainer.layer_dims, trainer.parameters
    fig = make_network_figure(dims, params, activations=trainer.activations,
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
    fig = make_network_figure(dims, trainer.parameters, grads=grads, mode="gradients")
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
        assert t.meta["bucket"] == round(abs(v) / biggest * (EDGE_WIDTH_BUCKETS - 1))
    assert any("db[l] on hover" in a.text for a in fig.layout.annotations)
    with pytest.raises(ValueError, match="grads"):
        make_network_figure(dims, trainer.parameters, mode="gradients")
    with pytest.raises(ValueError, match="mode"):
        make_network_figure(dims, trainer.parameters, mode="biases")

def test_network_zero_initialization(zero_trainer):
    t = zero_trainer
    fig = make_network_figure(t.layer_dims, t.parameters)
    edges = [tr for tr in fig.data if tr.meta and tr.meta.get("kind") == "edges"]
    assert len(edges) == 1
    assert edges[0].line.dash == "dash" and edges[0].line.color == GREY_COLOR
    assert edges[0].line.width <= 1.5
    assert len(_edges(fig, t.layer_dims)) == 2 * 4 + 4
    assert any(a.text and "all weights are 0" in a.text for a in fig.layout.annotations)
    grads = t.gradients()
    assert all(not np.any(grads[f"dW{l}"]) for l in (1, 2))  # the course's zero-init trap
    gfig = make_network_figure(t.layer_dims, t.parameters, grads=grads, mode="gradients")
    assert any(a.text and "all gradients are exactly 0" in a.text
               for a in gfig.layout.annotations)

def test_network_one_zero_layer_is_noted(trainer):
    params = dict(trainer.parameters, W2=np.zeros_like(trainer.parameters["W2"]))
    fig = make_network_figure(trainer.layer_dims, params)
    texts = [a.text for a in fig.layout.annotations]
    assert "all W[2] = 0" in texts
    assert not any("all weights are 0" in s for s in texts)

def test_network_layer_scale_and_highlight(trainer):
    dims = trainer.layer_dims
    fig = make_network_figure(dims, trainer.parameters, scale="layer", highlight=(1, 3))
    for l in (1, 2):
        assert max(t.meta["bucket"] for ll, _, _, t in _edges(fig, dims) if ll == l) == (
            EDGE_WIDTH_BUCKETS - 1)
    ring = [t for t in fig.data if t.meta and t.meta.get("kind") == "highlight"]
    assert len(ring) == 1 and ring[0].y[0] == _unit_y(4)[2]
    fig = make_network_figure(dims, trainer.parameters, highlight=1)
    assert len(fig.layout.shapes) == 1 and fig.layout.shapes[0].x0 < 1 < fig.layout.shapes[0].x1
    with pytest.raises(ValueError):
        make_network_figure(dims, trainer.parameters, highlight=(1, 9))

def test_network_shape_checks(trainer):
    with pytest.raises(ValueError, match="shape"):
        make_network_figure([2, 5, 1], trainer.parameters)
    with pytest.raises(ValueError, match="input_labels"):
        make_network_figure(trainer.layer_dims, trainer.parameters, input_labels=["x₁"])

def test_deep_network_stays_small(deep_trainer):
    t = deep_trainer
    fig = make_network_figure(t.layer_dims, t.parameters, activations=t.activations)
    assert len(_edges(fig, t.layer_dims)) == 2 * 16 + 5 * 16 * 16 + 16
    n_edge_traces = sum(1 for tr in fig.data if tr.meta and tr.meta.get("kind") == "edges")
    assert n_edge_traces <= 2 * EDGE_WIDTH_BUCKETS + 1
    assert len(fig.data) <= 2 * EDGE_WIDTH_BUCKETS + 1 + 2 * len(t.layer_dims)
    size = len(fig.to_json())
    print(f"network 2-16-16-16-16-16-16-1: {size} bytes, {len(fig.data)} traces")
    assert size < 150_000
    assert fig.layout.height >= 16 * 30
    texts = [a.text for a in fig.layout.annotations]
    assert any("layer 6" in s and "ReLU" in s for s in texts)
