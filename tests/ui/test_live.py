"""The one live loop of the pages that play (playground.ui.live, issue 14 item 5): both the
Playground and Symmetry breaking train their frames inside their session's turn of the
process-wide pacer, size them by the pacer's budget, stop where the browser drew at Pause,
and show the same status badge."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from apptest import open_page, play_pause

from playground.core.datasets import make_dataset, train_test_split
from playground.engine.trainer import Trainer
from playground.lab import symmetry as S
from playground.lab.symmetry import LockstepGroup
from playground.ui import live
from playground.ui import session as ui
from playground.ui.pacing import FramePacer, Grant

# page file, its Play/Pause key, its "playing" key, its FrameRing, what it trains
PAGES = {
    "playground": ("app_pages/playground.py", "play_button", "playing", "playground",
                   lambda at: [at.session_state["trainer"]]),
    "symmetry": ("app_pages/symmetry.py", "sym_play", "sym_playing", "symmetry",
                 lambda at: list(at.session_state["sym_group"].trainers)),
}


@pytest.fixture(scope="module")
def split():
    return train_test_split(*make_dataset("flower", 200, seed=0), 0.2, 0)


class ObservedPacer(FramePacer):
    """A FramePacer that remembers its turns, and whether a turn was held whenever a
    trainer stepped (``stepped``: one bool per call of Trainer.step)."""

    def __init__(self) -> None:
        super().__init__()
        self.acquired: list[tuple[str, int]] = []  # (session, priority)
        self.released = 0
        self.stepped: list[bool] = []
        self._held = threading.local()

    def acquire(self, session, *, priority=0, **kwargs) -> Grant:
        grant = super().acquire(session, priority=priority, **kwargs)
        self.acquired.append((session, priority))
        self._held.grant = grant
        return grant

    def release(self, grant, **kwargs) -> None:
        self._held.grant = None
        self.released += 1
        super().release(grant, **kwargs)

    def holding(self) -> bool:
        g = getattr(self._held, "grant", None)
        return g is not None and g.ticket in self._running


@pytest.fixture
def observed(monkeypatch):
    pacer = ObservedPacer()
    monkeypatch.setattr(ui, "pacer", lambda: pacer)
    step = Trainer.step

    def watched(self, *args, **kwargs):
        pacer.stepped.append(pacer.holding())
        return step(self, *args, **kwargs)

    monkeypatch.setattr(Trainer, "step", watched)
    return pacer


def iterations(trainers) -> list[int]:
    return [t.iteration for t in trainers]


@pytest.mark.parametrize("page", list(PAGES))
def test_play_trains_inside_the_pacer_turn(observed, page):
    # The question for the Symmetry page: does its Play take the fair turns? Every
    # run of the live part (the page's own and Play's) acquires and releases a turn, and
    # every training step of Play happens while the session holds it.
    path, play, playing, _, trainers = PAGES[page]
    at = open_page(path)
    opened = len(observed.acquired)
    assert opened >= 1 and observed.released == len(observed.acquired)
    assert not observed.stepped  # opening the page trains nothing
    play_pause(at, play).click().run()
    assert not at.exception, at.exception
    assert at.session_state[playing]
    assert len(observed.acquired) > opened, "Play's run did not take a turn"
    assert observed.released == len(observed.acquired)
    assert observed.stepped and all(observed.stepped), (
        f"{observed.stepped.count(False)} of {len(observed.stepped)} steps trained "
        "outside the pacer's turn")
    assert min(iterations(trainers(at))) > 0
    # A click takes its turn ahead of the live frames (priority 1: a full page run).
    assert {p for _, p in observed.acquired} == {1}


@pytest.mark.parametrize("page", list(PAGES))
def test_pause_goes_back_to_the_frame_the_browser_drew(monkeypatch, page):
    # The browser draws frame 1 and reports it; the server trains frame 2; Pause: the
    # trainers go back to frame 1, where the student saw them.
    path, play, playing, ring_name, trainers = PAGES[page]
    drawn = {"serial": None}
    monkeypatch.setattr(ui, "drawn_frame", lambda keys: drawn["serial"])
    at = open_page(path, query={"speed": "fast"} if page == "playground" else None)
    play_pause(at, play).click().run()
    assert not at.exception, at.exception
    first = iterations(trainers(at))
    ring = at.session_state[f"_frame_ring_{ring_name}"]
    assert ring.sent is not None and min(first) > 0
    drawn["serial"] = ring.sent  # the browser drew frame 1
    at.run()  # the next frame (the fragment's rerun; here a page run)
    assert not at.exception, at.exception
    assert at.session_state[playing]
    assert min(np.subtract(iterations(trainers(at)), first)) > 0, "no second frame trained"
    play_pause(at, play).click().run()  # Pause
    assert not at.exception, at.exception
    assert not at.session_state[playing]
    assert play_pause(at, play).label == "Play"
    assert iterations(trainers(at)) == first
    shown = " ".join(str(m.value) for m in [*at.markdown, *at.metric])
    assert f"{max(first):,}" in shown
    at.run()  # and nothing trains after Pause
    assert iterations(trainers(at)) == first


def test_both_pages_show_the_same_badge():
    for page in PAGES:
        path, play, *_ = PAGES[page]
        at = open_page(path)
        badges = [m.value for m in at.markdown if "-badge[" in m.value]
        assert any("ready" in b for b in badges), (page, badges)
        play_pause(at, play).click().run()
        badges = [m.value for m in at.markdown if "-badge[" in m.value]
        assert any(":green-badge[:material/play_arrow: training]" in b for b in badges), badges
        play_pause(at, play).click().run()
        badges = [m.value for m in at.markdown if "-badge[" in m.value]
        assert any(":blue-badge[:material/pause: paused]" in b for b in badges), badges


# ---- a frame's size: the speed, the time since the last frame, the pacer's budget -------


def with_budget(budget: float | None):
    """The frame's turn, as ``session.paced`` sets it (None: no pacer)."""
    ui._turn.grant = None if budget is None else Grant("s", 0.0, 0.0, budget=budget)


@pytest.fixture
def no_turn():
    yield
    ui._turn.grant = None


def test_one_trainer_frames_follow_the_rate_and_the_budget(split, no_turn):
    tr = Trainer(*split, dtype=np.float32)
    tr.step(20)
    one = live.OneTrainer(tr)
    per_it = tr.seconds_per_iteration
    with_budget(None)
    assert one.frame_iterations(None, None) == max(1, int(ui.FRAME_BUDGET / per_it))
    assert one.frame_iterations(50, None) == int(50 * ui.FRAME_SECONDS)  # the first frame
    assert one.frame_iterations(50, 0.6) == 30  # the time that really passed
    assert one.frame_iterations(50, 9.0) == 50  # up to a second's worth
    with_budget(per_it * 7.5)  # a crowded server: the pacer's budget caps the frame
    assert one.frame_iterations(None, None) == 7
    assert one.frame_iterations(1000, 1.0) == 7


def test_lockstep_frames_stretch_with_the_time_that_passed(split, no_turn):
    group = LockstepGroup(*split, choices=("zeros", "random_0.01"))
    group.step(20)
    lock = live.Lockstep(group)
    per_it = group.seconds_per_iteration()
    with_budget(None)
    assert lock.frame_iterations(50, None) == 10
    assert lock.frame_iterations(50, 0.4) == 20
    assert lock.frame_iterations(50, 9.0) == int(50 * S.MAX_FRAME_STRETCH * ui.FRAME_SECONDS)
    with_budget(sum(per_it) * 4.6)
    assert lock.frame_iterations(None, None) == 4
    assert lock.frame_iterations(None, 0.4) == 9  # the budget stretches with the frame
    assert lock.seconds_per_iteration() == pytest.approx(sum(per_it))


def test_trainees_say_when_playing_stops(split):
    tr = Trainer(*split, dtype=np.float32)
    one = live.OneTrainer(tr, stop_iterations=30)
    assert one.step(100) == 30 and one.finished() and one.can_play()
    group = LockstepGroup(*split, choices=("zeros",))
    lock = live.Lockstep(group)
    assert lock.step(5) == 5 and not lock.finished() and lock.can_play()
    assert lock.status() == (5, False, "")


@pytest.mark.parametrize("page", list(PAGES))
def test_a_late_delivery_of_pause_cannot_start_playing_again(page):
    # While a fragment reruns, the browser can deliver one Pause click twice, the second
    # after the page has redrawn the button as Play. Play and Pause are two widgets: the
    # late delivery names the Pause widget. Delivered while that drawing is still
    # registered, it carries that drawing's used token; delivered later, Streamlit has
    # dropped the widget. Either way the page stays paused; the student's Play plays.
    path, play, playing, _, _ = PAGES[page]
    at = open_page(path)
    play_pause(at, play).click().run()
    assert at.session_state[playing]
    pause = play_pause(at, play)
    assert pause.key == f"{play}_pause" and pause.label == "Pause"
    pause.click().run()
    assert not at.session_state[playing]
    assert play_pause(at, play).key == f"{play}_play"
    # The same Pause widget delivered again (its proto as the browser sends it, with the
    # current page's widgets): nothing may start playing.
    states = at._tree.get_widget_states()
    states.widgets.append(pause._widget_state)
    at._run(states)
    assert not at.exception, at.exception
    assert not at.session_state[playing], "a late Pause started playing again"
    assert play_pause(at, play).label == "Play"
    play_pause(at, play).click().run()  # the student's Play, at once
    assert at.session_state[playing]
