"""Settings changed while training (issue 13 item 5): the Trainer takes α, the
regularization, λ, the schedule and the batch size from its next iteration on, keeps its
parameters and history, and counts epochs across a change of batch size. Plus the config's
reset bookkeeping: what needs new initial weights, and the scale of each initialization."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core import nn
from playground.core.datasets import make_dataset, train_test_split
from playground.engine.trainer import Trainer, learning_rate_at
from playground.lab import config as C
from playground.lab.config import Config


@pytest.fixture(scope="module")
def data():
    X, Y = make_dataset("flower", 200, None, 0)
    return train_test_split(X, Y, 0.2, 0)


def trainer(data, **kw) -> Trainer:
    return Trainer(*data, hidden=(4,), activations=("tanh",), **kw)


def test_regularization_applies_from_the_next_iteration(data):
    t = trainer(data)
    t.step(50)
    before = {k: v.copy() for k, v in t.parameters.items()}
    t.set_regularization("L2", 0.7)
    assert t.iteration == 50 and len(t.history()["iteration"])  # nothing reset
    t.step(1)
    # The reference: one step of the course's gradient descent with L2 on those weights.
    AL, caches = nn.forward_propagation(t.X_train, before, t.activations)
    grads = nn.backward_propagation(AL, t.Y_train, caches, t.activations,
                                    regularization="L2", lambd=0.7)
    expect = nn.update_parameters(before, grads, t.learning_rate)
    for k in before:
        np.testing.assert_allclose(t.parameters[k], expect[k], rtol=1e-12, atol=1e-15)
    h = t.history()
    assert list(h["iteration"][:3]) == [0, 1, 2] and h["iteration"][-1] == 51
    cost = nn.compute_cost(nn.forward_propagation(t.X_train, t.parameters, t.activations)[0],
                           t.Y_train, parameters=t.parameters, regularization="L2",
                           lambd=0.7)
    assert h["train_cost"][-1] == pytest.approx(cost, rel=1e-12)


def test_bad_settings_raise_and_change_nothing(data):
    t = trainer(data)
    with pytest.raises(ValueError):
        t.set_regularization("L3", 0.1)
    with pytest.raises(ValueError):
        t.set_schedule("step", -1.0, 10)
    with pytest.raises(ValueError):
        t.set_batch_size(-5)
    assert (t.regularization, t.schedule, t.batch_size) == ("none", "constant", t.m)


def test_schedule_applies_as_if_on_from_the_start(data):
    t = trainer(data, learning_rate=1.0)
    t.step(30)
    t.set_schedule("step", 0.5, 10)
    assert t.current_learning_rate() == learning_rate_at(30, 1.0, "step", 0.5, 10) == 0.125
    t.step(5)
    assert t.history()["learning_rate"][-1] == learning_rate_at(35, 1.0, "step", 0.5, 10)


def test_batch_size_change_keeps_counting_epochs(data):
    t = trainer(data, batch_size=32)
    m = t.m
    per_epoch = -(-m // 32)
    t.step(per_epoch + 2)
    epoch_before = t.epoch
    assert epoch_before == pytest.approx(1 + 2 * 32 / m)
    t.set_batch_size(64)
    assert t.epoch == epoch_before and t.iteration == per_epoch + 2
    # A new epoch starts at the change: every example once in the next ⌈m/64⌉ batches.
    seen = np.concatenate([t._batch_indices(t.iteration + k) for k in range(-(-m // 64))])
    assert sorted(seen.tolist()) == list(range(m))
    t.step(-(-m // 64))
    assert t.epoch == pytest.approx(epoch_before + 1)
    t.set_batch_size(0)  # full batch: one epoch per iteration
    assert t.full_batch
    t.step(3)
    assert t.epoch == pytest.approx(epoch_before + 4)


def test_reset_after_changes_is_a_fresh_trainer_with_those_settings(data):
    t = trainer(data, batch_size=16)
    t.step(40)
    t.set_batch_size(50)
    t.set_regularization("L1", 0.2)
    t.set_schedule("inverse_time", 1.0, 100)
    t.reset()
    t.step(25)
    fresh = trainer(data, batch_size=50, regularization="L1", lambd=0.2,
                    schedule="inverse_time", decay_rate=1.0, decay_steps=100)
    fresh.step(25)
    for k in fresh.parameters:
        np.testing.assert_array_equal(t.parameters[k], fresh.parameters[k])
    assert t.epoch == fresh.epoch


# ---- config: what needs a reset, and each initialization's scale ---------------------------

def test_only_data_and_initial_weights_need_a_reset():
    a = Config()
    for f in C.LIVE_FIELDS:
        b = a.replace(**{f: {"alpha": 0.3, "regularization": "L2", "lambd": 0.4,
                             "batch_size": 32, "schedule": "step", "decay_rate": 0.9,
                             "decay_steps": 50, "stop_iterations": 500,
                             "stop_cost": 0.1}[f]})
        assert C.reset_changes(a, b) == [] and C.live_changes(a, b) == [f]
        assert b.network_key() == a.network_key() and b.data_key() == a.data_key()
    assert C.reset_changes(a, a.replace(weight_seed=9)) == ["weight_seed"]
    assert C.reset_changes(a, a.replace(noise=0.4)) == ["noise"]


def test_the_scale_counts_only_where_the_initialization_uses_it():
    x1, x2 = Config(init="xavier", init_scale=0.01), Config(init="xavier", init_scale=0.5)
    assert x1.network_key() == x2.network_key() and C.reset_changes(x1, x2) == []
    r1, r2 = Config(init_scale=0.01), Config(init_scale=0.02)
    assert C.reset_changes(r1, r2) == ["init_scale"]
    assert C.reset_changes(r1, x1) == ["init"]


@pytest.mark.parametrize("cfg", [
    Config(init="constant", init_scale=0.5), Config(init="constant", init_scale=0.01),
    Config(init="random", init_scale=0.5), Config(init="he", init_scale=0.01),
    Config(alpha=0.5), Config(alpha=0.25), Config(alpha=7.0),
])
def test_links_carry_each_scale_and_alpha_exactly(cfg):
    back, notices = C.from_query(cfg.to_query())
    assert not notices
    assert (back.init, back.alpha) == (cfg.init, cfg.alpha)
    if cfg.uses_scale:
        assert back.init_scale == cfg.init_scale


def test_constant_without_c_gets_the_lessons_c():
    assert C.from_query({"init": "constant"})[0].init_scale == 0.5
    assert C.from_json('{"init": "constant"}').init_scale == 0.5
    assert C.from_query({"init": "random"})[0].init_scale == 0.01
    assert "init_scale" not in Config(init="constant", init_scale=0.5).to_query()
