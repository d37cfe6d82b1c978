"""The fair pacer of live frames (playground.ui.pacing): turns, fairness, budgets, threads."""

from __future__ import annotations

import threading
import time

import pytest

from playground.ui.pacing import FramePacer


class FakeClock:
    def __init__(self, t: float = 100.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds


def frame(p: FramePacer, session: str, cpu: float = 0.01, training: float = 0.0):
    g = p.acquire(session)
    p.release(g, cpu=cpu, training=training)
    return g


def test_a_lone_session_never_waits():
    p = FramePacer(headroom=0)
    for _ in range(5):
        g = frame(p, "a")
        assert g.waited < 0.05
    assert p.stats()["frames"] == 5
    assert p.stats()["running"] == 0


def test_a_session_may_wait_twice():
    """Streamlit starts the run of a click while the run it replaces is still stopping:
    both may wait for a turn; they count as one session."""
    p = FramePacer(slots=1, headroom=0)
    g = p.acquire("a")
    got = []
    t = threading.Thread(target=lambda: got.append(p.acquire("a", poll=0.01)))
    t.start()
    time.sleep(0.05)
    assert p.stats()["waiting"] == 1 and not got
    p.release(g, cpu=0.0)
    t.join(2)
    assert got and p.stats()["sessions"] == 1
    p.release(got[0], cpu=0.0)


def test_one_slot_means_one_frame_at_a_time():
    p = FramePacer(slots=1, headroom=0)
    inside, most, lock = [0], [0], threading.Lock()
    counts: dict[str, int] = {}

    def student(name: str):
        for _ in range(15):
            g = p.acquire(name, poll=0.01)
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.001)
            with lock:
                inside[0] -= 1
                counts[name] = counts.get(name, 0) + 1
            p.release(g, cpu=0.001)

    threads = [threading.Thread(target=student, args=(f"s{i}",)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)
    assert most[0] == 1
    assert counts == {f"s{i}": 15 for i in range(12)}
    assert p.stats()["waiting"] == p.stats()["running"] == 0


def test_two_slots_allow_two_frames_at_once():
    p = FramePacer(slots=2, headroom=0)
    a, b = p.acquire("a"), p.acquire("b")  # neither blocks
    assert p.stats()["running"] == 2
    p.release(a, cpu=0.0)
    p.release(b, cpu=0.0)


def _queue_behind(p: FramePacer, holder: str, waiters: list[str]) -> list[str]:
    """``holder`` has the only slot; ``waiters`` queue up (in that order); returns the
    order in which they get their turns once ``holder`` releases."""
    g = p.acquire(holder)
    order, lock = [], threading.Lock()
    ready = threading.Barrier(len(waiters) + 1)

    def wait(name):
        ready.wait()
        time.sleep(0.02 * waiters.index(name))  # arrive in list order
        t = p.acquire(name, poll=0.01)
        with lock:
            order.append(name)
        time.sleep(0.01)
        p.release(t, cpu=0.0)

    threads = [threading.Thread(target=wait, args=(n,)) for n in waiters]
    for t in threads:
        t.start()
    ready.wait()
    time.sleep(0.02 * len(waiters) + 0.05)
    assert p.stats()["waiting"] == len(waiters)
    p.release(g, cpu=0.0)
    for t in threads:
        t.join(10)
    return order


def test_the_turn_goes_to_who_used_the_server_least():
    p = FramePacer(slots=1, headroom=0, half_life=60)
    frame(p, "heavy", cpu=1.0)
    frame(p, "light", cpu=0.05)
    frame(p, "medium", cpu=0.3)
    assert _queue_behind(p, "x", ["heavy", "medium", "light"]) == ["light", "medium", "heavy"]


def test_a_student_who_just_pressed_play_goes_first():
    p = FramePacer(slots=1, headroom=0, half_life=60)
    frame(p, "old", cpu=0.2)
    assert _queue_behind(p, "x", ["old", "new"]) == ["new", "old"]


def test_a_click_goes_before_live_frames():
    p = FramePacer(slots=1, headroom=0, half_life=60)
    frame(p, "clicker", cpu=1.0)  # even a heavy user's click beats the frames
    holder = p.acquire("x")
    order, lock = [], threading.Lock()

    def wait(name, priority, delay):
        time.sleep(delay)
        t = p.acquire(name, poll=0.01, priority=priority)
        with lock:
            order.append(name)
        p.release(t, cpu=0.0)

    threads = [threading.Thread(target=wait, args=("frame", 0, 0.0)),
               threading.Thread(target=wait, args=("clicker", 1, 0.05))]
    for t in threads:
        t.start()
    time.sleep(0.15)
    p.release(holder, cpu=0.0)
    for t in threads:
        t.join(5)
    assert order == ["clicker", "frame"]


def test_equal_usage_is_served_in_arrival_order():
    p = FramePacer(slots=1, headroom=0)
    assert _queue_behind(p, "x", ["a", "b", "c"]) == ["a", "b", "c"]


def test_usage_halves_every_half_life():
    clock = FakeClock()
    p = FramePacer(headroom=0, half_life=2.0, clock=clock, sleep=clock.sleep)
    frame(p, "a", cpu=1.0)
    s = p._sessions["a"]
    assert p._usage(s, clock.t) == pytest.approx(1.0)
    assert p._usage(s, clock.t + 2.0) == pytest.approx(0.5)
    assert p._usage(s, clock.t + 6.0) == pytest.approx(0.125)


def test_pause_ends_the_wait_and_frees_the_place():
    p = FramePacer(slots=1, headroom=0)
    holder = p.acquire("holder")

    class Rerun(Exception):
        pass

    asked = threading.Event()

    def check():
        if asked.is_set():
            raise Rerun

    errors = []

    def waiter():
        try:
            p.acquire("w", check=check, poll=0.01)
        except Rerun:
            errors.append("rerun")

    t = threading.Thread(target=waiter)
    t.start()
    time.sleep(0.05)
    assert p.stats()["waiting"] == 1
    t0 = time.monotonic()
    asked.set()
    t.join(2)
    assert errors == ["rerun"] and time.monotonic() - t0 < 0.5
    assert p.stats()["waiting"] == 0
    p.release(holder, cpu=0.0)
    frame(p, "w")  # the session can play again


def test_a_frame_never_waits_longer_than_max_wait():
    p = FramePacer(slots=1, headroom=0)
    stuck = p.acquire("stuck")  # never released within the test
    t0 = time.monotonic()
    g = p.acquire("b", poll=0.01, max_wait=0.1)
    assert 0.09 <= time.monotonic() - t0 < 1.0
    assert g.waited >= 0.09
    p.release(g, cpu=0.0)
    p.release(stuck, cpu=0.0)


def test_headroom_keeps_a_gap_after_each_frame():
    p = FramePacer(slots=1, headroom=0.5)
    g = p.acquire("a")
    p.release(g, cpu=0.08)  # 50 % headroom: the next frame starts 0.08 s later
    t0 = time.monotonic()
    g = p.acquire("b", poll=0.01)
    assert time.monotonic() - t0 >= 0.07
    p.release(g, cpu=0.0)


def test_training_budget_is_the_request_while_there_is_room():
    clock = FakeClock()
    p = FramePacer(headroom=0.2, min_fps=2, clock=clock, sleep=clock.sleep)
    frame(p, "a", cpu=0.03, training=0.01)  # draw cost 0.02 s
    assert p.training_budget("a", 0.09) == pytest.approx(0.09)


def test_training_budget_shrinks_as_the_class_grows():
    clock = FakeClock()
    p = FramePacer(headroom=0.2, min_fps=2, min_training=0.003, clock=clock, sleep=clock.sleep)
    for i in range(12):
        frame(p, f"s{i}", cpu=0.012, training=0.002)  # draw cost 0.01 s
    # share = 0.8 / 12 ≈ 0.067 s/s; at 2 frames/s 0.033 s per frame, minus 0.01 drawing
    assert p.training_budget("s0", 0.09) == pytest.approx(0.8 / 12 / 2 - 0.01)
    for i in range(12, 60):
        frame(p, f"s{i}", cpu=0.012, training=0.002)
    # 0.8 / 60 / 2 < 0.01 s of drawing: training gets its floor.
    assert p.training_budget("s0", 0.09) == pytest.approx(0.003)
    assert p.training_budget("s0", 0.001) == pytest.approx(0.001)  # never above the request


def test_training_never_drops_below_min_training():
    clock = FakeClock()
    p = FramePacer(headroom=0.2, min_fps=5, min_training=0.003, clock=clock, sleep=clock.sleep)
    for i in range(60):
        frame(p, f"s{i}", cpu=0.0011, training=0.001)  # draw cost 0.1 ms
    assert p.training_budget("s0", 0.09) == pytest.approx(0.003)


def play(p: FramePacer, clock: FakeClock, n_sessions: int, rounds: int, every: float,
         cpu: float = 0.012, training: float = 0.002):
    """Every session gets a frame every ``every`` seconds, ``rounds`` times."""
    for _ in range(rounds):
        for i in range(n_sessions):
            frame(p, f"s{i}", cpu=cpu, training=training)
        clock.t += every


def test_frames_slower_than_min_fps_shrink_training_below_the_model():
    # The model thinks 10 sessions fit 2 frames/s with 0.03 s of training each, but
    # something it cannot see (Streamlit's own work, another process) makes frames come
    # only every 0.8 s: the budget shrinks until they come fast enough.
    clock = FakeClock()
    p = FramePacer(headroom=0.2, min_fps=2, min_training=0.003, clock=clock, sleep=clock.sleep)
    play(p, clock, 10, 1, 0.8)
    modelled = 0.8 / 10 / 2 - 0.01
    assert p.training_budget("s0", 0.09) == pytest.approx(modelled)
    play(p, clock, 10, 5, 0.8)
    slowed = p.training_budget("s0", 0.09)
    assert slowed < 0.5 * modelled
    play(p, clock, 10, 30, 0.8)
    assert p.training_budget("s0", 0.09) == pytest.approx(0.003)  # down to the floor
    assert p.stats()["training_scale"] < 0.1


def test_frames_faster_than_min_fps_give_training_back():
    clock = FakeClock()
    p = FramePacer(headroom=0.2, min_fps=2, min_training=0.003, clock=clock, sleep=clock.sleep)
    play(p, clock, 10, 30, 0.8)  # slow: the scale falls
    low = p.training_budget("s0", 0.09)
    play(p, clock, 10, 30, 0.25)  # 4 frames/s, well above 2: it grows back
    assert p.training_budget("s0", 0.09) > 10 * low
    play(p, clock, 10, 100, 0.25)
    assert p.stats()["training_scale"] == pytest.approx(4.0)  # bounded
    # Within the band [min_fps, 1.25 min_fps] it holds still.
    scale = p.stats()["training_scale"]
    play(p, clock, 10, 10, 0.45)
    assert p.stats()["training_scale"] == pytest.approx(scale)


def test_a_session_that_restarts_playing_is_not_counted_slow():
    clock = FakeClock()
    p = FramePacer(headroom=0.2, min_fps=2, active_window=2.0, clock=clock,
                   sleep=clock.sleep)
    play(p, clock, 1, 3, 0.25)
    scale = p.stats()["training_scale"]
    clock.t += 30  # paused for half a minute, then Play again
    play(p, clock, 1, 1, 0.25)
    assert p.stats()["training_scale"] >= scale


def test_students_who_stopped_playing_no_longer_count():
    clock = FakeClock()
    p = FramePacer(headroom=0, active_window=2.0, half_life=2.0, clock=clock, sleep=clock.sleep)
    for i in range(10):
        frame(p, f"s{i}")
    assert p.playing() == 10
    clock.t += 1.0
    frame(p, "s0")
    clock.t += 1.5
    assert p.playing() == 1
    clock.t += 60
    frame(p, "s1")  # pruning happens on release
    assert p.stats()["sessions"] == 1


def test_forget_drops_an_idle_session():
    p = FramePacer(headroom=0)
    frame(p, "a")
    p.forget("a")
    assert p.stats()["sessions"] == 0


def test_invalid_settings_are_refused():
    with pytest.raises(ValueError):
        FramePacer(slots=0)
    with pytest.raises(ValueError):
        FramePacer(headroom=0.95)


def test_many_students_share_evenly():
    """20 threads with equal frame costs get nearly equal numbers of frames."""
    p = FramePacer(slots=1, headroom=0, half_life=0.5)
    counts = {f"s{i}": 0 for i in range(20)}
    stop = threading.Event()

    def student(name):
        while not stop.is_set():
            g = p.acquire(name, poll=0.01)
            t0 = time.thread_time()
            time.sleep(0.002)
            x = 0
            while time.thread_time() - t0 < 0.0005:
                x += 1
            counts[name] += 1
            p.release(g, cpu=0.002)

    threads = [threading.Thread(target=student, args=(n,)) for n in counts]
    for t in threads:
        t.start()
    time.sleep(1.5)
    stop.set()
    for t in threads:
        t.join(5)
    low, high = min(counts.values()), max(counts.values())
    assert low > 0 and high - low <= max(3, 0.25 * high), counts
