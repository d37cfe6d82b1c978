"""Fair pacing of live frames: one server process shares its time among everyone playing.

Every student who presses Play gets a frame every ``FRAME_SECONDS`` from the browser's
auto-rerun timer. One Python process runs Python code one thread at a time (the GIL), so
when 30 students' frames all compute at once each takes 30 times longer, the thread that
reads and writes the websockets waits its turn behind them, and a Pause click can sit
unread for many seconds: the server does not slow down, it collapses.

:class:`FramePacer` is a process-wide turnstile in front of the expensive part of a frame
(train, evaluate the grid, build and send the charts):

* At most ``slots`` frames compute at the same time (1: the others wait, and the
  websocket thread and interactive full reruns find the interpreter free).
* Among the waiting sessions the next turn goes to the one that has used the least server
  time recently (usage in CPU seconds, decaying with ``half_life``): start-time fair
  queueing, so a student with a big network gets fewer frames per second, not more of the
  server, and a student who just pressed Play goes first.
* A click (Pause, Step, any widget: the whole page reruns) also takes turns for its heavy
  parts, ahead of live frames (``priority``): when the whole class presses Pause at once,
  the clicks are served one after the other, fast, instead of all at once, slowly.
* ``headroom`` keeps that share of the time free between frames (for the websocket thread,
  Pause and Step, page loads).
* :meth:`FramePacer.training_budget` shrinks the training part of a frame when many are
  playing, so that everyone gets ``min_fps`` boundary updates per second; with few
  students the speed setting decides. The first estimate (each session's fair share of
  the CPU, minus what its frames cost besides training) misses what a frame costs outside
  the pacer (Streamlit's own work per run, the websockets, other processes on the same
  cores), so the frame rates the sessions really get feed back into it: below
  ``min_fps`` training shrinks, well above it grows back.

A session waiting for its turn does not skip the frame (a Streamlit fragment run that does
not redraw a chart removes it from the page): it waits, its browser's auto-reruns coalesce
into one pending run, and ``check`` (Streamlit's own stop/rerun test) is called while
waiting so that Pause ends the wait at once.

Pure Python, thread-safe, no Streamlit import: ``playground.ui.session`` connects it to the page.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["FramePacer", "Grant"]


@dataclass
class Grant:
    """A session's turn to compute one frame. ``budget``: seconds of training allowed."""

    session: str
    granted_at: float
    waited: float
    budget: float = math.inf
    ticket: int = 0


@dataclass
class _Session:
    usage: float = 0.0  # decayed CPU seconds, as of ``usage_at``
    usage_at: float = 0.0
    last_seen: float = 0.0
    draw_cost: float = 0.0  # EWMA of a frame's CPU seconds outside training
    frames: int = 0
    waited_total: float = 0.0
    granted_at: float = -math.inf  # when its last frame started
    interval: float = 0.0  # EWMA of the time between its frames while it plays


@dataclass
class _Waiter:
    session: str
    arrived: float
    priority: int = 0
    ticket: int = 0
    event: threading.Event = field(default_factory=threading.Event)
    start_at: float = 0.0


class FramePacer:
    """A fair turnstile for live frames, shared by every session of a process.

    Parameters
    ----------
    slots : how many frames may compute at the same time.
    headroom : share of the time kept free between frames, in [0, 0.9).
    half_life : seconds over which a session's recorded usage halves.
    active_window : a session counts as playing while it asked for a frame this recently.
    min_fps : the frame rate :meth:`training_budget` protects by shrinking training (2.5:
        a margin above the 2 boundary updates a second every student should see).
    min_training : training seconds a frame always gets, however full the server is.
    gain : how fast the measured frame rates correct the training budget (a share per
        frame).
    capacity : CPU seconds per second the frames may use together (1: one core; the GIL
        keeps one process near that).
    clock, sleep : monotonic seconds and a matching sleep (injectable for tests).
    """

    def __init__(self, *, slots: int = 1, headroom: float = 0.15, half_life: float = 2.0,
                 active_window: float = 2.0, min_fps: float = 2.5,
                 min_training: float = 0.003, capacity: float = 1.0, gain: float = 0.03,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if slots < 1:
            raise ValueError("slots must be at least 1")
        if not 0 <= headroom < 0.9:
            raise ValueError("headroom must be in [0, 0.9)")
        self.slots = slots
        self.headroom = headroom
        self.half_life = half_life
        self.active_window = active_window
        self.min_fps = min_fps
        self.min_training = min_training
        self.capacity = capacity
        self.gain = gain
        # Feedback on the modelled training budget, from the frame rates sessions get.
        self._scale = 1.0
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._sessions: dict[str, _Session] = {}
        # By ticket: a session may have two (Streamlit starts the run of a click while the
        # run it replaces is still stopping).
        self._waiting: dict[int, _Waiter] = {}
        self._running: dict[int, str] = {}  # ticket -> session
        self._tickets = 0
        self._free_at = 0.0  # no new frame starts before this (headroom)

    # ---- bookkeeping (call with the lock held) ----------------------------------------------

    def _usage(self, s: _Session, now: float) -> float:
        if s.usage == 0.0:
            return 0.0
        return s.usage * 0.5 ** (max(0.0, now - s.usage_at) / self.half_life)

    def _session(self, name: str, now: float) -> _Session:
        s = self._sessions.get(name)
        if s is None:
            s = self._sessions[name] = _Session(usage_at=now, last_seen=now)
        return s

    def _prune(self, now: float) -> None:
        horizon = max(self.active_window, 8 * self.half_life)
        busy = {w.session for w in self._waiting.values()} | set(self._running.values())
        for name in [n for n, s in self._sessions.items()
                     if now - s.last_seen > horizon and n not in busy]:
            del self._sessions[name]

    def _dispatch(self, now: float) -> None:
        """Hand free slots to the waiting sessions that used the least time recently."""
        while self._waiting and len(self._running) < self.slots:
            w = min(self._waiting.values(), key=lambda w: (
                -w.priority, self._usage(self._sessions[w.session], now), w.arrived))
            del self._waiting[w.ticket]
            w.start_at = max(now, self._free_at)
            self._running[w.ticket] = w.session
            w.event.set()

    # ---- the turnstile -----------------------------------------------------------------------

    def acquire(self, session: str, *, check: Callable[[], None] | None = None,
                poll: float = 0.05, max_wait: float | None = None,
                priority: int = 0) -> Grant:
        """Wait for ``session``'s turn to compute a frame and return it as a :class:`Grant`.

        Waiters with a higher ``priority`` go first (1: a student's click, whose whole page
        reruns; 0: a live frame); among equals, the least recent usage, then arrival.
        ``check`` is called every ``poll`` seconds while waiting; whatever it raises
        abandons the wait (Streamlit's rerun/stop test raises when Pause arrives).
        ``max_wait`` (seconds) bounds the wait: the frame then goes ahead anyway.
        """
        now = self.clock()
        with self._lock:
            s = self._session(session, now)
            s.last_seen = now
            self._tickets += 1
            w = self._waiting[self._tickets] = _Waiter(session, now, priority, self._tickets)
            self._dispatch(now)
        try:
            while not w.event.wait(poll):
                if check is not None:
                    check()
                now = self.clock()
                with self._lock:
                    if max_wait is not None and now - w.arrived >= max_wait \
                            and w.ticket in self._waiting:
                        # Go ahead beyond the slot count rather than stall for good.
                        del self._waiting[w.ticket]
                        w.start_at = now
                        self._running[w.ticket] = session
                        w.event.set()
                    else:
                        self._dispatch(now)
            while True:  # our turn; keep the headroom gap, still answering to Pause
                gap = w.start_at - self.clock()
                if gap <= 0:
                    break
                self.sleep(min(gap, poll))
                if check is not None:
                    check()
        except BaseException:
            with self._lock:
                self._waiting.pop(w.ticket, None)
                self._running.pop(w.ticket, None)
                self._dispatch(self.clock())
            raise
        now = self.clock()
        with self._lock:
            s.last_seen = now
            waited = now - w.arrived
            s.waited_total += waited
            gap = now - s.granted_at
            if gap <= self.active_window:  # still playing: how often it gets a frame
                s.interval = gap if s.interval == 0.0 else 0.7 * s.interval + 0.3 * gap
            else:  # (re)started playing
                s.interval = 0.0
            s.granted_at = now
        return Grant(session, now, waited, ticket=w.ticket)

    def release(self, grant: Grant, *, cpu: float, training: float = 0.0,
                browser_bound: bool = False) -> None:
        """End ``grant``'s frame, which used ``cpu`` CPU seconds (``training`` of them
        training): charge the session, keep the headroom, pass the turn on.
        ``browser_bound``: the frame came late because the student's browser was still
        drawing the one before (the page waits for it), not because the server is busy:
        its frame rate says nothing about the server, so training is not scaled by it."""
        now = self.clock()
        cpu = max(0.0, float(cpu))
        with self._lock:
            self._running.pop(grant.ticket, None)
            s = self._session(grant.session, now)
            s.usage = self._usage(s, now) + cpu
            s.usage_at = now
            s.last_seen = now
            draw = max(0.0, cpu - max(0.0, training))
            s.draw_cost = draw if s.frames == 0 else 0.7 * s.draw_cost + 0.3 * draw
            s.frames += 1
            if s.interval > 0.0 and self.min_fps > 0 and not browser_bound:
                # Below the protected rate: less training for everyone; comfortably above
                # it: more (up to what the model allows, times 4).
                if s.interval > 1.0 / self.min_fps:
                    self._scale = max(0.02, self._scale * (1.0 - self.gain))
                elif s.interval < 1.0 / (1.25 * self.min_fps):
                    self._scale = min(4.0, self._scale * (1.0 + self.gain))
            if self.headroom:
                gap = cpu * self.headroom / (1 - self.headroom)
                self._free_at = max(self._free_at, now + gap)
            self._prune(now)
            self._dispatch(now)

    def forget(self, session: str) -> None:
        """Drop a session that stopped playing (it is pruned anyway after a while)."""
        with self._lock:
            busy = {w.session for w in self._waiting.values()} | set(self._running.values())
            if session not in busy:
                self._sessions.pop(session, None)

    # ---- how much work a frame may do ----------------------------------------------------------

    def playing(self) -> int:
        """Sessions that asked for a frame within ``active_window`` seconds."""
        now = self.clock()
        with self._lock:
            return sum(now - s.last_seen <= self.active_window
                       for s in self._sessions.values()) or 0

    def training_budget(self, session: str, requested: float) -> float:
        """Seconds of training this session's next frame may use, at most ``requested``.

        Each playing session's fair share is ``capacity × (1 − headroom) / playing``
        CPU seconds per second. While ``min_fps`` frames fit in that share with the
        requested training, the request stands; beyond, training shrinks first, so the
        boundary keeps moving for everyone, but never below ``min_training``. That model
        is corrected by the frame rates the sessions get (``release`` measures them): the
        modelled allowance is multiplied by a factor that falls while sessions get fewer
        than ``min_fps`` frames a second and rises while they get well over it.
        """
        requested = max(0.0, float(requested))
        now = self.clock()
        with self._lock:
            n = max(1, sum(now - s.last_seen <= self.active_window
                           for s in self._sessions.values()))
            s = self._sessions.get(session)
            draw = s.draw_cost if s is not None else 0.0
            scale = self._scale
        share = self.capacity * (1 - self.headroom) / n
        allowed = (share / self.min_fps - draw) * scale
        return min(requested, max(self.min_training, allowed))

    def stats(self) -> dict:
        """Counters for logs and tests."""
        now = self.clock()
        with self._lock:
            return {
                "sessions": len(self._sessions),
                "playing": sum(now - s.last_seen <= self.active_window
                               for s in self._sessions.values()),
                "waiting": len(self._waiting),
                "running": len(self._running),
                "frames": sum(s.frames for s in self._sessions.values()),
                "training_scale": self._scale,
            }
