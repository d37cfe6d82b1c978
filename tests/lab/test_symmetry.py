"""playground.lab.symmetry: the lockstep group and what the numbers say about symmetry."""

import numpy as np
import pytest

from playground.core import nn
from playground.core.datasets import make_dataset, train_test_split
from playground.core.diagnostics import grid_activations, make_grid
from playground.figures.theme import SERIES_PALETTE
from playground.lab import symmetry as S


@pytest.fixture(scope="module")
def flower():
    X, Y = make_dataset("flower", 400, None, 0)
    return train_test_split(X, Y, 0.2, 0)


def group_of(data, **kw) -> S.LockstepGroup:
    return S.LockstepGroup(*data, **kw)


# ---- the choices and the group ---------------------------------------------------------


def test_choice_labels():
    assert S.choice_label("zeros") == "zeros"
    assert S.choice_label("constant", 0.5) == "constant c = 0.5"
    assert S.choice_label("constant", -1.25) == "constant c = -1.25"
    assert S.choice_label("random_0.01") == "random × 0.01"
    assert S.choice_label("random_10") == "random × 10"
    assert set(S.DEFAULT_CHOICES) <= set(S.INIT_CHOICES)
    assert all(ch.method in nn.INITIALIZATIONS for ch in S.INIT_CHOICES.values())


def test_group_initializes_each_network_as_named(flower):
    g = group_of(flower, hidden=(4, 3), choices=("zeros", "constant", "random_0.01"), c=0.7,
                 seed=3)
    zeros, const, rand = (t.parameters for t in g.trainers)
    assert g.labels == ["zeros", "constant c = 0.7", "random × 0.01"]
    for l in (1, 2, 3):
        assert not np.any(zeros[f"W{l}"])
        assert np.all(const[f"W{l}"] == 0.7)
        for p in (zeros, const, rand):
            assert not np.any(p[f"b{l}"])  # biases always start at 0
    ref = nn.initialize_parameters([2, 4, 3, 1], "random", 0.01, seed=3)
    for l in (1, 2, 3):
        np.testing.assert_array_equal(rand[f"W{l}"], ref[f"W{l}"])
    assert all(t.dtype == np.float64 for t in g.trainers)


@pytest.mark.parametrize("choices", [(), ("zeros", "zeros"), ("ones",)])
def test_group_rejects_bad_choices(flower, choices):
    with pytest.raises(ValueError):
        group_of(flower, choices=choices)


def test_step_keeps_the_networks_in_lockstep_and_reset_forgets_noise(flower):
    g = group_of(flower)
    assert g.step(25) == 25
    assert [t.iteration for t in g.trainers] == [25, 25, 25] and g.iteration == 25
    g.break_symmetry(1, 1e-3)
    assert g.breaks == [[], [(25, 1e-3)], []]
    g.reset()
    assert g.iteration == 0 and g.breaks == [[], [], []]
    np.testing.assert_array_equal(g.trainers[1].parameters["W1"], 0.5)


def test_a_diverging_network_stops_alone(flower):
    g = group_of(flower, hidden=(4,), activation="relu", choices=("zeros", "random_10"),
                 alpha=10.0)
    for _ in range(5):
        g.step(20)
    zeros, big = g.trainers
    assert big.diverged and not zeros.diverged
    assert zeros.iteration == 100 and big.iteration < 100
    assert g.iteration == 100 and not g.all_diverged


def test_break_symmetry_is_seeded_and_differs_per_press(flower):
    a, b = group_of(flower, seed=5), group_of(flower, seed=5)
    a.break_symmetry(1, 1e-3)
    b.break_symmetry(1, 1e-3)
    np.testing.assert_array_equal(a.trainers[1].parameters["W1"],
                                  b.trainers[1].parameters["W1"])
    noise = a.trainers[1].parameters["W1"] - 0.5
    assert 1e-5 < np.std(noise) < 1e-2
    before = a.trainers[1].parameters["W1"].copy()
    a.break_symmetry(1, 1e-3)
    second = a.trainers[1].parameters["W1"] - before
    assert not np.allclose(second, noise)
    with pytest.raises(ValueError):
        a.break_symmetry(0, 0.0)
    assert S.break_seed(1, 0, 0) != S.break_seed(1, 0, 1) != S.break_seed(1, 1, 0)


def test_frame_iterations():
    # 3 networks at 1 ms each: a 0.09 s budget allows 30 iterations of all three.
    assert S.frame_iterations([1e-3] * 3, None, 0.2, 0.09) == 30
    assert S.frame_iterations([1e-3] * 3, 50, 0.2, 0.09) == 10  # the rate caps it
    assert S.frame_iterations([float("nan")], None, 0.2, 0.09, guess=1e-3) == 90
    assert S.frame_iterations([10.0], None, 0.2, 0.09) == 1  # never less than one


# ---- what the numbers say --------------------------------------------------------------


def test_zero_init_every_gradient_is_exactly_zero(flower):
    g = group_of(flower, choices=("zeros",))
    t = g.trainers[0]
    t.step(200)
    grads = t.gradients()
    assert all(not np.any(grads[k]) for k in grads if k.startswith(("dW", "db")))
    grid = make_grid(np.hstack([flower[0], flower[2]]), 20)
    P = grid_activations(grid, t.parameters, t.activations)[-1][0]
    state = S.trainer_state(t, P)
    assert state.frozen and state.all_zero and state.stuck
    assert state.layers[0].output_value == 0.0 and state.output_value == 0.5
    v = S.verdict(state)
    assert v.kind == "frozen" and v.stuck
    assert v.headline == "all gradients are exactly 0: nothing can learn"
    assert "every hidden unit outputs exactly 0 for every example" in v.details
    assert any("ŷ = σ(b[2]) = 0.500 at every point" in d for d in v.details)
    assert t.metrics().train_accuracy == 0.5


def test_constant_init_stays_one_unit_and_random_does_better(flower):
    g = group_of(flower, choices=("constant", "random_0.01"))
    g.step(2000)
    const, rand = g.trainers
    W1 = const.parameters["W1"]
    assert np.all(W1 == W1[0])  # still exact clones after 2,000 steps
    cs, rs = S.trainer_state(const), S.trainer_state(rand)
    assert cs.layers[0].distinct == 1 and cs.layers[0].grad_distinct == 1
    assert cs.has_clones and not cs.frozen and cs.stuck
    assert rs.layers[0].distinct == 4 and not rs.stuck
    assert S.verdict(cs).headline == "4 units, 1 distinct: the layer acts as one unit"
    assert S.verdict(rs).headline == "4 distinct units"
    assert S.distinct_text(cs) == "1 of 4" and S.distinct_text(rs) == "4 of 4"
    # docs/notation.md: about one unit's accuracy (≈ 0.65) against ≈ 0.90 for random.
    assert const.metrics().train_accuracy < 0.75 < 0.85 < rand.metrics().train_accuracy


def test_verdict_wording_per_layer():
    def layer(l, units, distinct, grad_distinct=None):
        return S.LayerState(l, units, distinct, 0.0 if distinct == 1 else 0.5,
                            grad_distinct or distinct, None)

    two = S.ColumnState((layer(1, 4, 1), layer(2, 3, 3)), (False,) * 3, (False,) * 3, None)
    v = S.verdict(two)
    assert v.kind == "clones"
    assert v.headline == ("layer 1: 4 units, 1 distinct: the layer acts as one unit; "
                          "layer 2: 3 distinct units")
    part = S.ColumnState((layer(1, 4, 2),), (False, False), (False, False), None)
    assert S.verdict(part).headline == "4 units, 2 distinct: the layer acts as 2 units"
    one = S.ColumnState((layer(1, 1, 1),), (False, False), (False, False), None)
    assert S.verdict(one).headline == "1 unit" and not S.verdict(one).stuck
    gone = S.ColumnState((layer(1, 4, 1),), (False, False), (False, False), None,
                         diverged=True)
    assert S.verdict(gone).kind == "diverged" and not gone.stuck
    only_b = S.ColumnState((layer(1, 4, 1),), (True, True), (True, False), 0.5)
    v = S.verdict(only_b)
    assert v.headline == "every dW[l] is exactly 0: no weight can move"
    assert "only b[2] can still learn" in v.details


def test_column_state_reads_rows_of_W_and_b():
    W = np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]])
    b = np.array([[0.0], [0.0], [1e-9]])  # the bias alone makes unit 3 different
    params = {"W1": W, "b1": b, "W2": np.ones((1, 3)), "b2": np.zeros((1, 1))}
    grads = {"dW1": np.zeros_like(W), "db1": np.zeros_like(b),
             "dW2": np.full((1, 3), 0.1), "db2": np.zeros((1, 1))}
    state = S.column_state(params, grads, [np.ones((3, 5))], np.array([0.2, 0.3]))
    assert state.layers[0].distinct == 2 and state.layers[0].grad_distinct == 1
    assert state.layers[0].output_value == 1.0 and state.output_value is None
    assert state.dW_zero == (True, False) and not state.frozen


def test_split_by_rounding():
    assert S.split_by_rounding((1,), (2,), (9,), n_breaks=0)
    assert not S.split_by_rounding((1,), (2,), (9,), n_breaks=1)  # noise did it
    assert not S.split_by_rounding((4,), (4,), (4,), n_breaks=0)  # never clones
    assert not S.split_by_rounding((1, 1), (1, 1), (4, 4), n_breaks=0)


def test_bias_note(flower):
    g = group_of(flower, choices=("zeros", "constant", "xavier"))
    notes = [S.bias_note(t.initial_parameters) for t in g.trainers]
    assert all(ok for ok, _ in notes)
    assert "W = 0 that stalls" in notes[0][1]
    assert "equal rows of W" in notes[1][1] and "1 of 4" in notes[1][1]
    assert "Zero b is harmless" in notes[2][1] and "4 of 4" in notes[2][1]
    p = dict(g.trainers[2].initial_parameters)
    p["b1"] = np.full((4, 1), 0.1)
    assert S.bias_note(p)[0] is False


def test_history_series_and_break_events(flower):
    g = group_of(flower, hidden=(4, 4))
    g.step(10)
    g.break_symmetry(1, 1e-2)
    g.step(10)
    cost = S.history_series(g, "train_cost", SERIES_PALETTE)
    assert [s["name"] for s in cost] == g.labels
    assert [s["color"] for s in cost] == list(SERIES_PALETTE[:3])
    assert len({s["dash"] for s in cost}) == 3  # equal curves stay visible
    d2 = S.history_series(g, "distinct", SERIES_PALETTE, layer=2)
    np.testing.assert_array_equal(d2[1]["y"], g.trainers[1].history()["distinct"][:, 1])
    assert d2[1]["y"][0] == 1 and d2[1]["y"][-1] == 4
    assert d2[2]["y"][0] == 4
    ev = S.break_events(g, SERIES_PALETTE)
    assert ev == [{"x": 10, "label": "noise × 0.01 (constant c = 0.5)",
                   "color": SERIES_PALETTE[1]}]


def test_activation_zero_value():
    assert S.activation_zero_value("tanh") == 0.0
    assert S.activation_zero_value("relu") == 0.0
    assert S.activation_zero_value("sigmoid") == 0.5


def test_breakable_only_where_there_is_symmetry_to_break():
    def layer(distinct, silent=0):
        return S.LayerState(1, 4, distinct, 0.0, distinct, None, silent)

    frozen_distinct = S.ColumnState((layer(4, silent=3),), (True, True), (True, False), None,
                                    W_zero=(False, False))
    assert frozen_distinct.frozen and frozen_distinct.stuck
    assert not frozen_distinct.breakable  # dead units, not symmetry: noise will not help
    v = S.verdict(frozen_distinct)
    assert v.kind == "frozen"
    assert "its units are distinct, so this is not symmetry and noise will not help" in v.details
    assert "3 of 4 units output exactly 0 for every example" in v.details
    clones = S.ColumnState((layer(1),), (False, False), (False, False), None,
                           W_zero=(False, False))
    assert clones.breakable
    one_unit_zero = S.ColumnState((S.LayerState(1, 1, 1, 0.0, 1, 0.0, 1),), (True, True),
                                  (True, True), 0.5, W_zero=(True, True))
    assert one_unit_zero.breakable  # W = 0: noise gives it gradients
    assert not S.ColumnState((layer(1),), (False,) * 2, (False,) * 2, None,
                             diverged=True).breakable


def test_column_state_counts_silent_units_and_zero_W():
    W = np.array([[1.0, 0.0], [2.0, 0.0]])
    params = {"W1": W, "b1": np.zeros((2, 1)), "W2": np.zeros((1, 2)), "b2": np.zeros((1, 1))}
    grads = {k.replace("W", "dW").replace("b", "db"): np.zeros_like(v) for k, v in params.items()}
    A = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    state = S.column_state(params, grads, [A])
    assert state.layers[0].silent == 1 and state.W_zero == (False, True)


def test_frame_seconds_follow_the_time_that_passed():
    assert S.frame_seconds(None, 0.2) == 0.2  # the first frame of a Play
    assert S.frame_seconds(0.05, 0.2) == 0.2  # never shorter than a frame
    assert S.frame_seconds(0.5, 0.2) == 0.5
    assert S.frame_seconds(10.0, 0.2) == pytest.approx(0.6)  # a pause is not a frame
    assert S.frame_seconds(float("nan"), 0.2) == 0.2
