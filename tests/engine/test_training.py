"""Tests for playground.engine.trainer: the Trainer the pages drive (stepping, resetting, the
bounded history, divergence, live edits, mini-batches, schedules, stop conditions, CSV,
float32, input features) and the flower experiments of docs/notation.md."""

from __future__ import annotations

import csv
import io
import math
import warnings

import numpy as np
import pytest

from playground.core import nn
from playground.core.datasets import make_dataset, train_test_split
from playground.engine.trainer import (
    HISTORY_FIELDS,
    MAX_HISTORY,
    MAX_SNAPSHOTS,
    Trainer,
    learning_rate_at,
    trainer_from_config,
)
from playground.lab.config import Config


@pytest.fixture(scope="module")
def flower():
    return make_dataset("flower")


@pytest.fixture(scope="module")
def split(flower):
    return train_test_split(*flower, test_fraction=0.2, seed=0)


def small_data(m=40, seed=0):
    return make_dataset("blobs", n_samples=m, seed=seed)


def history_equal(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)


# --------------------------------------------------------------------------------------
# step and reset
# --------------------------------------------------------------------------------------


def test_initial_state(split):
    tr = Trainer(*split)
    assert tr.status == "ready" and tr.iteration == 0 and tr.L == 2
    assert tr.layer_dims == [2, 4, 1] and tr.activations == ["tanh", "sigmoid"]
    h = tr.history()
    assert list(h["iteration"]) == [0]
    assert h["train_cost"][0] == pytest.approx(0.6931, abs=1e-3)
    assert len(tr.snapshots) == 1 and tr.snapshots[0][0] == 0
    expected = nn.initialize_parameters([2, 4, 1], "random", None, 1)
    for k in expected:
        np.testing.assert_array_equal(tr.parameters[k], expected[k])


def test_step_trains_and_reset_restores_exactly(split):
    tr = Trainer(*split)
    initial = {k: v.copy() for k, v in tr.parameters.items()}
    assert tr.step(25) == 25
    assert tr.iteration == 25 and tr.status == "training"
    assert not np.array_equal(tr.parameters["W1"], initial["W1"])
    assert tr.metrics().train_cost < tr.history()["train_cost"][0]
    tr.reset()
    assert tr.iteration == 0 and tr.status == "ready"
    for k in initial:
        np.testing.assert_array_equal(tr.parameters[k], initial[k])
    h = tr.history()
    assert list(h["iteration"]) == [0] and len(tr.snapshots) == 1
    # Stepping again from the reset reproduces the first run to the bit.
    first = Trainer(*split)
    first.step(25)
    tr.step(25)
    for k in initial:
        np.testing.assert_array_equal(tr.parameters[k], first.parameters[k])


def test_step_matches_the_plain_functions(split):
    X_train, Y_train = split[0], split[1]
    tr = Trainer(*split, learning_rate=0.7)
    params = nn.initialize_parameters([2, 4, 1], "random", None, 1)
    for _ in range(30):
        AL, caches = nn.forward_propagation(X_train, params, ["tanh", "sigmoid"])
        grads = nn.backward_propagation(AL, Y_train, caches, ["tanh", "sigmoid"])
        params = nn.update_parameters(params, grads, 0.7)
    tr.step(30)
    for k in params:
        np.testing.assert_array_equal(tr.parameters[k], params[k])


@pytest.mark.slow
def test_history_is_bounded_over_50000_iterations():
    X, Y = small_data(20)
    tr = Trainer(X, Y, hidden=(2,), activations=("tanh",), learning_rate=0.5)
    done = tr.step(50_000)
    assert done == 50_000 and tr.iteration == 50_000
    h = tr.history()
    assert 2 <= len(h["iteration"]) <= MAX_HISTORY + 1
    assert np.all(np.diff(h["iteration"]) > 0)
    assert h["iteration"][0] == 0 and h["iteration"][-1] == 50_000
    assert 2 <= len(tr.snapshots) <= MAX_SNAPSHOTS
    its = [s[0] for s in tr.snapshots]
    assert its == sorted(its) and its[0] == 0
    for k in HISTORY_FIELDS:
        assert h[k].shape == h["iteration"].shape
    assert h["dW_norms"].shape == (len(h["iteration"]), 2)
    assert h["symmetry"].shape == h["distinct"].shape == (len(h["iteration"]), 1)


def test_every_iteration_is_recorded_at_first(split):
    tr = Trainer(*split)
    tr.step(MAX_HISTORY - 1)
    assert list(tr.history()["iteration"]) == list(range(MAX_HISTORY))


# --------------------------------------------------------------------------------------
# Divergence
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [
    dict(hidden=(8, 8), activations=("relu", "relu"), init="random", init_scale=10.0),
    dict(hidden=(8, 8), activations=("linear", "linear"), init="random", init_scale=1.0),
])
def test_divergence_stops_and_keeps_the_last_good_parameters(flower, kwargs):
    tr = Trainer(*flower, learning_rate=10.0, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        done = tr.step(2000)
        assert tr.status == "diverged" and tr.diverged
        assert tr.diverged_at is not None and tr.diverged_reason
        assert done == tr.iteration < 2000
        for v in tr.parameters.values():
            assert np.all(np.isfinite(v)) and np.max(np.abs(v)) <= 1e6
        h = tr.history()
        assert h["iteration"][-1] == tr.iteration
        assert np.all(np.isfinite(h["train_cost"]))
        assert all(s[0] <= tr.iteration for s in tr.snapshots)
        before = {k: v.copy() for k, v in tr.parameters.items()}
        assert tr.step(100) == 0  # nothing happens after a divergence
        assert tr.iteration == done
        for k in before:
            np.testing.assert_array_equal(tr.parameters[k], before[k])
        tr.metrics()
    tr.reset()
    assert tr.status == "ready" and tr.step(1) == 1


def test_divergence_after_some_progress_rolls_back_to_a_checked_state(flower):
    # A learning rate that first trains, then blows up once the weights grow.
    tr = Trainer(*flower, hidden=(6,), activations=("linear",), init="random",
                 init_scale=0.01, learning_rate=10.0)
    tr.step(5000)
    assert tr.status == "diverged"
    assert tr.iteration % 8 == 0  # the checks run every 8 iterations
    assert all(np.all(np.isfinite(v)) for v in tr.parameters.values())


def test_huge_hand_set_weight_reads_out_without_warnings(split):
    tr = Trainer(*split)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr.set_parameter("W1", (0, 0), 1e300)
        tr.set_parameter("W2", (0, 0), -1e300)
        m = tr.metrics()
        tr.gradients()
        tr.caches()
        tr.predict_proba(split[0])
        tr.step(20)
    assert math.isfinite(m.train_cost) or math.isinf(m.train_cost)
    assert tr.status == "diverged"


# --------------------------------------------------------------------------------------
# Live edits
# --------------------------------------------------------------------------------------


def test_set_learning_rate_keeps_parameters_and_history(split):
    tr = Trainer(*split)
    tr.step(50)
    h_before = tr.history()
    params = tr.parameters
    tr.set_learning_rate(0.05)
    assert tr.parameters is params
    assert history_equal(tr.history(), h_before)
    tr.step(10)
    h = tr.history()
    assert h["iteration"][-1] == 60 and h["learning_rate"][-1] == 0.05
    assert h["learning_rate"][0] == 1.2
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="learning rate"):
            tr.set_learning_rate(bad)


def test_set_parameter(split):
    tr = Trainer(*split)
    tr.step(10)
    old = tr.parameters["W1"].copy()
    tr.set_parameter("W1", (1, 0), 0.75)
    assert tr.parameters["W1"][1, 0] == 0.75
    changed = tr.parameters["W1"] != old
    assert changed.sum() == 1 and changed[1, 0]
    assert tr.metrics().iteration == 10
    tr.step(5)
    assert tr.iteration == 15 and list(tr.history()["iteration"])[-1] == 15
    for args, msg in [(("W9", (0, 0), 1.0), "no parameter"), (("W1", (9, 0), 1.0), "outside"),
                      (("b1", (0, 0), float("nan")), "finite")]:
        with pytest.raises(ValueError, match=msg):
            tr.set_parameter(*args)


def test_break_symmetry_turns_clones_into_distinct_units(flower):
    tr = Trainer(*flower, hidden=(4,), activations=("tanh",), init="constant")
    tr.step(100)
    assert tr.metrics().distinct == (1,) and tr.metrics().symmetry == (0.0,)
    tr.break_symmetry(1e-3, seed=0)
    after_break = tr.metrics()
    assert after_break.distinct == (4,)
    assert 0 < after_break.symmetry[0] < 1e-2
    tr.step(600)
    assert tr.metrics().distinct == (4,)
    assert tr.metrics().symmetry[0] > 10 * after_break.symmetry[0]


# --------------------------------------------------------------------------------------
# Mini-batches
# --------------------------------------------------------------------------------------


def test_batch_size_m_is_exactly_full_batch(split):
    m = split[0].shape[1]
    runs = [Trainer(*split, batch_size=b) for b in (0, m, m + 50)]
    for tr in runs:
        tr.step(120)
        assert tr.full_batch and tr.batch_size == m
    for tr in runs[1:]:
        assert history_equal(tr.history(), runs[0].history())
        for k in tr.parameters:
            np.testing.assert_array_equal(tr.parameters[k], runs[0].parameters[k])


def test_seeded_shuffles_reproduce_and_cover_every_example(split):
    a = Trainer(*split, batch_size=32)
    b = Trainer(*split, batch_size=32)
    a.step(50)
    b.step(50)
    for k in a.parameters:
        np.testing.assert_array_equal(a.parameters[k], b.parameters[k])
    assert not a.full_batch
    m = a.m
    per_epoch = math.ceil(m / 32)
    for epoch in (0, 1):
        batches = [a._batch_indices(epoch * per_epoch + k) for k in range(per_epoch)]
        assert sorted(np.concatenate(batches).tolist()) == list(range(m))
    e0 = np.concatenate([a._batch_indices(k) for k in range(per_epoch)])
    e1 = np.concatenate([a._batch_indices(per_epoch + k) for k in range(per_epoch)])
    assert not np.array_equal(e0, e1)  # a new shuffle each epoch
    c = Trainer(*split, batch_size=32, weight_seed=2)
    assert not np.array_equal(c._batch_indices(0), a._batch_indices(0))
    full = Trainer(*split)
    full.step(50)
    assert not np.array_equal(full.parameters["W1"], a.parameters["W1"])


def test_epoch_counting():
    X, Y = small_data(40)
    tr = Trainer(X, Y, batch_size=16)  # 3 iterations per epoch: 16, 16, 8
    assert tr.epoch == 0
    tr.step(2)
    assert tr.epoch == pytest.approx(32 / 40)
    tr.step(1)
    assert tr.epoch == 1.0
    tr.step(4)
    assert tr.epoch == pytest.approx(2 + 16 / 40)
    full = Trainer(X, Y)
    full.step(7)
    assert full.epoch == 7.0


def test_bad_batch_and_schedule_settings_raise(split):
    for kwargs in (dict(batch_size=-3), dict(batch_size=2.5), dict(decay_steps=0),
                   dict(decay_rate=float("nan")), dict(schedule="cosine"),
                   dict(learning_rate=-1.0), dict(regularization="L3"), dict(lambd=-1.0),
                   dict(hidden=(4, 4), activations=("tanh",)), dict(activations=("swish",))):
        with pytest.raises(ValueError):
            Trainer(*split, **kwargs)


# --------------------------------------------------------------------------------------
# Learning-rate schedules and stop conditions
# --------------------------------------------------------------------------------------


def test_learning_rate_schedules():
    assert learning_rate_at(0, 1.2) == 1.2 and learning_rate_at(10**6, 1.2) == 1.2
    for t, expected in [(0, 1.0), (999, 1.0), (1000, 0.5), (2500, 0.25), (3000, 0.125)]:
        assert learning_rate_at(t, 1.0, "step", 0.5, 1000) == expected
    for t in (0, 1, 500, 1000, 12345):
        assert learning_rate_at(t, 2.0, "inverse_time", 0.5, 1000) == pytest.approx(
            2.0 / (1 + 0.5 * t / 1000), rel=1e-15)
    ts = np.arange(5)
    np.testing.assert_array_equal(learning_rate_at(ts, 0.3), np.full(5, 0.3))
    with pytest.raises(ValueError, match="unknown schedule"):
        learning_rate_at(0, 1.0, "cosine")


@pytest.mark.parametrize(("schedule", "rate", "steps"), [
    ("step", 0.5, 7), ("step", 0.9, 3), ("inverse_time", 0.7, 5), ("inverse_time", 3.0, 1),
])
def test_trainer_follows_the_schedule_exactly(split, schedule, rate, steps):
    tr = Trainer(*split, schedule=schedule, decay_rate=rate, decay_steps=steps,
                 learning_rate=0.9)
    tr.step(60)
    h = tr.history()
    expected = learning_rate_at(h["iteration"], 0.9, schedule, rate, steps)
    np.testing.assert_array_equal(h["learning_rate"], expected)  # to the last bit
    assert tr.current_learning_rate() == learning_rate_at(60, 0.9, schedule, rate, steps)


def test_stop_iterations():
    tr = Trainer(*small_data(40))
    assert tr.step(100_000, stop_iterations=1234) == 1234
    assert tr.iteration == 1234 and "1,234" in tr.stopped_reason
    assert tr.step(10, stop_iterations=1234) == 0
    assert tr.stopped_reason
    assert tr.step(10) == 10 and tr.stopped_reason == ""


def test_stop_cost(split):
    tr = Trainer(*split)
    done = tr.step(100_000, stop_cost=0.5)
    assert 0 < done < 100_000
    assert "0.5" in tr.stopped_reason
    h = tr.history()
    assert tr.metrics().train_cost < 0.5
    assert np.all(h["train_cost"][:-1] >= 0.5)  # it stopped at the first one below


def test_stop_cost_with_mini_batches(split):
    tr = Trainer(*split, batch_size=64)
    done = tr.step(20_000, stop_cost=0.6)
    assert 0 < done < 20_000 and tr.metrics().train_cost < 0.6 and tr.stopped_reason


# --------------------------------------------------------------------------------------
# Read-outs: history CSV, gradients, dtype, features
# --------------------------------------------------------------------------------------


def test_history_csv_parses(split):
    tr = Trainer(*split, hidden=(4, 3), activations=("tanh", "relu"))
    tr.step(40)
    text = tr.history_csv()
    rows = list(csv.DictReader(io.StringIO(text)))
    h = tr.history()
    assert len(rows) == len(h["iteration"]) == 41
    assert list(rows[0]) == [*HISTORY_FIELDS, "norm_dW1", "norm_dW2", "norm_dW3",
                             "symmetry1", "symmetry2", "distinct_units1", "distinct_units2"]
    for i in (0, 17, 40):
        assert int(rows[i]["iteration"]) == h["iteration"][i]
        assert float(rows[i]["train_cost"]) == h["train_cost"][i]  # repr round-trips
        assert float(rows[i]["norm_dW2"]) == h["dW_norms"][i, 1]
        assert int(rows[i]["distinct_units2"]) == h["distinct"][i, 1]
    assert math.isnan(float(Trainer(*split[:2]).history_csv().splitlines()[1].split(",")[3]))


def test_metrics_agree_with_the_plain_functions(split):
    tr = Trainer(*split, regularization="L2", lambd=0.3)
    tr.step(33)
    m = tr.metrics()
    AL, caches = nn.forward_propagation(tr.X_train, tr.parameters, tr.activations)
    J = nn.compute_cost(AL, tr.Y_train, parameters=tr.parameters, regularization="L2",
                        lambd=0.3)
    assert m.train_cost == pytest.approx(J, rel=1e-10)
    assert m.train_accuracy == nn.accuracy(AL, tr.Y_train)
    ALt, _ = nn.forward_propagation(tr.X_test, tr.parameters, tr.activations)
    assert m.test_accuracy == nn.accuracy(ALt, tr.Y_test)
    grads = tr.gradients()
    assert m.dW_norms[0] == float(np.linalg.norm(grads["dW1"]))


def test_float32_trainer_stays_float32(split):
    tr = Trainer(*split, hidden=(5, 3), activations=("relu", "tanh"), dtype=np.float32,
                 regularization="L2", lambd=0.1, schedule="step", decay_steps=10)
    tr.step(100)
    assert all(v.dtype == np.float32 for v in tr.parameters.values())
    assert all(c.Z.dtype == np.float32 and c.A.dtype == np.float32 for c in tr.caches())
    assert all(v.dtype == np.float32 for v in tr.gradients().values())
    assert tr.predict_proba(split[0]).dtype == np.float32
    tr.break_symmetry()
    assert all(v.dtype == np.float32 for v in tr.parameters.values())
    assert math.isfinite(tr.metrics().train_cost)


def test_features_change_n0_and_solve_circles_with_logistic_regression():
    X, Y = make_dataset("circles", n_samples=300, seed=0)
    plain = Trainer(X, Y, hidden=(), activations=(), learning_rate=1.0)
    squares = Trainer(X, Y, hidden=(), activations=(), learning_rate=1.0,
                      features=("x1", "x2", "x1sq", "x2sq"))
    assert plain.layer_dims == [2, 1] and squares.layer_dims == [4, 1]
    assert squares.parameters["W1"].shape == (1, 4)
    plain.step(3000)
    squares.step(3000)
    assert plain.metrics().train_accuracy < 0.7  # a straight line cannot do it
    assert squares.metrics().train_accuracy > 0.95  # a circle in (x1², x2²) is a line
    P = squares.predict_proba(X)
    assert P.shape == (1, 300)
    assert np.mean((P > 0.5) == (Y > 0.5)) == squares.metrics().train_accuracy


def test_trainer_from_config(split):
    cfg = Config(hidden=(3, 2), activations=("relu", "tanh"), alpha=0.3, init="he",
                 weight_seed=5, batch_size=50)
    tr = trainer_from_config(cfg, *split)
    assert tr.layer_dims == cfg.layer_dims and tr.learning_rate == 0.3
    assert tr.batch_size == 50 and tr.init == "he"
    np.testing.assert_array_equal(
        tr.parameters["W2"], nn.initialize_parameters(cfg.layer_dims, "he", None, 5)["W2"])


# --------------------------------------------------------------------------------------
# The flower experiments of docs/notation.md
# --------------------------------------------------------------------------------------


def test_zero_initialization_on_the_flower_is_the_course_printout(flower):
    tr = Trainer(*flower, hidden=(4,), activations=("tanh",), init="zeros")
    tr.step(1500)
    h = tr.history()
    np.testing.assert_allclose(h["train_cost"], math.log(2), atol=1e-12)  # 0.6931 throughout
    assert np.all(h["train_accuracy"] == 0.5)
    assert all(not tr.parameters[k].any() for k in ("W1", "W2", "b1"))


@pytest.mark.slow
def test_constant_init_reaches_one_units_accuracy_random_init_the_flower(flower):
    results = {}
    for name, kwargs in {"constant": dict(init="constant"),
                         "random": dict(init="random", init_scale=0.01),
                         "one unit": dict(hidden=(1,), init="random", init_scale=0.01)}.items():
        kwargs = {"hidden": (4,), **kwargs}
        tr = Trainer(*flower, activations=("tanh",), learning_rate=1.2, **kwargs)
        tr.step(10_000)
        results[name] = tr.metrics()
    assert 0.6 <= results["constant"].train_accuracy <= 0.72
    assert results["constant"].distinct == (1,)
    assert abs(results["constant"].train_accuracy - results["one unit"].train_accuracy) < 0.03
    assert results["random"].train_accuracy >= 0.87
    assert results["random"].distinct == (4,)


# --------------------------------------------------------------------------------------
# The recorded rows: computed together, the same as one by one
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kwargs", [
    dict(),
    dict(hidden=(8, 8), activations=("relu", "relu"), init="he", regularization="L2",
         lambd=0.5, schedule="step", decay_steps=7),
    dict(hidden=(3, 1, 5), activations=("tanh", "elu", "sigmoid"), batch_size=17),
    dict(hidden=(4, 4), activations=("tanh", "tanh"), init="constant"),
])
def test_rows_of_many_states_are_the_rows_of_each(split, kwargs, dtype):
    from playground.engine.trainer import _frobenius, _frobenius_stack

    tr = Trainer(*split, dtype=dtype, **kwargs)
    states = []
    with np.errstate(all="ignore"):
        for _ in range(9):
            states.append(tr._state(tr.parameters))
            tr.step(3)
        together = tr._rows_of(states)
        alone = [tr._rows_of([s])[0] for s in states]
        norms = _frobenius_stack([s[4][0] for s in states])
    assert np.array(together).tobytes() == np.array(alone).tobytes()
    assert [r[0] for r in together] == [3 * i for i in range(9)]
    assert norms == [_frobenius(s[4][0]) for s in states]
    assert np.array(norms).tobytes() == np.array(
        [float(np.linalg.norm(s[4][0])) for s in states]).tobytes()


def test_history_arrays_are_fresh_contiguous_copies(split):
    tr = Trainer(*split, hidden=(3, 2), activations=("tanh", "relu"))
    tr.step(20)
    h = tr.history()
    for v in h.values():
        assert v.flags.c_contiguous
    h["train_cost"][:] = 0
    h["dW_norms"][:] = 0
    again = tr.history()
    assert again["train_cost"].min() > 0 and again["dW_norms"].min() > 0
    assert h["dW_norms"].shape == (21, 3) and h["distinct"].shape == (21, 2)
    assert h["distinct"].dtype == np.int64 and h["iteration"].dtype == np.int64


def test_an_interrupted_step_still_computes_its_rows(split, monkeypatch):
    tr = Trainer(*split)
    calls = {"n": 0}
    real = Trainer._check

    def check(self, params):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(self, params)

    monkeypatch.setattr(Trainer, "_check", check)
    with pytest.raises(KeyboardInterrupt):
        tr.step(100)
    h = tr.history()  # the rows recorded before the interruption, computed
    assert list(h["iteration"]) == list(range(24))
    assert np.isfinite(h["train_cost"]).all()
