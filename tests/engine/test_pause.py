"""Pause while playing: a frame that Streamlit stops mid-way (it raises an exception at a
yield point, and with fast reruns the next run starts in another thread while the old one
is still training) leaves the Trainer's history whole, and a frame trains in chunks that
end as soon as Pause arrives (issue 13, items 4 and 11)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from playground.core.datasets import make_dataset, train_test_split
from playground.engine import trainer as training
from playground.engine.trainer import MAX_HISTORY, Trainer
from playground.lab.symmetry import LockstepGroup
from playground.ui import session as ui


@pytest.fixture(scope="module")
def split():
    return train_test_split(*make_dataset("flower", 200, seed=0), 0.2, 0)


class Interrupt(Exception):
    """Stands in for Streamlit's StopException."""


def assert_history_whole(tr: Trainer) -> dict:
    h = tr.history()  # raised "inhomogeneous shape" before the fix
    its = h["iteration"]
    assert len(its) >= 1 and np.all(np.diff(its) > 0), its
    assert its[-1] <= tr.iteration
    assert h["dW_norms"].shape == (len(its), tr.L)
    assert h["distinct"].shape == (len(its), tr.L - 1)
    assert np.all(np.isfinite(h["train_cost"]))
    tr.history_csv()
    return h


def same_rows(a: dict, b: dict) -> None:
    """Rows of ``a`` at the iterations ``b`` also recorded are ``b``'s, to the last bit."""
    common, ia, ib = np.intersect1d(a["iteration"], b["iteration"], return_indices=True)
    assert len(common) > 5
    for k in a:
        np.testing.assert_array_equal(a[k][ia], b[k][ib], err_msg=k)


def test_exception_in_the_middle_of_a_step_keeps_history_and_training_exact(split,
                                                                           monkeypatch):
    reference = Trainer(*split)
    reference.step(100)
    tr = Trainer(*split)
    calls = {"n": 0}
    update = training.update_parameters

    def interrupted(*args):
        calls["n"] += 1
        if calls["n"] == 37:  # mid-step: rows of this step still pending
            raise Interrupt
        return update(*args)

    monkeypatch.setattr(training, "update_parameters", interrupted)
    with pytest.raises(Interrupt):
        tr.step(100)
    monkeypatch.setattr(training, "update_parameters", update)
    assert tr.iteration == 36
    assert_history_whole(tr)
    tr.step(100 - tr.iteration)
    assert tr.iteration == 100
    for k, v in reference.parameters.items():
        np.testing.assert_array_equal(tr.parameters[k], v)
    same_rows(assert_history_whole(tr), reference.history())


def test_exception_while_the_rows_are_computed_keeps_history_readable(split, monkeypatch):
    # The stop can also land while a step's pending rows are being computed.
    reference = Trainer(*split)
    reference.step(50)
    tr = Trainer(*split)
    rows_of = Trainer._rows_of

    def interrupted(self, states):
        if len(states) > 1:
            raise Interrupt
        return rows_of(self, states)

    monkeypatch.setattr(Trainer, "_rows_of", interrupted)
    with pytest.raises(Interrupt):
        tr.step(30)
    monkeypatch.setattr(Trainer, "_rows_of", rows_of)
    h = assert_history_whole(tr)
    assert list(h["iteration"]) == [0]  # the rows not computed yet are not shown
    tr.step(20)  # the next step computes them
    h = assert_history_whole(tr)
    assert list(h["iteration"]) == list(range(51))
    same_rows(h, reference.history())


def test_history_read_from_another_thread_during_a_step(split, monkeypatch):
    # Streamlit's fast reruns: the run of the Pause click reads the history while the
    # frame it replaces is still inside step() in another thread.
    tr = Trainer(*split)
    tr.step(5)
    inside, release = threading.Event(), threading.Event()
    rows_of = Trainer._rows_of

    def slow(self, states):
        if len(states) > 1:
            inside.set()
            release.wait(10)
        return rows_of(self, states)

    monkeypatch.setattr(Trainer, "_rows_of", slow)
    worker = threading.Thread(target=tr.step, args=(40,))
    worker.start()
    try:
        assert inside.wait(10)
        h = assert_history_whole(tr)  # pending rows are left out, not half-read
        assert h["iteration"][-1] <= 5
    finally:
        release.set()
        worker.join(10)
    assert list(assert_history_whole(tr)["iteration"]) == list(range(46))


def test_interrupted_steps_keep_the_history_bounded(split, monkeypatch):
    tr = Trainer(*split, dtype=np.float32)
    update = training.update_parameters
    calls = {"n": 0}

    def sometimes(*args):
        calls["n"] += 1
        if calls["n"] % 97 == 0:
            raise Interrupt
        return update(*args)

    monkeypatch.setattr(training, "update_parameters", sometimes)
    for _ in range(40):
        try:
            tr.step(250)
        except Interrupt:
            pass
    h = assert_history_whole(tr)
    assert len(h["iteration"]) <= MAX_HISTORY + 1
    assert not any(len(r) == training._PENDING for r in tr._rows)


# ---- a frame of Play trains in chunks and stops when Pause arrives ---------------------


def test_chunks_train_exactly_the_iterations_asked():
    done = []
    n = ui.train_in_chunks(lambda k: done.append(k) or k, 1000, 1e-4,
                           playing=lambda: True, check=None)
    assert n == 1000 == sum(done)
    assert max(done) <= max(1, int(ui.FRAME_CHUNK_SECONDS / 1e-4))
    assert len(done) > 1


def test_pause_ends_a_frame_at_the_next_chunk():
    state = {"playing": True}
    done = []

    def step(k):
        done.append(k)
        if len(done) == 2:  # Pause's callback ran (in the run of the click) meanwhile
            state["playing"] = False
        return k

    n = ui.train_in_chunks(step, 10_000, 1e-4, playing=lambda: state["playing"], check=None)
    assert len(done) == 2 and n == sum(done) < 10_000


def test_streamlit_stop_ends_a_frame_between_chunks_with_a_whole_history(split):
    # Streamlit's yield check raises (StopException) once the run of a click has started.
    tr = Trainer(*split, dtype=np.float32)
    calls = {"n": 0}

    def check():
        calls["n"] += 1
        if calls["n"] == 3:
            raise Interrupt

    with pytest.raises(Interrupt):
        ui.train_in_chunks(tr.step, 5000, 1e-4, playing=lambda: True, check=check)
    chunk = max(1, int(ui.FRAME_CHUNK_SECONDS / 1e-4))
    assert tr.iteration == 2 * chunk
    assert_history_whole(tr)


def test_chunks_stop_on_divergence_or_a_stop_condition(split):
    tr = Trainer(*split, dtype=np.float32)
    n = ui.train_in_chunks(lambda k: tr.step(k, stop_iterations=130), 1000, 1e-4,
                           playing=lambda: True, check=None)
    assert n == 130 == tr.iteration and tr.stopped_reason


def test_chunks_drive_a_lockstep_group(split):
    group = LockstepGroup(*split, choices=("zeros", "random_0.01"))
    n = ui.train_in_chunks(group.step, 300, 1e-4, playing=lambda: True, check=None)
    assert n == 300 == group.iteration
    for t in group.trainers:
        assert_history_whole(t)


# ---- a frame that Pause stops before it showed its iteration is undone ------------------


def test_checkpoint_and_restore_are_exact(split):
    reference = Trainer(*split)
    reference.step(120)
    tr = Trainer(*split)
    tr.step(50)
    cp = tr.checkpoint()
    tr.step(500)  # enough to thin the history and the snapshots
    tr.restore(cp)
    assert tr.iteration == 50
    np.testing.assert_array_equal(tr.history()["iteration"], np.arange(51))
    assert [s[0] for s in tr.snapshots][-1] <= 50
    tr.step(70)
    for k, v in reference.parameters.items():
        np.testing.assert_array_equal(tr.parameters[k], v)
    same_rows(assert_history_whole(tr), reference.history())


def frame(tr, *, stop_after_chunks=None, shown=False, meddle=False):
    """A frame of Play as the pages run it: checkpoint, train in chunks (Streamlit's stop
    test raising after ``stop_after_chunks`` chunks), maybe show the iteration, then a
    Streamlit call that raises because the run of a Pause click has started."""
    calls = {"n": 0}

    def check():
        calls["n"] += 1
        if stop_after_chunks is not None and calls["n"] > stop_after_chunks:
            raise Interrupt

    def run():
        ui.frame_checkpoint(tr)
        ui.train_in_chunks(tr.step, 2000, 1e-4, playing=lambda: True, check=check)
        if shown:
            ui.frame_shown()
        if meddle:  # a Step click's callback, run by the new run's thread meanwhile
            tr.step(3)
        raise Interrupt  # the frame's next Streamlit call

    with pytest.raises(Interrupt):
        ui.paced(run)()


@pytest.mark.parametrize("stop_after_chunks", [None, 2])
def test_a_frame_stopped_before_it_showed_its_iteration_is_undone(split, stop_after_chunks):
    tr = Trainer(*split, dtype=np.float32)
    tr.step(40)
    before = tr.history()
    frame(tr, stop_after_chunks=stop_after_chunks)
    assert tr.iteration == 40
    h = assert_history_whole(tr)
    for k in h:
        np.testing.assert_array_equal(h[k], before[k])


def test_a_frame_that_showed_its_iteration_is_kept(split):
    tr = Trainer(*split, dtype=np.float32)
    frame(tr, shown=True)
    assert tr.iteration == 2000


def test_the_undo_leaves_a_trainer_changed_by_another_run_alone(split):
    tr = Trainer(*split, dtype=np.float32)
    frame(tr, meddle=True)
    assert tr.iteration == 2003
    assert_history_whole(tr)
