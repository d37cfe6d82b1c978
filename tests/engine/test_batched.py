"""Tests for playground.engine.stacked: many networks trained together give the numbers that
playground.core.nn and Trainer give each of them alone."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest

from playground.core import diagnostics, nn
from playground.core.datasets import make_dataset, train_test_split
from playground.engine.stacked import BatchedTrainer
from playground.engine.trainer import CHECK_EVERY, PARAM_LIMIT, Trainer

RTOL = 1e-10
ATOL = 1e-13
MIXED = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def flower():
    X, Y = make_dataset("flower", 200, seed=0)
    return train_test_split(X, Y, 0.25, seed=0)


def solo_run(X, Y, hidden, acts, seed, alpha, iterations, init="random", scale=None,
             dtype=np.float64):
    """The plain playground.core.nn loop (forward, backward, update), stopping like the
    batched trainer: parameters after t updates, or, if the t-th update made them bad,
    the ones before it and t."""
    dims = [X.shape[0], *hidden, 1]
    activations = [*acts, nn.OUTPUT_ACTIVATION]
    params = nn.initialize_parameters(dims, init, scale, seed, dtype)
    for t in range(1, iterations + 1):
        AL, caches = nn.forward_propagation(X, params, activations)
        grads = nn.backward_propagation(AL, Y, caches, activations)
        new = nn.update_parameters(params, grads, alpha)
        with np.errstate(all="ignore"):
            big = max(float(np.max(np.abs(v))) for v in new.values())
        if not big <= PARAM_LIMIT:
            return params, t
        params = new
    return params, None


def assert_params_close(got, want, rtol=RTOL, atol=ATOL):
    assert got.keys() == want.keys()
    for k in want:
        assert got[k].shape == want[k].shape, k
        np.testing.assert_allclose(got[k], want[k], rtol=rtol, atol=atol, err_msg=k)


# --------------------------------------------------------------------------------------
# Construction
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("init", ["random", "xavier", "he", "constant", "zeros"])
@pytest.mark.parametrize("hidden", [(4,), (5, 3)])
def test_initial_parameters_are_nn_initialize_parameters(flower, init, hidden):
    Xtr, Ytr, Xte, Yte = flower
    bt = BatchedTrainer.grid(Xtr, Ytr, Xte, Yte, hidden=hidden, activations=MIXED,
                             seeds=[0, 3, 11], init=init)
    assert bt.S == 15
    dims = [2, *hidden, 1]
    for s in range(bt.S):
        want = nn.initialize_parameters(dims, init, None, bt.seed_of[s], np.float64)
        got = bt.network_parameters(s)
        assert got.keys() == want.keys()
        for k in want:
            assert got[k].dtype == np.float64
            np.testing.assert_array_equal(got[k], want[k])
        assert_params_close(bt.initial_parameters(s), want, rtol=0, atol=0)
    stacked = bt.parameters
    assert stacked["W1"].shape == (15, hidden[0], 2)
    assert stacked[f"b{len(hidden) + 1}"].shape == (15, 1, 1)


def test_grid_labels_and_indices(flower):
    Xtr, Ytr, _, _ = flower
    bt = BatchedTrainer.grid(Xtr, Ytr, hidden=(3, 3), activations=("sigmoid", "relu"),
                             seeds=2)
    assert bt.seed_of == [1, 2, 1, 2]  # a count n means seeds 1..n
    assert bt.activation_of == ["sigmoid", "sigmoid", "relu", "relu"]
    assert bt.activations_of[2] == ("relu", "relu")
    assert bt.labels == ["sigmoid · seed 1", "sigmoid · seed 2", "ReLU · seed 1",
                         "ReLU · seed 2"]
    assert bt.groups() == {"sigmoid": [0, 1], "relu": [2, 3]}
    assert bt.network_activations(3) == ["relu", "relu", "sigmoid"]
    mixed = BatchedTrainer(Xtr, Ytr, hidden=(3, 3), activations_list=[("tanh", "relu")],
                           seeds=[5])
    assert mixed.activation_of == ["tanh/relu"] and mixed.labels == ["tanh/ReLU · seed 5"]


@pytest.mark.parametrize("kwargs, message", [
    ({"activations_list": ["tanh", "relu"], "seeds": [1]}, "one seed per network"),
    ({"activations_list": [("tanh", "tanh")], "seeds": [1]}, "2 activations given for 1"),
    ({"activations_list": ["swish"], "seeds": [1]}, "unknown activation"),
    ({"activations_list": [], "seeds": []}, "at least one network"),
    ({"activations_list": ["tanh"], "seeds": [1], "learning_rate": 0.0}, "positive"),
    ({"activations_list": ["tanh"], "seeds": [1], "learning_rate": [1.0, 2.0]},
     "or one per network"),
])
def test_invalid_arguments(flower, kwargs, message):
    Xtr, Ytr, _, _ = flower
    with pytest.raises(ValueError, match=message):
        BatchedTrainer(Xtr, Ytr, hidden=(4,), **kwargs)


# --------------------------------------------------------------------------------------
# Batched = one by one
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("hidden", [(4,), (5, 3)])
def test_same_numbers_as_training_each_network_alone(flower, hidden):
    Xtr, Ytr, Xte, Yte = flower
    # The mixed activations, plus two without an in-place version (the generic path).
    acts = (*MIXED, "elu", "gelu")
    seeds = [1, 2, 7]
    bt = BatchedTrainer.grid(Xtr, Ytr, Xte, Yte, hidden=hidden, activations=acts,
                             seeds=seeds, learning_rate=0.5)
    assert bt.step(120) == 120
    assert bt.step(80) == 80
    assert bt.iteration == 200 and not bt.diverged.any()
    h = bt.history()
    for s in range(bt.S):
        acts_s = bt.activations_of[s]
        want, bad = solo_run(Xtr, Ytr, hidden, acts_s, bt.seed_of[s], 0.5, 200)
        assert bad is None
        assert_params_close(bt.network_parameters(s), want)
        # Trainer, stepped the same way, records the same history.
        tr = Trainer(Xtr, Ytr, Xte, Yte, hidden=hidden, activations=acts_s,
                     weight_seed=bt.seed_of[s], learning_rate=0.5)
        tr.step(120)
        tr.step(80)
        assert_params_close(bt.network_parameters(s), tr.parameters)
        th = tr.history()
        np.testing.assert_array_equal(h["iteration"], th["iteration"])
        for key in ("train_cost", "test_cost", "train_accuracy", "test_accuracy"):
            np.testing.assert_allclose(h[key][:, s], th[key], rtol=RTOL, atol=ATOL,
                                       err_msg=f"{bt.labels[s]}: {key}")
        np.testing.assert_allclose(h["dW_norms"][:, s], th["dW_norms"], rtol=1e-9, atol=ATOL)


@pytest.mark.parametrize("order", ["C", "F"])
def test_no_hidden_layer_is_logistic_regression_and_layouts_are_kept(flower, order):
    Xtr, Ytr, Xte, Yte = flower
    # BLAS rounds differently for a transposed X when n[l] = 1: the trainer must use X
    # as given, like Trainer, to reproduce it.
    X = np.asarray(Xtr, order=order)
    bt = BatchedTrainer(X, Ytr, Xte, Yte, hidden=(), activations_list=[(), ()],
                        seeds=[1, 2], learning_rate=1.2)
    assert bt.labels == ["no hidden layer · seed 1", "no hidden layer · seed 2"]
    bt.step(100)
    h = bt.history()
    assert h["saturation"].shape == (len(h["iteration"]), 2, 0)
    for s, seed in enumerate((1, 2)):
        tr = Trainer(X, Ytr, Xte, Yte, hidden=(), activations=(), weight_seed=seed)
        tr.step(100)
        assert_params_close(bt.network_parameters(s), tr.parameters)
        np.testing.assert_allclose(h["train_cost"][:, s], tr.history()["train_cost"],
                                   rtol=RTOL, atol=ATOL)


def test_networks_with_different_activations_per_layer_in_any_order(flower):
    Xtr, Ytr, Xte, Yte = flower
    # Not grouped in the order given: the trainer groups internally, the read-outs use
    # the caller's indices.
    acts = [("relu", "tanh"), ("tanh", "relu"), ("relu", "relu"), ("sigmoid", "tanh"),
            ("tanh", "tanh"), ("relu", "tanh"), ("linear", "leaky_relu")]
    seeds = [3, 1, 4, 1, 5, 9, 2]
    bt = BatchedTrainer(Xtr, Ytr, Xte, Yte, hidden=(6, 4), activations_list=acts,
                        seeds=seeds, learning_rate=0.3)
    bt.step(150)
    h = bt.history()
    for s, (a, seed) in enumerate(zip(acts, seeds, strict=True)):
        want, _ = solo_run(Xtr, Ytr, (6, 4), a, seed, 0.3, 150)
        assert_params_close(bt.network_parameters(s), want)
        p0 = nn.initialize_parameters([2, 6, 4, 1], "random", None, seed)
        AL, caches = nn.forward_propagation(Xtr, p0, [*a, "sigmoid"])
        assert h["train_cost"][0, s] == pytest.approx(nn.cost_from_logits(caches[-1].Z, Ytr),
                                                      rel=1e-12)


@pytest.mark.parametrize("init", ["constant", "zeros"])
@pytest.mark.parametrize("hidden", [(5,), (6, 3)])
def test_clone_units_stay_clones_as_in_nn(flower, init, hidden):
    # Zeros or constant initialization: every hidden unit of a layer is a clone, and
    # playground.core.nn keeps them bit-equal for ever (BLAS alone would round the rows after a
    # multiple of 4 differently, and the clones would drift apart). So must the batch.
    Xtr, Ytr, Xte, Yte = flower
    bt = BatchedTrainer.grid(Xtr, Ytr, Xte, Yte, hidden=hidden, activations=(*MIXED, "elu"),
                             seeds=[1], init=init, learning_rate=0.3)
    bt.step(300)
    assert not bt.diverged.any()
    h = bt.history()
    for s in range(bt.S):
        p = bt.network_parameters(s)
        assert [d for _, d in diagnostics.hidden_layer_symmetry(p)] == [1] * len(hidden)
        tr = Trainer(Xtr, Ytr, Xte, Yte, hidden=hidden, activations=bt.activations_of[s],
                     init=init, learning_rate=0.3)
        tr.step(300)
        assert_params_close(p, tr.parameters)
        np.testing.assert_allclose(h["test_cost"][:, s], tr.history()["test_cost"],
                                   rtol=RTOL, atol=ATOL)


def test_per_network_learning_rates(flower):
    Xtr, Ytr, _, _ = flower
    alphas = [0.1, 0.5, 1.2, 2.0]
    bt = BatchedTrainer(Xtr, Ytr, hidden=(4,), activations_list=["tanh"] * 4,
                        seeds=[1] * 4, learning_rate=alphas)
    bt.step(100)
    for s, alpha in enumerate(alphas):
        want, _ = solo_run(Xtr, Ytr, (4,), ("tanh",), 1, alpha, 100)
        assert_params_close(bt.network_parameters(s), want)


def test_saturation_and_dead_units_match_diagnostics(flower):
    Xtr, Ytr, _, _ = flower
    # Large initial weights: saturated sigmoid/tanh units and some dead ReLUs.
    bt = BatchedTrainer.grid(Xtr, Ytr, hidden=(6, 5), activations=MIXED, seeds=[1, 2],
                             init="random", init_scale=3.0, learning_rate=0.05)
    bt.step(30)
    assert not bt.diverged.any()
    h = bt.history()
    assert h["saturation"].shape == (len(h["iteration"]), bt.S, 2)
    assert h["dead_units"].shape == (len(h["iteration"]), bt.S, 2)
    for s in range(bt.S):
        acts = bt.network_activations(s)
        _, caches = nn.forward_propagation(Xtr, bt.network_parameters(s), acts)
        for l in (1, 2):
            Z = caches[l - 1].Z
            assert h["saturation"][-1, s, l - 1] == pytest.approx(
                diagnostics.saturation_fraction(Z, acts[l - 1]), abs=1e-12)
            assert h["dead_units"][-1, s, l - 1] == diagnostics.dead_units(Z, acts[l - 1])
    relus = [s for s in range(bt.S) if bt.activation_of[s] == "relu"]
    linears = [s for s in range(bt.S) if bt.activation_of[s] == "linear"]
    assert np.all(h["saturation"][:, linears] == 0)
    assert np.any(h["saturation"][:, relus] > 0)
    assert np.any(h["dead_units"][:, relus] > 0)


def test_probabilities_match_nn_forward(flower):
    Xtr, Ytr, _, _ = flower
    bt = BatchedTrainer.grid(Xtr, Ytr, hidden=(4,), activations=MIXED, seeds=[1, 2])
    bt.step(50)
    grid = diagnostics.make_grid(Xtr, resolution=20, dtype=np.float64)
    P = bt.probabilities(grid.X)
    assert P.shape == (bt.S, 400)
    for s in range(bt.S):
        want = diagnostics.probability_grid(grid, bt.network_parameters(s),
                                            bt.network_activations(s))
        np.testing.assert_allclose(P[s].reshape(grid.shape), want, rtol=RTOL, atol=ATOL)


# --------------------------------------------------------------------------------------
# Divergence
# --------------------------------------------------------------------------------------


def test_diverging_networks_are_frozen_and_the_others_go_on(flower):
    Xtr, Ytr, Xte, Yte = flower
    # α = 20 is too large for ReLU, leaky ReLU and linear hidden units on this data,
    # fine for sigmoid and tanh: three networks diverge, at different iterations.
    alpha, n = 20.0, 150
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not one RuntimeWarning
        bt = BatchedTrainer.grid(Xtr, Ytr, Xte, Yte, hidden=(4,), activations=MIXED,
                                 seeds=[1], learning_rate=alpha)
        assert bt.step(60) == 60
        assert bt.step(n - 60) == n - 60
        h = bt.history()
        bt.probabilities(Xte)
    assert list(bt.diverged) == [False, False, True, True, True]
    assert bt.n_active == 2
    for s in range(bt.S):
        want, bad = solo_run(Xtr, Ytr, (4,), bt.activations_of[s], 1, alpha, n)
        assert_params_close(bt.network_parameters(s), want)
        if bad is None:
            assert bt.diverged_at[s] == -1 and bt.diverged_reason[s] == ""
            assert bt.iterations[s] == n
            assert not np.isnan(h["train_cost"][:, s]).any()
        else:
            assert bt.diverged_at[s] == bad
            assert bt.iterations[s] == bad - 1
            assert "W" in bt.diverged_reason[s] or "b" in bt.diverged_reason[s]
            assert all(np.isfinite(v).all() and np.abs(v).max() <= PARAM_LIMIT
                       for v in bt.network_parameters(s).values())
            # The history stops at the last good state.
            rows = h["iteration"] <= bad - 1
            assert not np.isnan(h["train_cost"][rows, s]).any()
            assert np.isnan(h["train_cost"][~rows, s]).all()
            # Trainer, which checks every CHECK_EVERY iterations, sees it too.
            tr = Trainer(Xtr, Ytr, hidden=(4,), activations=bt.activations_of[s],
                         weight_seed=1, learning_rate=alpha)
            tr.step(n)
            assert tr.diverged and bad <= tr.diverged_at < bad + CHECK_EVERY
    # The survivors match Trainer's history too (computed after others were dropped).
    for s in (0, 1):
        tr = Trainer(Xtr, Ytr, Xte, Yte, hidden=(4,), activations=bt.activations_of[s],
                     weight_seed=1, learning_rate=alpha)
        tr.step(60)
        tr.step(n - 60)
        np.testing.assert_allclose(h["train_cost"][:, s], tr.history()["train_cost"],
                                   rtol=RTOL, atol=ATOL)


def test_one_huge_learning_rate_diverges_alone(flower):
    Xtr, Ytr, _, _ = flower
    alphas = [1.0, 1e4, 1.0, 1.0]
    bt = BatchedTrainer(Xtr, Ytr, hidden=(4, 4), activations_list=["relu"] * 4,
                        seeds=[1, 1, 2, 3], learning_rate=alphas)
    bt.step(80)
    assert list(bt.diverged) == [False, True, False, False]
    for s, alpha in enumerate(alphas):
        want, _ = solo_run(Xtr, Ytr, (4, 4), ("relu", "relu"), bt.seed_of[s], alpha, 80)
        assert_params_close(bt.network_parameters(s), want)


def test_all_diverged_stops(flower):
    Xtr, Ytr, _, _ = flower
    bt = BatchedTrainer(Xtr, Ytr, hidden=(4,), activations_list=["linear", "relu"],
                        seeds=[1, 2], learning_rate=1e3)
    done = bt.step(500)
    assert bt.diverged.all() and bt.n_active == 0
    assert done == bt.iteration == max(bt.diverged_at)
    assert bt.step(10) == 0
    assert np.isnan(bt.probabilities(Xtr)).sum() == 0


def test_final_metrics_are_each_networks_last_recorded_state(flower):
    Xtr, Ytr, Xte, Yte = flower
    bt = BatchedTrainer.grid(Xtr, Ytr, Xte, Yte, hidden=(4,), activations=("tanh", "linear"),
                             seeds=[1], learning_rate=20.0)
    bt.step(100)
    assert list(bt.diverged) == [False, True]
    h, fm = bt.history(), bt.final_metrics()
    assert fm["train_cost"][0] == h["train_cost"][-1, 0]
    last = np.flatnonzero(~np.isnan(h["train_cost"][:, 1]))[-1]
    assert fm["train_cost"][1] == h["train_cost"][last, 1]
    assert fm["dW_norms"].shape == (2, 2) and fm["saturation"].shape == (2, 1)
    assert not np.isnan(fm["test_accuracy"]).any()


# --------------------------------------------------------------------------------------
# Read-outs: first_below, history, progress
# --------------------------------------------------------------------------------------


def test_first_below_is_exact_for_tracked_thresholds(flower):
    Xtr, Ytr, _, _ = flower
    thresholds = (0.6, 0.45, 0.3)
    bt = BatchedTrainer.grid(Xtr, Ytr, hidden=(4,), activations=("sigmoid", "tanh", "relu"),
                             seeds=[1, 2], learning_rate=1.2, record_every=50,
                             thresholds=thresholds)
    bt.step(700)
    for thr in thresholds:
        first = bt.first_below(thr)
        assert first.shape == (bt.S,) and first.dtype == np.int64
        for s in range(bt.S):
            tr = Trainer(Xtr, Ytr, hidden=(4,), activations=bt.activations_of[s],
                         weight_seed=bt.seed_of[s], learning_rate=1.2)
            tr.step(700, stop_cost=thr)  # stops at the first iteration below thr
            if tr.stopped_reason:
                assert first[s] == tr.iteration, (thr, bt.labels[s])
            else:
                assert first[s] == -1
            # From the history (stride 50): the first recorded iteration below.
            approx = bt.first_below(thr + 1e-12)
            if first[s] >= 0:
                assert first[s] <= approx[s] < first[s] + bt.stride
    assert np.sum(bt.first_below(0.3) >= 0) >= 2  # the ReLUs get there
    assert np.all(bt.first_below(1e-9) == -1)  # never


def test_history_is_bounded(flower):
    Xtr, Ytr, _, _ = flower
    bt = BatchedTrainer.grid(Xtr, Ytr, hidden=(3,), activations=("tanh", "relu"),
                             seeds=[1], max_history=40, record_every=2)
    for n in (7, 100, 333, 1000):
        bt.step(n)
        h = bt.history()
        k = len(h["iteration"])
        assert k <= 40
        assert h["iteration"][-1] == bt.iteration  # ends at the current state
        assert np.all(np.diff(h["iteration"]) > 0)
        assert h["train_cost"].shape == (k, 2) and h["dW_norms"].shape == (k, 2, 2)
        assert h["saturation"].shape == (k, 2, 1) and h["dead_units"].shape == (k, 2, 1)
        assert np.isnan(h["test_cost"]).all()  # no test set
    assert bt.stride * 40 >= bt.iteration
    # Thinned like Trainer's: multiples of the stride, plus rows that were the latest
    # when they were kept.
    assert np.mean(h["iteration"] % bt.stride == 0) > 0.8


def test_progress_callback(flower):
    Xtr, Ytr, _, _ = flower
    bt = BatchedTrainer.grid(Xtr, Ytr, hidden=(3,), activations=("tanh",), seeds=[1])
    calls = []
    bt.step(95, callback=lambda done, n: calls.append((done, n)), every=20)
    assert calls == [(20, 95), (40, 95), (60, 95), (80, 95), (95, 95)]


def test_reset_returns_to_the_start(flower):
    Xtr, Ytr, _, _ = flower
    bt = BatchedTrainer.grid(Xtr, Ytr, hidden=(4,), activations=("linear", "tanh"),
                             seeds=[1], learning_rate=20.0)
    first = bt.history()
    bt.step(100)
    assert bt.diverged[0]
    bt.reset()
    assert bt.iteration == 0 and not bt.diverged.any() and bt.n_active == 2
    again = bt.history()
    for k in first:
        np.testing.assert_array_equal(first[k], again[k])
    bt.step(100)
    assert bt.diverged[0]


# --------------------------------------------------------------------------------------
# dtype
# --------------------------------------------------------------------------------------


def test_float32_stays_float32(flower):
    Xtr, Ytr, Xte, Yte = flower
    X32, Y32 = Xtr.astype(np.float32), Ytr.astype(np.float32)
    bt = BatchedTrainer.grid(X32, Y32, Xte.astype(np.float32), Yte.astype(np.float32),
                             hidden=(4, 3), activations=MIXED, seeds=[1, 2],
                             learning_rate=0.5)
    assert bt.dtype == np.float32
    bt.step(100)
    for s in range(bt.S):
        p = bt.network_parameters(s)
        assert all(v.dtype == np.float32 for v in p.values())
        tr = Trainer(Xtr, Ytr, hidden=(4, 3), activations=bt.activations_of[s],
                     weight_seed=bt.seed_of[s], learning_rate=0.5, dtype=np.float32)
        tr.step(100)
        assert_params_close(p, tr.parameters, rtol=1e-5, atol=1e-6)
    for buf in (*bt._Z[1:], *bt._A[1:], *bt._D[1:], *bt._theta, bt._grad):
        assert buf.dtype == np.float32
    assert bt.probabilities(X32).dtype == np.float32
    # An explicit dtype wins over the inputs'.
    bt64 = BatchedTrainer.grid(X32, Y32, hidden=(4,), seeds=[1], dtype=np.float64)
    assert bt64.network_parameters(0)["W1"].dtype == np.float64


# --------------------------------------------------------------------------------------
# The lecture's point: linear hidden units collapse to logistic regression
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("hidden", [(4,), (5, 3)])
def test_linear_network_is_logistic_regression(flower, hidden):
    Xtr, Ytr, _, _ = flower
    bt = BatchedTrainer.grid(Xtr, Ytr, hidden=hidden, activations=("linear", "tanh"),
                             seeds=[1], learning_rate=0.5, init="xavier")
    bt.step(300)
    grid = diagnostics.make_grid(Xtr, resolution=40, dtype=np.float64)
    P = bt.probabilities(grid.X)
    # W' = W[L]···W[1], b' = W[L](···(W[2] b[1] + b[2])···) + b[L]: ŷ = σ(W'x + b').
    p = bt.network_parameters(0)
    Wp, bp = p["W1"], p["b1"]
    for l in range(2, len(hidden) + 2):
        Wp, bp = p[f"W{l}"] @ Wp, p[f"W{l}"] @ bp + p[f"b{l}"]
    z = Wp @ grid.X + bp
    np.testing.assert_allclose(P[0], nn.sigmoid(z)[0], rtol=1e-9, atol=1e-12)
    # Its boundary is the straight line W'x + b' = 0 ...
    far = np.abs(z[0]) > 1e-9
    np.testing.assert_array_equal((P[0] > 0.5)[far], (z[0] > 0)[far])
    # ... which the tanh network's is not: no line separates its two predicted regions.
    from sklearn.linear_model import LogisticRegression

    labels = (P[1] > 0.5).astype(int)
    assert 0 < labels.mean() < 1
    fit = LogisticRegression(C=1e6, max_iter=5000).fit(grid.X.T, labels)
    assert fit.score(grid.X.T, labels) < 0.97
    fit_linear = LogisticRegression(C=1e6, max_iter=5000).fit(grid.X.T, (P[0] > 0.5))
    assert fit_linear.score(grid.X.T, (P[0] > 0.5)) > 0.995


# --------------------------------------------------------------------------------------
# The benchmark script
# --------------------------------------------------------------------------------------


def test_benchmark_imports_without_running_and_compares_like_with_like():
    spec = importlib.util.spec_from_file_location(
        "bench_batched", ROOT / "benchmarks" / "bench_batched.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)  # defines functions, runs nothing
    X, Y = bench.problem(60)
    (cpu, wall), bt = bench.run_batched(X, Y, seeds=[1, 2], iterations=15)
    assert cpu >= 0 and wall >= 0
    for checked in (True, False):
        _, finals = bench.run_sequential(X, Y, seeds=[1, 2], iterations=15, checked=checked)
        assert bench.max_difference(bt, finals) <= 1e-12
    table = bench.table({"a": [(1.0, 2.0)], "b": [(2.0, 3.0)]}, 10)
    assert "2.00" in table and "1.50" in table


def test_a_leaky_relu_is_never_counted_saturated(flower):
    Xtr, Ytr, _, _ = flower
    bt = BatchedTrainer.grid(Xtr, Ytr, hidden=(6,), activations=("leaky_relu", "relu"),
                             seeds=[1], init="random", init_scale=3.0, learning_rate=0.05)
    bt.step(5)
    h = bt.history()
    sat = {bt.activation_of[s]: h["saturation"][-1, s, 0] for s in range(bt.S)}
    assert sat["leaky_relu"] == 0.0
    assert sat["relu"] > 0.1  # the off side of big random ReLUs
