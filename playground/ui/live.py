"""The one live loop of every page that plays (the Playground, Symmetry breaking).

A page builds a :class:`LiveLoop` in each of its runs with what it trains (a
:class:`OneTrainer` or a :class:`Lockstep` group), draws the Play/Pause button with
:meth:`LiveLoop.play_button` and hands its live part to :meth:`LiveLoop.run`::

    loop = LiveLoop("symmetry", Lockstep(group), playing_key="sym_playing",
                    charts=("sym_cost", ...), speed=ss["sym_w_speed"])
    loop.play_button(key="sym_play")

    def live_view(frame: LiveFrame):      # layout only: the loop trained already
        frame.badge()
        st.markdown(f"**Iteration {group.iteration:,}**")
        frame.shown()                      # the iteration is on the page
        frame.chart(fig, key="sym_cost")   # every chart of ``charts``

    loop.run(live_view)

Each run of the live fragment takes its turn in the process-wide pacer
(``session.paced``: fair among every student playing on this server, clicks first), then,
while playing and once the browser has drawn the frame sent before
(``session.start_frame``), trains one frame: as many iterations as the speed and the
pacer's training budget allow, in chunks that end at Pause (``session.train_in_chunks``),
the frame kept in the page's ``FrameRing`` so that Pause puts the trainers back to the
frame the browser drew last (``session.pause_at_drawn``). A frame that reaches a stop (a
lesson's stop, divergence) stops playing and redraws the whole page. Then the page's
``draw`` draws the frame.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import streamlit as st

from playground.engine.trainer import Trainer
from playground.lab import symmetry as S
from playground.lab.symmetry import LockstepGroup
from playground.ui import live_chart as ui_chart
from playground.ui import session as ui

__all__ = ["LiveFrame", "LiveLoop", "Lockstep", "OneTrainer", "Trainee"]

MAX_FRAME_ELAPSED = 1.0  # one Playground frame trains at most a second's worth at a rate


class Trainee(Protocol):
    """What a live loop trains: one Trainer or a group trained in lockstep."""

    @property
    def trainers(self) -> Sequence[Trainer]: ...

    def step(self, n: int) -> int:
        """Train ``n`` iterations; returns those done (fewer: a stop, a divergence)."""

    def seconds_per_iteration(self) -> float:
        """Seconds one iteration of the whole trainee takes (all its networks)."""

    def frame_iterations(self, rate: float | None, elapsed: float | None) -> int:
        """Iterations of one frame at ``rate`` iterations per second (None: as many as
        the frame's training budget allows), ``elapsed`` seconds after the frame before
        (None: the first frame of a Play)."""

    def finished(self) -> bool:
        """After a frame: whether playing stops here (a stop reached, divergence)."""

    def can_play(self) -> bool: ...

    def status(self) -> tuple[int, bool, str]:
        """``(iteration, diverged, stop label)`` for the status badge."""


@dataclass
class OneTrainer:
    """The Playground's one network, with the config's stop conditions."""

    trainer: Trainer
    stop_cost: float = 0.0
    stop_iterations: int = 0

    @property
    def trainers(self) -> Sequence[Trainer]:
        return (self.trainer,)

    def step(self, n: int) -> int:
        return self.trainer.step(n, stop_cost=self.stop_cost,
                                 stop_iterations=self.stop_iterations)

    def seconds_per_iteration(self) -> float:
        return self.trainer.seconds_per_iteration

    def frame_iterations(self, rate: float | None, elapsed: float | None) -> int:
        """The rate × the time that really passed since the last frame (frames come later
        than FRAME_SECONDS when the browser or the server is busy), up to a second's
        worth, capped so that training takes at most the frame's budget
        (``session.frame_training_seconds``: less when the pacer says the server is
        shared by many)."""
        per_it = self.trainer.seconds_per_iteration
        if not np.isfinite(per_it) or per_it <= 0:
            per_it = 2e-4
        budget = max(1, int(ui.frame_training_seconds() / per_it))
        if rate is None:
            return budget
        seconds = ui.FRAME_SECONDS if elapsed is None else min(
            max(elapsed, ui.FRAME_SECONDS), MAX_FRAME_ELAPSED)
        return max(1, min(budget, int(rate * seconds)))

    def finished(self) -> bool:
        return self.trainer.diverged or bool(self.trainer.stopped_reason)

    def can_play(self) -> bool:
        return not self.trainer.diverged

    def status(self) -> tuple[int, bool, str]:
        t = self.trainer
        return t.iteration, t.diverged, ui.stop_label(t)


@dataclass
class Lockstep:
    """The Symmetry page's networks, trained together (``lab.symmetry.LockstepGroup``)."""

    group: LockstepGroup

    @property
    def trainers(self) -> Sequence[Trainer]:
        return self.group.trainers

    def step(self, n: int) -> int:
        return self.group.step(n)

    def seconds_per_iteration(self) -> float:
        return sum(self.group.seconds_per_iteration())

    def frame_iterations(self, rate: float | None, elapsed: float | None) -> int:
        """Drawing several networks can take the browser longer than a frame: the frame
        stands for the time that really passed (up to 3 frames, ``S.frame_seconds``),
        and its training budget stretches alike, so the speed stays the one chosen."""
        seconds = S.frame_seconds(elapsed, ui.FRAME_SECONDS)
        return S.frame_iterations(self.group.seconds_per_iteration(), rate, seconds,
                                  ui.frame_training_seconds() * seconds / ui.FRAME_SECONDS)

    def finished(self) -> bool:
        return self.group.all_diverged

    def can_play(self) -> bool:
        return not self.group.all_diverged

    def status(self) -> tuple[int, bool, str]:
        # Each column says its own divergence; the badge speaks of playing only.
        return self.group.iteration, False, ""


@dataclass(frozen=True)
class LiveFrame:
    """One drawing of a page's live part. ``serial``: the frame sent to the browser (None
    while not playing); pass every live chart through :meth:`chart`."""

    loop: LiveLoop
    serial: int | None

    @property
    def playing(self) -> bool:
        return self.loop.playing

    def chart(self, fig, *, key: str, **kwargs) -> None:
        """A live chart of this frame: the browser reports the frame once it drew all the
        loop's charts (``charts``)."""
        if key not in self.loop.charts:
            raise ValueError(f"{key!r} is not one of the loop's live charts")
        ui_chart.live_chart(fig, key=key, frame=self.serial, group=self.loop.charts,
                            **kwargs)

    def badge(self) -> None:
        """The status badge: training, paused, ready, diverged or the stop reached."""
        iteration, diverged, stopped = self.loop.trainee.status()
        ui.status_badge(self.playing, iteration, diverged=diverged, stopped=stopped)

    @staticmethod
    def shown() -> None:
        """The frame's iteration is on the page: a Pause from now on keeps this frame."""
        ui.frame_shown()


class LiveLoop:
    """The live part of a page that plays; build it once per page run.

    Parameters
    ----------
    name : the page's name: its ``FrameRing`` and session keys (``"playground"``).
    trainee : what Play trains (:class:`OneTrainer`, :class:`Lockstep`).
    playing_key : the session-state key of "playing" (True between Play and Pause).
    charts : the keys of the live charts: a frame is drawn once the browser drew them all.
    speed : the play speed (a key of ``session.SPEED_RATES``).
    """

    def __init__(self, name: str, trainee: Trainee, *, playing_key: str,
                 charts: Sequence[str], speed: str) -> None:
        ss = st.session_state
        self.name = name
        self.trainee = trainee
        self.playing_key = playing_key
        self.charts = tuple(charts)
        self.speed = speed
        self.ring = ui.frame_ring(name)
        self._key = f"_live_{name}"
        # The page run's token: a click acts once per drawing of its button (see _toggle).
        self.token = ss[self._key + "_token"] = ss.get(self._key + "_token", 0) + 1
        ss.setdefault(playing_key, False)
        self.playing_at_page_run = bool(ss[playing_key])

    @property
    def playing(self) -> bool:
        return bool(st.session_state.get(self.playing_key, False))

    # ---- Play and Pause --------------------------------------------------------------

    def play_button(self, *, key: str, help: str | None = None) -> None:  # noqa: A002
        """The Play/Pause button (primary; disabled when nothing can train), in a container
        keyed ``key``.

        Play and Pause are two widgets (keys ``{key}_play`` and ``{key}_pause``), drawn one
        at a time. While a fragment reruns, the browser can deliver one click twice (with
        a fragment run and again with the page run). With one widget for both, the second
        delivery could arrive after the page had redrawn the button, with the redrawn
        button's arguments: Pause, then the page playing again by itself (about once in 20
        cycles on the Symmetry page, seen again once in ~130 after a 1.5 s echo window).
        With two widgets a late delivery names the Pause widget: while its drawing is
        still registered, its arguments carry that drawing's token, already used
        (``_toggle``); once the page run that drew Play has finished, Streamlit has
        dropped the Pause widget and calls nothing. A person's Play, however soon, is a
        click on the Play widget."""
        playing = self.playing
        with st.container(key=key, width="content"):
            st.button("Pause" if playing else "Play", type="primary",
                      key=f"{key}_{'pause' if playing else 'play'}",
                      icon=":material/pause:" if playing else ":material/play_arrow:",
                      on_click=self._toggle, args=(not playing, self.token),
                      disabled=not self.trainee.can_play(), help=help)

    def _toggle(self, play: bool, token: int) -> None:
        # A click acts once per drawing of its button (``token``: the page run that drew
        # it): a second delivery of the same click finds the token used (play_button).
        ss = st.session_state
        if ss.get(self._key + "_play_done") == token:
            return
        ss[self._key + "_play_done"] = token
        if play:
            ui.play_started(self.ring)
            ss[self.playing_key] = self.trainee.can_play()
            ss.pop(self._key + "_last_frame", None)  # the first frame: one frame's worth
        else:
            # Back to the frame the browser last drew: the page stops where the student
            # pressed Pause, not where the server had got to.
            ui.pause_at_drawn(self.ring, self.charts, self.playing_key)

    # ---- the live fragment -------------------------------------------------------------

    def run(self, draw: Callable[[LiveFrame], None]) -> None:
        """Declare and run the page's live fragment: each run takes its turn in the pacer,
        trains a frame while playing, then ``draw(frame)`` draws it. While playing the
        fragment reruns on the charts' reports (``session.play_rerun_every``)."""
        self.playing_at_page_run = self.playing  # what the auto-rerun is declared for

        def live() -> None:
            self._live(draw)

        # The fragment is known by the page's function (its module and name), as before.
        functools.update_wrapper(live, draw)
        st.fragment(ui.paced(live), run_every=ui.play_rerun_every(self.playing_at_page_run))()

    def _live(self, draw: Callable[[LiveFrame], None]) -> None:
        ss = st.session_state
        playing = self.playing
        if playing != self.playing_at_page_run and ss.get(self._key + "_rerun") != self.token:
            # Pause (or Play) was delivered with a fragment run only (the browser sends a
            # click together with a chart's report when both come in one task): the page
            # must run again to switch the button and the auto-rerun over. Asked once per
            # page run; a second delivery of the click finds the button's token used.
            ss[self._key + "_rerun"] = self.token
            st.rerun()
        serial = None
        if not playing:
            ss.pop(self._key + "_last_frame", None)
        elif ui.start_frame(self.ring, self.charts):
            self._train_frame()
            serial = ui.send_frame(self.ring, self.trainee.trainers)
        else:
            serial = self.ring.sent  # the browser has not drawn the last frame: again
        draw(LiveFrame(self, serial))

    def _train_frame(self) -> None:
        """One frame's training, in chunks that end at Pause; a frame that Pause stops
        before it showed its iteration is undone (``session.paced``). A stop reached
        stops playing and redraws the whole page (the button, the views below)."""
        ss = st.session_state
        t = self.trainee
        now = time.monotonic()
        last = ss.get(self._key + "_last_frame")
        ss[self._key + "_last_frame"] = now
        n = t.frame_iterations(ui.SPEED_RATES.get(self.speed),
                               None if last is None else now - last)
        ui.frame_checkpoint(*t.trainers)
        self.ring.begin(t.trainers)
        ui.train_in_chunks(t.step, n, t.seconds_per_iteration(),
                           playing=lambda: self.playing, lock=self.ring.lock)
        if t.finished():
            ss[self.playing_key] = False
            ui.frame_shown()  # the page reruns to show where it stopped: keep it
        if not self.playing:  # stopped, or Pause came meanwhile: redraw the whole page
            st.rerun()
