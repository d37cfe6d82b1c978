"""playground.figures.symmetry: read the figures' data, not their pixels."""

import numpy as np
import pytest

from playground.figures.boundary import make_decision_boundary_figure
from playground.figures.symmetry import (
    COMPACT_MARGIN,
    display_factor,
    make_compact_boundary_figure,
    make_symmetry_history_figure,
    make_unit_rows_figure,
)
from playground.figures.theme import CLASS_COLORS, LIGHT_BLUE, LIGHT_ORANGE


def series(name, y, color="#0072B2"):
    return {"name": name, "x": np.arange(len(y)), "y": np.asarray(y, float), "color": color}


def test_history_figure_lines_and_noise_markers():
    fig = make_symmetry_history_figure(
        [series("zeros", [1, 1, 1]), series("constant", [1, 1, 4])],
        y_title="distinct units", integer_y=True, y_max=4,
        events=[{"x": 1, "label": "noise × 0.001 (constant)", "color": "#D55E00"}])
    assert [t.name for t in fig.data] == ["zeros", "constant"]
    np.testing.assert_array_equal(fig.data[1].y, [1, 1, 4])
    assert len(fig.layout.shapes) == 1 and fig.layout.shapes[0].x0 == 1
    assert fig.layout.shapes[0].line.dash == "dot"
    notes = [a for a in fig.layout.annotations if a.text == "noise"]
    assert len(notes) == 1 and notes[0].hovertext == "noise × 0.001 (constant)"
    assert fig.layout.yaxis.dtick == 1 and tuple(fig.layout.yaxis.range) == (0, 4.5)
    assert fig.layout.yaxis.title.text == "distinct units"


def test_history_figure_log_scale_leaves_out_exact_zeros():
    fig = make_symmetry_history_figure(
        [series("zeros", [0, 0, 0]), series("random", [0.01, 0.1, 1.0])],
        y_title="symmetry", log_y=True)
    assert [t.name for t in fig.data] == ["random"]
    assert fig.layout.meta["not_drawn"] == ["zeros"]
    assert fig.layout.yaxis.type == "log"
    lin = make_symmetry_history_figure([series("zeros", [0, 0])], y_title="s")
    assert [t.name for t in lin.data] == ["zeros"] and lin.layout.meta["not_drawn"] == []


def test_unit_rows_side_by_side_for_layer_1():
    W = np.full((4, 2), 0.5)
    b = np.zeros((4, 1))
    dW = np.full((4, 2), -2.9e-4)
    db = np.full((4, 1), 1e-6)
    fig = make_unit_rows_figure([("W", W, b), ("dW", dW, db)], layer=1)
    assert fig.layout.meta["arrange"] == "side" and fig.layout.meta["annotate"]
    left, right = fig.data
    np.testing.assert_allclose(left.z, np.hstack([W, b]))
    np.testing.assert_allclose(right.z, np.hstack([dW, db]), rtol=1e-6)
    assert list(left.x) == ["x₁", "x₂", "b"] and list(right.x) == ["x₁", "x₂", "db"]
    assert list(left.y) == ["unit 1", "unit 2", "unit 3", "unit 4"]
    # Clones: identical rows, cell for cell, in both panels.
    assert all(row == left.text[0] for row in left.text)
    assert all(row == right.text[0] for row in right.text)
    # Small gradients: a power of ten is factored out into the title, cells stay short.
    assert list(left.text[0]) == ["0.5", "0.5", "0"]
    assert list(right.text[0]) == ["-2.9", "-2.9", "0.01"]
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["[W[1] | b[1]]", "[dW[1] | db[1]]  (× 1e-4)"]
    assert "%{z:.4g}" in right.hovertemplate  # the hover shows the true value
    # Each panel's colours are symmetric around 0, so 0 is white.
    assert left.zmin == -left.zmax and right.zmin == -right.zmax


def test_unit_rows_stack_wide_layers_and_stop_annotating_very_wide_ones():
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((1, 4)), np.zeros((1, 1))
    fig = make_unit_rows_figure([("W", W, b), ("dW", W, b)], layer=2)
    assert fig.layout.meta == {"arrange": "stack", "annotate": True}
    assert list(fig.data[0].x) == ["a[1]₁", "a[1]₂", "a[1]₃", "a[1]₄", "b"]
    wide = make_unit_rows_figure([("W", rng.standard_normal((16, 16)), np.zeros((16, 1)))],
                                 layer=2)
    assert wide.layout.meta["annotate"] is False and wide.data[0].text is None
    zero = make_unit_rows_figure([("W", np.zeros((2, 2)), np.zeros((2, 1)))])
    assert zero.data[0].zmax == 1.0  # an all-zero matrix still gets a colour scale


def test_unit_rows_reject_bad_shapes():
    with pytest.raises(ValueError):
        make_unit_rows_figure([])
    with pytest.raises(ValueError):
        make_unit_rows_figure([("W", np.zeros((3, 2)), np.zeros((2, 1)))])
    with pytest.raises(ValueError):
        make_unit_rows_figure([("W", np.zeros((3, 2)), np.zeros((3, 1))),
                               ("dW", np.zeros((3, 3)), np.zeros((3, 1)))])
    with pytest.raises(ValueError):
        make_unit_rows_figure([("W", np.zeros((3, 2)), np.zeros((3, 1)))], arrange="grid")


def test_stacked_panels_keep_their_own_column_labels():
    W, b = np.ones((1, 4)), np.zeros((1, 1))
    fig = make_unit_rows_figure([("W", W, b), ("dW", W, b)], layer=2, arrange="stack")
    top, bottom = fig.data
    assert top.xaxis != bottom.xaxis and fig.layout.xaxis2.matches is None
    assert list(top.x)[-1] == "b" and list(bottom.x)[-1] == "db"


@pytest.mark.parametrize("values, factor", [
    ([0.0, 0.0], 1.0), ([0.5, -2.0], 1.0), ([0.01], 1.0), ([-4.42e-4, 1e-6], 1e-4),
    ([0.0099], 1e-3), ([999.0], 1.0), ([1234.0], 1e3), ([np.nan, 2e-5], 1e-5),
])
def test_display_factor(values, factor):
    assert display_factor(np.array(values)) == pytest.approx(factor)


def test_unannotated_zero_panels_say_so_in_the_title():
    fig = make_unit_rows_figure([("W", np.zeros((9, 9)), np.zeros((9, 1))),
                                 ("dW", np.ones((9, 9)), np.zeros((9, 1)))], layer=2)
    assert fig.layout.meta["annotate"] is False
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["[W[2] | b[2]]: all exactly 0", "[dW[2] | db[2]]"]


def test_the_initializations_have_their_own_colours_and_no_dotted_line():
    # Issue 13 item 14: the columns' colours are not the class colours (orange y = 0,
    # blue y = 1), and dotted lines mean only "noise added" (the page's caption).
    from playground.figures import symmetry as FS
    from playground.lab import symmetry as S

    def rgb(h):
        return np.array([int(h[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)

    assert len(set(FS.INIT_PALETTE)) == len(FS.INIT_PALETTE) == len(FS.INIT_SWATCHES)
    assert not {"blue", "orange"} & set(FS.INIT_SWATCHES)
    for c in FS.INIT_PALETTE:
        for k in CLASS_COLORS + (LIGHT_ORANGE, LIGHT_BLUE):
            assert np.linalg.norm(rgb(c) - rgb(k)) > 80, (c, k)
    assert "dot" not in S.DASHES
    fig = FS.make_symmetry_history_figure(
        [{"name": n, "x": [0, 1], "y": [1, 1], "color": c, "dash": d}
         for n, c, d in zip(("zeros", "constant", "random"), FS.INIT_PALETTE, S.DASHES,
                            strict=True)],
        y_title="distinct units", events=[{"x": 1, "label": "noise", "color": "#000000"}])
    assert [t.line.dash for t in fig.data] == list(S.DASHES)
    assert [s.line.dash for s in fig.layout.shapes] == ["dot"]  # only the noise marker


def test_compact_boundary_gives_the_plane_the_columns_width(four_points):
    # Issue 13 item 12: three boundaries at 1280 x 720 were ~190 px, 60 px below their
    # figure's top. The compact plane has no colour bar, legend or axis titles (the page
    # says them once), 4 px margins, and sits at the top of its figure (spare height goes
    # below it), centred across; the same ŷ, boundary and points as the full figure.
    grid, P, X, Y = four_points
    fig = make_compact_boundary_figure(grid, P, X, Y, height=300)
    full = make_decision_boundary_figure(grid, P, X, Y, show_test=False, height=300)
    assert [t.name for t in fig.data] == [t.name for t in full.data]
    np.testing.assert_array_equal(fig.data[0].z, full.data[0].z)
    assert fig.data[0].showscale is False and fig.layout.showlegend is False
    assert fig.layout.xaxis.title.text is None and fig.layout.yaxis.title.text is None
    assert full.layout.xaxis.title.text == "x₁" and full.layout.yaxis.title.text == "x₂"
    m = fig.layout.margin
    assert (m.t, m.r, m.b, m.l) == (COMPACT_MARGIN,) * 4
    assert fig.layout.yaxis.scaleanchor == "x"  # still square: equal scales
    assert fig.layout.yaxis.constraintoward == "top"
    assert fig.layout.xaxis.constraintoward == "center"
    assert fig.layout.height == 300
