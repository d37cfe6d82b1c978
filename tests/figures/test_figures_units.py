"""playground.figures.units: what each unit computes over the plane. Checked through the figures'
data (trace types, arrays, layout settings), never through pixels."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.core.diagnostics import grid_activations
from playground.figures.units import (
    UNIT_MAP_RESOLUTION,
    UNIT_MAP_RESOLUTION_WIDE,
    make_unit_figure,
    make_unit_maps_figure,
)


def test_unit_maps_grid_of_small_multiples(trainer, grid):
    maps = grid_activations(grid, trainer.parameters, trainer.activations)
    fig = make_unit_maps_figure(grid, maps)
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
    step = math.ceil(50 / UNIT_MAP_RESOLUTION)
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
    fig = make_unit_maps_figure(grid, maps, first_layer=1, max_cols=8,
                                layer_titles=["L1", "L2"])
    assert len(fig.data) == 16
    assert [a.text for a in fig.layout.annotations][:2] == ["a[1]₁", "a[1]₂"]
    assert fig.layout.yaxis.title.text == "L1 (first 8 of 16)"
    titles = [["u"] * 16, ["v"] * 16]
    fig = make_unit_maps_figure(grid, maps, unit_titles=titles)
    assert {a.text for a in fig.layout.annotations} == {"u", "v"}
    assert max(t.z.shape[0] for t in fig.data) <= UNIT_MAP_RESOLUTION_WIDE
    size = len(make_unit_maps_figure(grid, grid_activations(
        grid, t.parameters, t.activations)[:-1]).to_json())
    print(f"unit maps of 2-16×6-1 on a 50×50 grid: {size} bytes")
    with pytest.raises(ValueError, match="shape"):
        make_unit_maps_figure(grid, [np.zeros((2, 10, 10))])

def test_unit_figure(trainer, grid, data):
    maps = grid_activations(grid, trainer.parameters, trainer.activations)
    fig = make_unit_figure(grid, maps[1][2], title="a[1]₃", X_train=data[0],
                           Y_train=data[1])
    assert [t.type for t in fig.data] == ["heatmap", "scatter", "scatter"]
    assert fig.data[0].z.shape == (50, 50)
    assert fig.data[0].zmin == -fig.data[0].zmax
    assert fig.layout.title.text == "a[1]₃"
    assert fig.layout.yaxis.scaleanchor == "x"
    alone = make_unit_figure(grid, maps[2][0], title=None)
    assert len(alone.data) == 1 and alone.data[0].zmin == 0
