"""A Trainer that starts from given weights (a course notebook's) and keeps the parameters
of every k-th iteration for the notebook's print-out (issue 15, part 4)."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.datasets import make_dataset, train_test_split
from playground.engine.trainer import Trainer


@pytest.fixture(scope="module")
def split():
    return train_test_split(*make_dataset("flower", 120, seed=0), 0.2, 0)


def given_weights(seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"W1": rng.standard_normal((4, 2)), "b1": rng.standard_normal((4, 1)),
            "W2": rng.standard_normal((1, 4)), "b2": np.zeros((1, 1))}


def test_given_initial_weights_are_the_start_and_reset_goes_back_to_them(split):
    given = given_weights()
    tr = Trainer(*split, initial_parameters=given)
    for k, v in given.items():
        np.testing.assert_array_equal(tr.parameters[k], v)
        assert tr.parameters[k] is not v  # a copy: training never changes the caller's
    tr.step(50)
    tr.reset()
    for k, v in given.items():
        np.testing.assert_array_equal(tr.parameters[k], v)


@pytest.mark.parametrize("bad,message", [
    ({"W1": np.zeros((4, 2)), "b1": np.zeros((4, 1))}, "must be W1, b1, W2, b2"),
    ({**given_weights(), "W2": np.zeros((4, 1))}, r"W2 has shape \(4, 1\)"),
    ({**given_weights(), "b1": np.full((4, 1), np.nan)}, "not finite"),
])
def test_given_weights_of_another_network_are_refused(split, bad, message):
    with pytest.raises(ValueError, match=message):
        Trainer(*split, initial_parameters=bad)


def test_every_kth_iteration_is_kept_before_its_update(split):
    tr = Trainer(*split, keep_every=10)
    tr.step(7)
    tr.step(28)  # 35 iterations done, in two steps: 0, 10, 20 and 30 have run
    assert [it for it, _ in tr.kept] == [0, 10, 20, 30]
    alone = Trainer(*split)
    for it, params in tr.kept:
        alone.reset()
        alone.step(it)  # the parameters iteration `it` starts from
        for k, v in alone.parameters.items():
            np.testing.assert_array_equal(params[k], v)
    tr.reset()
    assert tr.kept == []
    assert Trainer(*split).kept == []  # keep_every=0: none kept
    with pytest.raises(ValueError, match="keep_every"):
        Trainer(*split, keep_every=-1)


def test_restore_and_divergence_keep_the_kept_in_step(split):
    tr = Trainer(*split, keep_every=10)
    tr.step(15)
    cp = tr.checkpoint()
    tr.step(30)
    assert [it for it, _ in tr.kept] == [0, 10, 20, 30, 40]
    tr.restore(cp)
    assert [it for it, _ in tr.kept] == [0, 10]
    tr.step(30)
    assert [it for it, _ in tr.kept] == [0, 10, 20, 30, 40]
    # A linear network with α = 10 trains, then blows up: the divergence rolls back to the
    # last checked state, and the iterations undone are no longer kept.
    wild = Trainer(*split, hidden=(6,), activations=("linear",), learning_rate=10.0,
                   keep_every=4)
    wild.step(5000)
    assert wild.diverged
    its = [it for it, _ in wild.kept]
    assert its == list(range(0, wild.iteration, 4))
