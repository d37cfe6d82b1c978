"""Trainer.changes: the log of what changed while a run went on, which an exported notebook
replays (issue 15)."""

from __future__ import annotations

import numpy as np

from playground.core.datasets import make_dataset, train_test_split
from playground.engine.trainer import Trainer


def _trainer(**kw) -> Trainer:
    return Trainer(*train_test_split(*make_dataset("moons", 80, seed=0), 0.2, 0), **kw)


def test_construction_logs_nothing_and_keeps_the_start_settings():
    t = _trainer(learning_rate=0.3, batch_size=16, regularization="L2", lambd=0.1)
    assert t.changes == []
    assert t.start_settings == {"learning_rate": 0.3, "regularization": "L2", "lambd": 0.1,
                                "schedule": "constant", "decay_rate": 0.5,
                                "decay_steps": 1000, "batch_size": 16}


def test_changes_are_logged_at_their_iteration_and_reset_starts_afresh():
    t = _trainer()
    t.set_batch_size(16)  # before training: still a change (new shuffles)
    t.step(5)
    t.set_learning_rate(0.5)
    t.set_parameter("W1", (0, 1), 0.25)
    assert t.changes == [(0, "batch_size", (16,)), (5, "alpha", (0.5,)),
                         (5, "parameter", ("W1", 0, 1, 0.25))]
    t.reset()
    assert t.changes == [] and t.start_settings["learning_rate"] == 0.5
    assert t.start_settings["batch_size"] == 16


def _restored(change, *, then: int = 0) -> Trainer:
    """A trainer checkpointed at iteration 4, stepped to 7, changed by ``change``, stepped
    ``then`` more, and restored to the checkpoint (Pause going back to a drawn frame)."""
    t = _trainer()
    t.step(4)
    checkpoint = t.checkpoint()
    t.step(3)
    change(t)
    if then:
        t.step(then)
    t.restore(checkpoint)
    return t


def test_restore_undoes_the_edits_since_and_keeps_the_settings_changed_since():
    def change(t):
        t.set_learning_rate(0.7)
        t.set_parameter("b1", (0, 0), 1.0)

    t = _restored(change)
    assert t.iteration == 4 and t.learning_rate == 0.7
    assert t.changes == [(4, "alpha", (0.7,))]
    assert not np.any(t.parameters["b1"] == 1.0)


def test_restore_to_before_a_batch_size_change_trains_on():
    # Play at full batch, the batch size changed at iteration 7, Pause goes back to the
    # frame drawn at 4: the new size stays, from iteration 4 (its shuffles and epoch count
    # start there), exactly as a run that changed it at 4; no negative epoch, no crash.
    t = _restored(lambda t: t.set_batch_size(16), then=2)
    assert t.iteration == 4 and t.batch_size == 16
    assert t.epoch == 4.0  # full batch: one epoch an iteration
    assert t.changes == [(4, "batch_size", (16,))]
    t.step(10)
    ref = _trainer()
    ref.step(4)
    ref.set_batch_size(16)
    ref.step(10)
    assert t.epoch == ref.epoch
    for k, v in ref.parameters.items():
        np.testing.assert_array_equal(t.parameters[k], v)
