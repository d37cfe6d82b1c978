"""playground.figures.activations: activation curves and activations at work. Checked through the
figures' data (trace types, arrays, layout settings), never through pixels."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.diagnostics import (
    SATURATION_THRESHOLD,
    dead_units,
    saturation_fraction,
)
from playground.core.nn import ACTIVATIONS
from playground.core.text import share
from playground.figures.activations import (
    Z_CLIP,
    make_activation_curves_figure,
    make_activations_at_work_figure,
    saturated_intervals,
)


def test_activations_at_work(deep_trainer):
    t = deep_trainer
    Zs = [c.Z for c in t.caches()[:3]]
    names = t.activations[:3]
    fig = make_activations_at_work_figure(names, Zs)
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
        assert lo <= min(-4, max(Z.min(), -Z_CLIP)) + 1e-9
        assert hi >= max(4, min(Z.max(), Z_CLIP)) - 1e-9
        assert top.x[0] == lo and top.x[-1] == hi
    titles = [a.text for a in fig.layout.annotations if a.text]
    for l, (name, Z) in enumerate(zip(names, Zs, strict=True), start=1):
        pct = share(saturation_fraction(Z, name))
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
    fig = make_activations_at_work_figure(["tanh"], [Z])
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
    fig = make_activations_at_work_figure(["sigmoid"], [Z])
    bar = [tr for tr in fig.data if tr.type == "bar"][0]
    assert fig.layout.xaxis.range == (-Z_CLIP, Z_CLIP)
    assert bar.y.sum() == Z.size and bar.meta["clipped"] > 0
    assert "saturated" in fig.layout.annotations[0].text
    small = make_activations_at_work_figure(["tanh"], [np.zeros((2, 5))])
    assert small.layout.xaxis.range == (-4, 4)
    no_data = make_activations_at_work_figure(["relu"], [np.zeros((3, 0))])
    assert no_data.layout.annotations[0].text == "layer 1 · ReLU · no data"
    empty = make_activations_at_work_figure([], [])
    assert "logistic regression" in empty.layout.annotations[0].text
    with pytest.raises(ValueError):
        make_activations_at_work_figure(["tanh"], [])

def test_activation_curves(trainer):
    names = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
    fig = make_activation_curves_figure(names)
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
    plain = make_activation_curves_figure(["tanh"], shade_saturation=False, z_min=-2,
                                          z_max=2)
    assert len(plain.layout.shapes) == 0 and plain.data[0].x[0] == -2
    with pytest.raises(ValueError):
        make_activation_curves_figure(["nope"])

def test_saturated_intervals_skip_a_leaky_relus_leak():
    z = np.linspace(-5, 5, 101)
    assert saturated_intervals(z, "leaky_relu") == []
    assert saturated_intervals(z, "relu") == [(-5.0, 0.0)]
