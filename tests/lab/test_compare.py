"""Unit tests of playground.lab.compare: the facts table against the course's statements and
independent closed forms, and the summary of a comparison run."""

import math

import numpy as np
import pytest

from playground.core import nn
from playground.core.datasets import make_dataset, train_test_split
from playground.core.nn import ACTIVATIONS
from playground.figures.theme import SERIES_PALETTE
from playground.lab import compare as cmp

# ---- activation facts ----------------------------------------------------------------


@pytest.mark.parametrize("name,expected", [
    ("sigmoid", "(0, 1)"), ("tanh", "(−1, 1)"), ("relu", "[0, ∞)"),
    ("leaky_relu", "(−∞, ∞)"), ("linear", "(−∞, ∞)"), ("elu", "(−1, ∞)"),
    ("softplus", "(0, ∞)"),
])
def test_range_matches_the_mathematics(name, expected):
    assert cmp.activation_facts(name).range_text == expected


def test_silu_minimum_is_its_known_value():
    # SiLU's minimum: z σ(z) at z ≈ -1.2785 (the root of 1 + z(1 - σ(z)) = 0) is ≈ -0.2785.
    f = cmp.activation_facts("silu")
    assert f.lo == pytest.approx(-0.27846, abs=1e-4)
    assert f.lo_attained and f.range_text.startswith("[−0.278")


@pytest.mark.parametrize("name,g0,dg0", [
    ("sigmoid", 0.5, 0.25), ("tanh", 0.0, 1.0), ("relu", 0.0, 0.0), ("leaky_relu", 0.0, 0.01),
    ("linear", 0.0, 1.0), ("softplus", math.log(2), 0.5), ("silu", 0.0, 0.5), ("gelu", 0.0, 0.5),
])
def test_values_at_zero(name, g0, dg0):
    f = cmp.activation_facts(name)
    assert f.g0 == pytest.approx(g0) and f.dg0 == pytest.approx(dg0)


def test_tanh_is_steeper_and_zero_centred_sigmoid_is_not():
    s, t = cmp.activation_facts("sigmoid"), cmp.activation_facts("tanh")
    assert t.dg_max == pytest.approx(4 * s.dg_max)
    assert (t.zero_centred, s.zero_centred) == ("yes", "no")
    assert cmp.activation_facts("relu").zero_centred == "no"
    assert cmp.activation_facts("leaky_relu").zero_centred == "partly"


def test_relu_gradient_dies_left_leaky_does_not():
    assert cmp.activation_facts("relu").dg_left == 0
    assert cmp.activation_facts("leaky_relu").dg_left == pytest.approx(0.01)


def test_saturation_intervals_match_closed_form():
    # σ'(z) = σ(1-σ) < 0.05 ⇔ σ > (1 + sqrt(0.8))/2 ⇔ |z| > log(p / (1-p)).
    p = (1 + math.sqrt(0.8)) / 2
    z_star = math.log(p / (1 - p))
    (a0, b0), (a1, b1) = cmp.activation_facts("sigmoid").saturated
    assert a0 == -cmp.Z_WIDE and b1 == cmp.Z_WIDE
    assert b0 == pytest.approx(-z_star, abs=1e-3) and a1 == pytest.approx(z_star, abs=1e-3)
    assert cmp.activation_facts("linear").saturated_text == "never"
    assert cmp.activation_facts("relu").saturated_text == "z ≤ 0"


def test_table_has_one_row_per_registry_entry():
    rows = cmp.activation_table_rows()
    assert [r["activation"] for r in rows] == [a.label for a in ACTIVATIONS.values()]
    assert all(r["typical use"] != "—" for r in rows)


# ---- summarising a run -------------------------------------------------------------------


def test_mean_band_ignores_nan_without_warning():
    curves = np.array([[1.0, 2.0, np.nan], [3.0, np.nan, np.nan]])
    mean, lo, hi = cmp.mean_band(curves)
    np.testing.assert_allclose(mean[:2], [2.0, 2.0])
    np.testing.assert_allclose(lo[:2], [1.0, 2.0])
    np.testing.assert_allclose(hi[:2], [3.0, 2.0])
    assert np.isnan(mean[2]) and np.isnan(lo[2])


def test_mean_spread_and_texts():
    assert cmp.mean_spread([0.8, 0.9, np.nan]) == pytest.approx((0.85, 0.05))
    assert all(math.isnan(v) for v in cmp.mean_spread([np.nan]))
    assert cmp.threshold_text([None, None]) == "never"
    assert cmp.threshold_text([100, 300, None]) == "200 (2/3 seeds)"
    assert cmp.threshold_text([1000, 3000]) == "2,000"
    assert cmp.status_text(5, 0, 0) == "ok"
    assert cmp.status_text(5, 2, 1) == "diverged: 2 of 5, cost rose: 1 of 5"


def _results():
    return cmp.results_from_arrays(
        ["sigmoid", "tanh"], 2, train_accuracy=[0.6, 0.7, 0.9, 0.8],
        test_accuracy=[0.5, 0.6, 0.85, 0.8], final_cost=[0.5, 0.8, 0.1, 0.2],
        diverged=[False, False, False, True], first_below=[-1, -1, 100, 40],
        dead_units=[0, 0, 1, 3], hidden_units=8, initial_cost=[0.69, 0.69, 0.69, 0.69])


def test_summary_rows():
    rows = cmp.summary_rows(_results(), 0.3)
    assert [r["activation"] for r in rows] == ["sigmoid", "tanh"]
    assert rows[0]["train accuracy"] == pytest.approx(0.65)
    assert rows[0]["± train"] == pytest.approx(0.05)
    assert rows[0]["J < 0.3 at iteration"] == "never"
    assert rows[0]["status"] == "cost rose: 1 of 2"  # 0.8 > 0.69: overshot
    # The diverged tanh seed is left out of every number.
    assert rows[1]["train accuracy"] == pytest.approx(0.9)
    assert math.isnan(rows[1]["± train"]), "one seed left: no spread, not a spread of 0"
    assert rows[1]["J < 0.3 at iteration"] == "100"
    assert rows[1]["dead units"] == "1 of 8"
    assert rows[1]["status"] == "diverged: 1 of 2"


def test_display_rows():
    rows = cmp.display_rows(cmp.summary_rows(_results(), 0.3))
    assert rows[0]["train accuracy"] == "65.0 % ± 5.0"
    assert rows[0]["final cost J"] == "0.650 ± 0.150"
    assert list(rows[0]) == ["activation", "train accuracy", "test accuracy", "final cost J",
                             "J < 0.3 at iteration", "dead units", "status"]
    nan_row = {"activation": "ReLU", "train accuracy": math.nan, "± train": math.nan,
               "test accuracy": math.nan, "± test": math.nan, "final cost J": math.nan,
               "± J": math.nan, "status": "diverged: 2 of 2"}
    assert cmp.display_rows([nan_row])[0]["train accuracy"] == "—"
    # tanh has one seed left (the other diverged): its mean, without a "± 0.0".
    assert rows[1]["train accuracy"] == "90.0 %" and rows[1]["final cost J"] == "0.100"


def test_one_seed_has_no_spread_and_singular_words():
    assert cmp.mean_spread([0.7])[0] == pytest.approx(0.7)
    assert math.isnan(cmp.mean_spread([0.7, np.nan])[1])
    assert cmp.count_text(1, "seed") == "1 seed" and cmp.count_text(5, "seed") == "5 seeds"
    assert cmp.count_text(1200, "network") == "1,200 networks"
    res = cmp.results_from_arrays(
        ["sigmoid", "tanh"], 1, train_accuracy=[0.6, 0.9], test_accuracy=[0.5, 0.85],
        final_cost=[0.5, 0.1], diverged=[False, True], first_below=[-1, 40],
        dead_units=[0, 0], hidden_units=4, initial_cost=[0.69, 0.69])
    rows = cmp.display_rows(cmp.summary_rows(res, 0.3))
    assert rows[0]["train accuracy"] == "60.0 %" and "±" not in rows[0]["final cost J"]
    assert cmp.describe_divergence(res) == "tanh (1 of 1 seed)"
    assert "Mean over" not in cmp.summary_caption(1, 0.3)
    assert "One seed per activation" in cmp.summary_caption(1, 0.3)
    assert cmp.summary_caption(5, 0.3).startswith("Mean over the 5 seeds ± half their range")


def test_describe_problems():
    res = _results()
    assert cmp.describe_divergence(res) == "tanh (1 of 2 seeds)"
    assert cmp.describe_cost_rose(res) == "sigmoid (1 of 2 seeds)"


def test_results_from_arrays_checks_sizes():
    with pytest.raises(ValueError, match="expected 4 networks"):
        cmp.results_from_arrays(["a", "b"], 2, train_accuracy=[1], test_accuracy=[1],
                                final_cost=[1], diverged=[0], first_below=[0],
                                dead_units=[0], hidden_units=1)


def test_needs_log_scale():
    assert not cmp.needs_log_scale([{"y": [0.7, 0.3]}, {"y": [np.nan, np.nan]}])
    assert cmp.needs_log_scale([{"y": [0.7, 4e10, np.nan]}])
    assert not cmp.needs_log_scale([])


def test_linear_network():
    assert cmp.is_linear_network(["linear", "linear"])
    assert not cmp.is_linear_network(["linear", "tanh"])
    assert not cmp.is_linear_network([])


def test_series_from_a_history():
    h = {"iteration": np.array([0, 10]),
         "train_cost": np.array([[0.7, 0.7, 0.7, 0.7], [0.5, 0.3, np.nan, 0.2]]),
         "dW_norms": np.arange(16, dtype=float).reshape(2, 4, 2)}
    series, band = cmp.cost_series(h, ["sigmoid", "tanh"], 2, palette=SERIES_PALETTE)
    np.testing.assert_allclose(series[0]["y"], [0.7, 0.4])
    np.testing.assert_allclose(band[0]["lo"], [0.7, 0.3])
    np.testing.assert_allclose(series[1]["y"], [0.7, 0.2])  # the NaN (diverged) seed is skipped
    assert series[0]["color"] != series[1]["color"]
    lines = cmp.per_layer_series(h, ["sigmoid", "tanh"], 2, "dW_norms", palette=SERIES_PALETTE,
                                 layer_names=["dW[1]", "dW[2]"])
    assert [ln["name"] for ln in lines] == ["sigmoid · dW[1]", "sigmoid · dW[2]",
                                            "tanh · dW[1]", "tanh · dW[2]"]
    np.testing.assert_allclose(lines[0]["y"], [1.0, 9.0])  # mean of W-norms 0, 2 and 8, 10
    only_last = cmp.per_layer_series(h, ["sigmoid"], 2, "dW_norms", palette=SERIES_PALETTE,
                                     layer_names=["dW[1]", "dW[2]"], layers=[2])
    assert [ln["name"] for ln in only_last] == ["sigmoid · dW[2]"]
    assert only_last[0]["dash"] == cmp.LAYER_DASHES[1]
    profiles = cmp.layer_profiles(h, ["sigmoid", "tanh"], 2, palette=SERIES_PALETTE)
    assert [p["name"] for p in profiles] == ["sigmoid · start", "tanh · start",
                                             "sigmoid · end", "tanh · end"]
    np.testing.assert_allclose(profiles[0]["y"], [1.0, 2.0])
    np.testing.assert_allclose(profiles[2]["y"], [9.0, 10.0])


# ---- a real run --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def flower():
    X, Y = make_dataset("flower", 200, None, 0)
    return train_test_split(X, Y, 0.2, 0)


def test_settings_check():
    cmp.CompareSettings().check()
    for bad, match in [({"activations": ()}, "at least one"),
                       ({"activations": ("tanh", "tanh")}, "only once"),
                       ({"iterations": 10}, "iterations"), ({"n_seeds": 0}, "seeds"),
                       ({"alpha": float("nan")}, "α"), ({"hidden_layers": 5}, "hidden layers"),
                       ({"activations": ("banana",)}, "unknown activation")]:
        with pytest.raises(ValueError, match=match):
            cmp.CompareSettings(**bad).check()
    assert cmp.CompareSettings(hidden_layers=3, units=5).architecture == "2 → 5 → 5 → 5 → 1"


def test_run_matches_single_network_training(flower):
    """Each network of a run is the one playground.core.nn trains alone with that seed."""
    s = cmp.CompareSettings(activations=("tanh", "relu"), iterations=100, n_seeds=2,
                            hidden_layers=1, units=4, alpha=1.2)
    run = cmp.run_comparison(s, *flower, dtype=np.float64)
    Xtr, Ytr = flower[0], flower[1]
    for name in s.activations:
        for j, k in enumerate(run.networks_of(name)):
            p = nn.initialize_parameters([2, 4, 1], "xavier", None, seed=j + 1)
            acts = [name, "sigmoid"]
            for _ in range(100):
                AL, caches = nn.forward_propagation(Xtr, p, acts)
                p = nn.update_parameters(p, nn.backward_propagation(AL, Ytr, caches, acts), 1.2)
            got = run.parameters[k]
            np.testing.assert_allclose(got["W1"], p["W1"], rtol=1e-8, atol=1e-10)
    rows = cmp.summary_rows(cmp.run_results(run, 0.5), 0.5)
    assert len(rows) == 2
    for r in rows:
        assert 0 <= r["train accuracy"] <= 1 and 0 <= r["test accuracy"] <= 1


def test_linear_hidden_layers_give_a_straight_boundary(flower):
    """W[3](W[2](W[1]x + b[1]) + b[2]) + b[3] = W'x + b': the logit of the ŷ the page draws
    is an affine function of x, so the boundary ŷ = 0.5 is a straight line."""
    s = cmp.CompareSettings(activations=("linear", "tanh"), iterations=300, n_seeds=1, units=4)
    run = cmp.run_comparison(s, *flower, dtype=np.float64)
    X = np.random.default_rng(0).uniform(-4, 4, size=(2, 400))
    design = np.vstack([X, np.ones((1, X.shape[1]))]).T

    def affine_residual(k):
        P = run.probabilities(X, k)
        z = np.log(P / (1 - P))
        coef, *_ = np.linalg.lstsq(design, z, rcond=None)
        return np.max(np.abs(design @ coef - z)) / np.max(np.abs(z))

    assert affine_residual(0) < 1e-9  # linear: exactly W'x + b'
    assert affine_residual(1) > 1e-2  # tanh: a curved boundary


def test_large_alpha_is_flagged_not_raised(flower):
    s = cmp.CompareSettings(activations=("tanh", "relu"), iterations=100, n_seeds=2,
                            hidden_layers=1, units=4, alpha=10.0)
    run = cmp.run_comparison(s, *flower)
    results = cmp.run_results(run, 0.3)
    assert run.any_diverged or cmp.describe_cost_rose(results)
    rows = cmp.summary_rows(results, 0.3)
    assert any(r["status"] != "ok" for r in rows)


def test_estimated_seconds_grows_with_the_work():
    base = cmp.CompareSettings()
    assert 0 < cmp.estimated_seconds(base) < cmp.SLOW_RUN_SECONDS
    assert cmp.estimated_seconds(base) == pytest.approx(
        2 * cmp.estimated_seconds(cmp.CompareSettings(iterations=1500)))
    everything = cmp.CompareSettings(activations=tuple(ACTIVATIONS), n_seeds=20,
                                     hidden_layers=4, units=16, iterations=10_000)
    assert cmp.estimated_seconds(everything) > cmp.MAX_RUN_SECONDS


def test_first_below_off_the_tracked_thresholds(flower):
    s = cmp.CompareSettings(activations=("tanh",), iterations=200, n_seeds=2, units=4)
    run = cmp.run_comparison(s, *flower)
    exact = run.first_below_at(0.5)
    approx = run.first_below_at(0.5 + 1e-9)  # not tracked: read off the history
    assert exact.shape == approx.shape == (2,)
    assert np.all(approx >= 0) and np.all(np.abs(approx - exact) <= 200 // cmp.HISTORY_POINTS + 1)


def test_progress_callback_reaches_the_end(flower):
    calls = []
    s = cmp.CompareSettings(iterations=100, n_seeds=1, hidden_layers=1, units=2)
    cmp.run_comparison(s, *flower, callback=lambda done, n: calls.append((done, n)))
    assert calls and calls[-1] == (100, 100)


# ---- sentences computed from the run (issue 13, item 9) -----------------------------------


def _history(dW1: list[list[float]], dWL: list[list[float]], its: list[int]) -> dict:
    """A history of one activation: ``dW1[k][seed]``, ``dWL[k][seed]`` at iterations ``its``."""
    a, b = np.array(dW1, dtype=float), np.array(dWL, dtype=float)
    return {"iteration": np.array(its), "dW_norms": np.stack([a, b], axis=2)}


def test_gradient_gaps_read_the_mean_curves_at_start_and_end():
    h = _history([[1.0, 3.0], [4.0, 4.0], [6.0, np.nan]], [[10.0, 30.0], [2.0, 2.0], [3.0, np.nan]],
                 [0, 10, 20])
    (g,) = cmp.gradient_gaps(h, ["sigmoid"], 2)
    assert (g.start, g.end) == (2.0 / 20.0, 6.0 / 3.0)  # means over seeds, NaN left out
    assert (g.start_iteration, g.end_iteration) == (0, 20)
    assert g.smaller_share == pytest.approx(1 / 3)
    text = cmp.gradient_gap_sentence([g], 3)
    assert "sigmoid: 0.1× at iteration 0, 2× at iteration 20; smaller during 33 % of " \
        "training" in text
    assert "‖dW[3]‖" in text


def test_gradient_gap_sentence_says_when_it_holds_throughout_or_never():
    small = cmp.GradientGap("sigmoid", 0.01, 0.5, 0, 100, 1.0)
    large = cmp.GradientGap("relu", 2.0, 3.0, 0, 100, 0.0)
    text = cmp.gradient_gap_sentence([small, large], 4)
    assert "smaller all through training" in text and "never smaller" in text
    assert cmp.gradient_gap_sentence([], 3) == ""


def test_gradient_gaps_skip_an_activation_without_a_defined_ratio():
    h = _history([[np.nan], [np.nan]], [[np.nan], [0.0]], [0, 1])
    assert cmp.gradient_gaps(h, ["relu"], 1) == []


def test_the_gradient_caption_follows_the_run_not_iteration_0(flower):
    """Sigmoid, 2 hidden layers: ‖dW[1]‖ starts far below the last layer's but is the
    larger one for most of training (the caption used to say "far smaller" regardless).
    With 4 hidden layers and a short run it stays smaller: the sentence changes with it."""
    s = cmp.CompareSettings(activations=("sigmoid",), n_seeds=1, iterations=3000)
    run = cmp.run_comparison(s, *flower)
    (g,) = cmp.gradient_gaps(run.history, s.activations, s.n_seeds)
    dW = run.history["dW_norms"][:, 0, :]
    assert g.start == pytest.approx(dW[0, 0] / dW[0, -1], rel=1e-6) and g.start < 1
    assert g.end == pytest.approx(dW[-1, 0] / dW[-1, -1], rel=1e-6) and g.end > 1
    assert g.smaller_share == pytest.approx(np.mean(dW[:, 0] < dW[:, -1]))
    assert g.smaller_share < 0.5
    text = cmp.gradient_gap_sentence([g], run.L)
    assert f"at iteration {int(run.history['iteration'][-1]):,}" in text
    assert "all through training" not in text

    deep = cmp.CompareSettings(activations=("sigmoid",), hidden_layers=4, n_seeds=1,
                               iterations=250)
    run = cmp.run_comparison(deep, *flower)
    (g,) = cmp.gradient_gaps(run.history, deep.activations, deep.n_seeds)
    assert g.end < 1 and g.smaller_share == 1.0
    assert "sigmoid: " in cmp.gradient_gap_sentence([g], run.L)
    assert "smaller all through training" in cmp.gradient_gap_sentence([g], run.L)


def test_fastest_sentence_names_the_run_s_winners(flower):
    s = cmp.CompareSettings(activations=("sigmoid", "tanh"), n_seeds=2, iterations=300)
    run = cmp.run_comparison(s, *flower)
    results = cmp.run_results(run, 0.3)
    text = cmp.fastest_sentence(results, 0.3)
    costs = {r.name: float(np.mean(r.final_cost)) for r in results}
    best = min(costs, key=costs.get)
    assert text.startswith(f"In this run, {ACTIVATIONS[best].label} ended with the lowest "
                           f"cost (J = {costs[best]:.3f})")
    never = cmp.fastest_sentence(cmp.run_results(run, 0.05), 0.05)
    assert "none got below J = 0.05" in never
    assert cmp.fastest_sentence(results[:1], 0.3) == ""
