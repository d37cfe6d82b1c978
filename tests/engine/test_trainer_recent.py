"""Trainer.recent: the parameters of the latest iterations, each one, bounded (for the cost
landscape's path, issue 15)."""

import numpy as np

from playground.core.datasets import make_dataset, train_test_split
from playground.engine.trainer import MAX_RECENT, Trainer


def flower_trainer(**kw) -> Trainer:
    X, Y = make_dataset("flower", 200, None, 0)
    return Trainer(*train_test_split(X, Y, 0.2, 0), **kw)


def test_recent_holds_the_latest_iterations_bounded():
    t = flower_trainer()
    assert list(t.recent) == []
    t.step(5)
    assert [it for it, _ in t.recent] == [1, 2, 3, 4, 5]
    assert t.recent[-1][1] is t.parameters
    t.step(100)
    assert [it for it, _ in t.recent] == list(range(106 - MAX_RECENT, 106))
    t.reset()
    assert list(t.recent) == []


def test_recent_follows_checkpoint_and_restore():
    t = flower_trainer()
    t.step(20)
    cp = t.checkpoint()
    t.step(7)
    assert t.recent[-1][0] == 27
    t.restore(cp)
    assert [it for it, _ in t.recent] == list(range(21 - MAX_RECENT, 21))
    np.testing.assert_array_equal(t.recent[-1][1]["W1"], t.parameters["W1"])


def test_recent_forgets_the_iterations_a_divergence_undoes():
    t = flower_trainer(activations=("leaky_relu",), learning_rate=10.0)
    t.step(500)
    assert t.diverged
    assert t.recent and all(it <= t.iteration for it, _ in t.recent)
    assert t.recent[-1][0] == t.iteration
