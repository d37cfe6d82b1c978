"""Pause stops where the student saw it (issue 13, item 11): the ring of the frames sent
while playing (``training.FrameRing``) puts the trainers back to the frame the browser
drew last, and only ever undoes Play's own frames."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from playground.core.datasets import make_dataset, train_test_split
from playground.engine.trainer import FrameRing, Trainer
from playground.lab.symmetry import LockstepGroup
from playground.ui import session as ui


@pytest.fixture(scope="module")
def split():
    return train_test_split(*make_dataset("flower", 200, seed=0), 0.2, 0)


def play(ring: FrameRing, trainers, frames: int, n: int = 7, step=None) -> list[int]:
    """``frames`` frames of Play: begin, train ``n`` iterations, push. The serials."""
    serials = []
    for _ in range(frames):
        ring.begin(trainers)
        for t in trainers:
            if step is None:
                t.step(n)
        if step is not None:
            step(n)
        serial = (ring.sent or 0) + 1
        ring.push(serial, trainers)
        serials.append(serial)
    return serials


def test_rewind_goes_back_exactly_to_the_frame_drawn(split):
    tr = Trainer(*split)
    ring = FrameRing()
    serials = play(ring, [tr], 5)
    assert tr.iteration == 35 and ring.sent == serials[-1]
    reference = Trainer(*split)
    reference.step(21)  # frame 3 of 5 showed iteration 21
    assert ring.rewind(serials[2]) == 21
    assert tr.iteration == 21
    for k, v in reference.parameters.items():
        np.testing.assert_array_equal(tr.parameters[k], v, err_msg=k)
    h, hr = tr.history(), reference.history()
    np.testing.assert_array_equal(h["iteration"], hr["iteration"])
    np.testing.assert_array_equal(h["train_cost"], hr["train_cost"])
    # The chain is spent: Play starts afresh, and training on from here is exact.
    assert ring.sent is None and ring.frames == []
    tr.step(9)
    reference.step(9)
    for k, v in reference.parameters.items():
        np.testing.assert_array_equal(tr.parameters[k], v, err_msg=k)


def test_rewind_during_a_frame_in_progress(split):
    # Pause while a frame trains, not yet sent: back to the frame drawn.
    tr = Trainer(*split)
    ring = FrameRing()
    serials = play(ring, [tr], 3)
    ring.begin([tr])
    tr.step(5)  # the new frame's training so far
    assert ring.rewind(serials[-1]) == 21
    assert tr.iteration == 21


def test_rewind_never_undoes_a_click(split):
    # A Step (or Reset, Break, an edited weight) after the newest frame: nothing is undone.
    tr = Trainer(*split)
    ring = FrameRing()
    serials = play(ring, [tr], 3)
    tr.step(4)  # Step ×4, not a frame
    assert ring.rewind(serials[0]) is None
    assert tr.iteration == 25
    tr2 = Trainer(*split)
    ring2 = FrameRing()
    s2 = play(ring2, [tr2], 2)
    tr2.reset()
    assert ring2.rewind(s2[0]) is None and tr2.iteration == 0


def test_rewind_to_a_frame_not_kept_changes_nothing(split):
    tr = Trainer(*split)
    ring = FrameRing(size=4)
    serials = play(ring, [tr], 8)
    assert [f[0] for f in ring.frames] == serials[-4:]
    assert ring.rewind(serials[0]) is None  # older than the ring keeps
    assert tr.iteration == 56
    assert ring.rewind(None) is None


def test_a_click_between_frames_starts_a_new_chain(split):
    tr = Trainer(*split)
    ring = FrameRing()
    first = play(ring, [tr], 2)
    tr.step(3)  # a Step between two Plays
    second = play(ring, [tr], 2)
    assert [f[0] for f in ring.frames] == second
    assert ring.rewind(first[-1]) is None and tr.iteration == 31


def test_rewind_puts_a_lockstep_group_back_together(split):
    group = LockstepGroup(*split, hidden=(4,), activation="tanh",
                          choices=("zeros", "constant", "random_0.01"), c=0.5, seed=1, alpha=1.2,
                          dtype=np.float64)
    ring = FrameRing()
    serials = play(ring, group.trainers, 4, step=group.step)
    assert group.iteration == 28
    assert ring.rewind(serials[1]) == 14
    assert [t.iteration for t in group.trainers] == [14, 14, 14]
    assert all(len(t.history()["iteration"]) >= 1 for t in group.trainers)


def test_rewind_waits_for_the_chunk_in_progress(split):
    # Pause's callback runs in the click's thread while the frame may be mid-chunk: the
    # lock makes the restore come after that chunk, and the next chunk sees Pause.
    tr = Trainer(*split)
    ring = FrameRing()
    serials = play(ring, [tr], 2)
    playing = {"on": True}
    in_chunk, release = threading.Event(), threading.Event()

    def step(k):
        in_chunk.set()
        release.wait(5)
        return tr.step(k)

    ring.begin([tr])
    frame = threading.Thread(target=ui.train_in_chunks, args=(step, 50, 1e-3),
                             kwargs={"playing": lambda: playing["on"], "check": None,
                                     "lock": ring.lock})
    frame.start()
    assert in_chunk.wait(5)
    result = {}

    def pause():
        with ring.lock:
            playing["on"] = False
            result["it"] = ring.rewind(serials[-1])

    clicker = threading.Thread(target=pause)
    clicker.start()
    time.sleep(0.05)
    assert "it" not in result  # waits for the chunk
    release.set()
    clicker.join(5)
    frame.join(5)
    assert result["it"] == 14
    assert tr.iteration == 14  # the chunk's iterations were undone, no chunk after Pause
