"""playground.figures.boundary: the decision boundary: ŷ over the plane, the line ŷ = 0.5 (or a
note why there is none), the points, axes that fit the data. Checked through the figures' data
(trace types, arrays, layout settings), never through pixels."""

from __future__ import annotations

import numpy as np
import pytest
from every_figure import names

from playground.core.datasets import make_dataset
from playground.core.diagnostics import (
    Grid,
    make_grid,
    probability_grid,
)
from playground.engine.trainer import Trainer
from playground.figures.boundary import (
    BOUNDARY_MIN_MARGIN,
    NOTE_LINE_CHARS,
    SCATTERGL_THRESHOLD,
    boundary_note,
    decision_boundary_spec,
    make_decision_boundary_figure,
)
from playground.figures.contour import contour_line
from playground.figures.plane import _grid_axes
from playground.figures.theme import (
    CLASS_COLORS,
    INK_COLOR,
    LIGHT_BLUE,
    LIGHT_ORANGE,
    NEUTRAL_COLOR,
    TICK_FONT_SIZE,
    UIREVISION,
)


def test_boundary_traces_and_heatmap(grid, P, data):
    fig = make_decision_boundary_figure(grid, P, *data)
    assert [t.type for t in fig.data] == ["heatmap"] + ["scatter"] * 5
    assert names(fig) == ["ŷ", "ŷ = 0.5", "train, y=0", "train, y=1", "test, y=0",
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
    assert scale[0][1].lower() == LIGHT_ORANGE and scale[-1][1].lower() == LIGHT_BLUE
    assert dict(scale)[0.5].lower() == NEUTRAL_COLOR
    for k in ("x₁", "x₂", "ŷ"):
        assert k in hm.hovertemplate

def test_boundary_contour_is_at_one_half(grid, P, data):
    fig = make_decision_boundary_figure(grid, P, *data)
    line = fig.data[1]
    assert line.mode == "lines" and line.line.width >= 2 and line.line.color == INK_COLOR
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
        fig = make_decision_boundary_figure(grid, np.full(grid.shape, value), *data)
        assert "ŷ = 0.5" not in names(fig)
        fig.to_json()
    P = np.full(grid.shape, np.nan)
    fig = make_decision_boundary_figure(grid, P, data[0], data[1])
    assert [t.type for t in fig.data][0] == "heatmap"

def test_boundary_shape_mismatch_raises(grid, P, data):
    with pytest.raises(ValueError, match="shape"):
        make_decision_boundary_figure(grid, P[:, :-1], data[0], data[1])

def test_boundary_discretize_uses_two_flat_colours(grid, P, data):
    fig = make_decision_boundary_figure(grid, P, *data, discretize=True)
    scale = [(s, c.lower()) for s, c in fig.data[0].colorscale]
    assert scale == [(0.0, LIGHT_ORANGE), (0.5, LIGHT_ORANGE), (0.5, LIGHT_BLUE),
                     (1.0, LIGHT_BLUE)]
    assert "ŷ = 0.5" in names(fig)

def test_boundary_points_by_class_and_split(grid, P, data):
    X_train, Y_train, X_test, Y_test = data
    fig = make_decision_boundary_figure(grid, P, *data)
    by = {t.name: t for t in fig.data}
    for split, X, Y in (("train", X_train, Y_train), ("test", X_test, Y_test)):
        for c in (0, 1):
            t = by[f"{split}, y={c}"]
            mask = Y[0] == c
            assert np.array_equal(t.x, X[0, mask].astype(np.float32))
            assert np.array_equal(t.y, X[1, mask].astype(np.float32))
            assert t.marker.color == CLASS_COLORS[c]
            assert f"y = {c}" in t.hovertemplate and "x₁" in t.hovertemplate
            assert t.text is None  # hover comes from the template, not per-point strings
    assert by["train, y=0"].marker.symbol == "circle"
    assert by["test, y=0"].marker.symbol != by["train, y=0"].marker.symbol
    assert by["train, y=0"].marker.line.color == "white"

def test_boundary_test_points_follow_show_test(grid, P, data):
    X_train, Y_train, X_test, Y_test = data
    hidden = make_decision_boundary_figure(grid, P, *data, show_test=False)
    assert not any(n.startswith("test") for n in names(hidden))
    absent = make_decision_boundary_figure(grid, P, X_train, Y_train)
    assert not any(n.startswith("test") for n in names(absent))
    empty = make_decision_boundary_figure(grid, P, X_train, Y_train, X_test[:, :0],
                                          Y_test[:, :0])
    assert not any(n.startswith("test") for n in names(empty))

def test_boundary_user_points_are_stars(grid, P, data):
    Xu = np.array([[0.5, -0.5, 1.0], [0.2, 0.3, -0.1]])
    Yu = np.array([[1.0, 0.0, 1.0]])
    fig = make_decision_boundary_figure(grid, P, *data, user_points=(Xu, Yu))
    by = {t.name: t for t in fig.data}
    assert by["added, y=1"].marker.symbol == "star"
    assert np.array_equal(by["added, y=1"].x, np.float32([0.5, 1.0]))
    assert np.array_equal(by["added, y=0"].y, np.float32([0.3]))
    none = make_decision_boundary_figure(grid, P, *data, user_points=(Xu[:, :0], Yu[:, :0]))
    assert not any(n.startswith("added") for n in names(none))

def test_boundary_layout(grid, P, data):
    fig = make_decision_boundary_figure(grid, P, *data, height=480)
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    assert fig.layout.xaxis.title.text == "x₁" and fig.layout.yaxis.title.text == "x₂"
    assert fig.layout.height == 480
    # The axes show every heatmap cell in full.
    dx = float(grid.xs[1] - grid.xs[0])
    assert fig.layout.xaxis.range[0] == pytest.approx(grid.xs[0] - dx / 2, rel=1e-5)
    assert fig.layout.margin.l <= 20 and fig.layout.margin.r <= 20
    assert fig.layout.uirevision == UIREVISION
    other = make_decision_boundary_figure(grid, P, *data, uirevision="moons")
    assert other.layout.uirevision == "moons"

def test_boundary_payload_under_60_kB(grid, P, data):
    fig = make_decision_boundary_figure(grid, P, *data)
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
    assert len(make_decision_boundary_figure(g, P4, X, Y).to_json()) < 60_000

def test_many_points_use_webgl(grid, P):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, SCATTERGL_THRESHOLD + 10))
    Y = (rng.random((1, X.shape[1])) > 0.5).astype(float)
    fig = make_decision_boundary_figure(grid, P, X, Y)
    assert {t.type for t in fig.data[2:]} == {"scattergl"}

def test_an_untrained_network_draws_no_boundary_and_says_why(data):
    X_train, Y_train = data[0], data[1]
    t = Trainer(X_train, Y_train, hidden=(4,), activations=("tanh",), weight_seed=1)
    grid = make_grid(X_train, resolution=40)
    P = probability_grid(grid, t.parameters, t.activations)
    spread = float(np.abs(P.astype(np.float64) - 0.5).max())
    assert 0 < spread < BOUNDARY_MIN_MARGIN  # iteration 0: ŷ nearly flat
    # The marching squares would draw a line through that noise ...
    assert contour_line(grid.xs, grid.ys, P)[0].size
    spec = decision_boundary_spec(grid, P, X_train, Y_train)
    # ... the figure does not.
    assert "boundary" not in [t["uid"] for t in spec["data"]]
    note = spec["layout"]["meta"]["boundary_note"]
    half = float(note.split("±")[1].split()[0])
    assert note.startswith("no boundary yet: ŷ is within 0.5 ±")
    assert spread <= half <= 1.1 * spread  # the stated band is the real one, rounded up
    ann = spec["layout"]["annotations"][0]
    assert ann["text"].replace("<br>", " ") == note  # the same words, in short lines
    assert max(len(line) for line in ann["text"].split("<br>")) <= NOTE_LINE_CHARS
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
    spec = decision_boundary_spec(grid, values, *data[:2])
    ann = spec["layout"]["annotations"][0]
    lines = ann["text"].split("<br>")
    assert len(lines) >= 2 and max(map(len, lines)) <= NOTE_LINE_CHARS, lines
    assert " ".join(lines) == spec["layout"]["meta"]["boundary_note"]
    assert (ann["xref"], ann["yref"], ann["xanchor"], ann["x"]) == (
        "x domain", "y domain", "center", 0.5)
    assert ann["font"]["size"] < TICK_FONT_SIZE

def test_a_trained_network_draws_its_boundary_without_a_note(grid, P, data):
    spec = decision_boundary_spec(grid, P, *data)
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
    assert boundary_note(P).startswith(start)
    assert boundary_note(np.linspace(0.2, 0.8, 12).reshape(3, 4)) is None

def test_boundary_axes_end_where_the_data_does():
    # Moons is wider than tall: the square grid runs far past the points along x₂.
    X, Y = make_dataset("moons", 300, seed=0)
    grid = make_grid(X, resolution=30)
    P = np.tile(np.linspace(0, 1, 30), (30, 1))
    lay = decision_boundary_spec(grid, P, X, Y)["layout"]
    lo, hi = X.min(axis=1), X.max(axis=1)
    dx = float(grid.xs[1] - grid.xs[0])
    # make_grid's margin (10 % of the longer span), and the heatmap's half cell.
    pad = 0.5 * (float(grid.xs[-1] - grid.xs[0]) + dx - (hi - lo).max())
    for ax, k in (("xaxis", 0), ("yaxis", 1)):
        r = lay[ax]["range"]
        assert r[0] <= lo[k] and r[1] >= hi[k]  # every point shows
        assert r[0] == pytest.approx(lo[k] - pad, abs=0.05 * pad), ax
        assert r[1] == pytest.approx(hi[k] + pad, abs=0.05 * pad), ax
    grid_y = _grid_axes(grid.xs, grid.ys)[1]
    assert lay["yaxis"]["range"][1] - lay["yaxis"]["range"][0] < 0.8 * (grid_y[1] - grid_y[0])
