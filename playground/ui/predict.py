"""Predict, then run: the one helper that draws a question and, once the run is there,
its verdict (the questions and the verdicts' numbers: ``playground.lab.predictions``).

The student's answers live in the session, one per question (``predict_answers``), so an
answer given on a lesson card is the one the Playground judges. ``?predict=off`` in a
page's URL turns the questions off for the rest of the session (a teacher's demo);
``?predict=on`` brings them back.
"""

from __future__ import annotations

import streamlit as st

from playground.core import text as fmt
from playground.engine.trainer import Trainer
from playground.lab import config as C
from playground.lab import predictions as P
from playground.lab.config import Config
from playground.lab.predictions import Measurements, Question
from playground.ui import session as ui

_ON = "predict_on"  # the last ?predict= this session saw (True when none)
_ANSWERS = "predict_answers"  # {question key: the outcome picked}
_RESULTS = "predict_results"  # {question key: Measurements where the run was judged}


def enabled() -> bool:
    """Whether the questions are asked. Reads ``?predict=`` (remembered for the session:
    a lesson's Open and the page links do not carry it) and says so, once per page run,
    when its value is neither on nor off. Call it once near the top of a page."""
    ss = st.session_state
    raw = st.query_params.get(C.PREDICT)
    if raw is not None:
        on, notice = C.parse_predict(raw)
        ss[_ON] = on
        if notice:
            st.warning(f"The link's {notice}.", icon=":material/link_off:")
    return _on()


def _on() -> bool:
    return bool(st.session_state.get(_ON, True))


def answer(q: Question) -> str | None:
    """The outcome the student picked for ``q`` in this session, or None."""
    return st.session_state.get(_ANSWERS, {}).get(q.key)


def _widget_key(q: Question) -> str:
    return f"predict_w_{q.key}"


def _remember(q: Question) -> None:
    label = st.session_state.get(_widget_key(q))
    answers = st.session_state.setdefault(_ANSWERS, {})
    if label in q.labels:
        answers[q.key] = q.outcomes[q.labels.index(label)]
    else:
        answers.pop(q.key, None)


def _ask(q: Question, *, locked: bool, horizontal: bool) -> str | None:
    """The question as a radio, showing the remembered answer (a widget's own value is
    forgotten on the pages that do not draw it)."""
    picked = answer(q)
    st.session_state[_widget_key(q)] = q.label_of(picked) if picked else None
    st.radio(f":material/quiz: **Predict, then run.** {q.text}", q.labels,
             key=_widget_key(q), on_change=_remember, args=(q,), disabled=locked,
             horizontal=horizontal,
             help="Pick before you run. Your answer is kept for this session"
                  + ("; it is locked once the run is there (Reset to try again)."
                     if locked else "."))
    return picked


def show_verdict(q: Question, m: Measurements, *, picked: str | None = None) -> None:
    """The verdict, computed from the run's numbers ``m``, on ``picked`` (the answer the
    run was started with) or else the remembered answer."""
    if not _on():
        return
    picked = answer(q) if picked is None else picked
    v = P.judge(q, picked, m)
    where = f"At iteration {fmt.count(v.iteration)}: {v.why}."
    if picked is None:
        st.info(f"**The run gave: {v.actual}.** {where} (No prediction was picked.)",
                icon=":material/quiz:")
    elif v.held:
        st.success(f"**{v.headline}** {where}", icon=":material/check_circle:")
    else:
        st.warning(f"**{v.headline}** {where}", icon=":material/cancel:")


def block(q: Question, m: Measurements | None = None, *, waiting: str = "", note: str = "",
          locked: bool | None = None, horizontal: bool = False) -> None:
    """The question and, when ``m`` is given (the run reached the point the question is
    about), its verdict; else ``waiting`` says where the verdict will come. While a
    verdict stands the answer is locked (unless ``locked`` says otherwise) and only the
    verdict is shown: it names the answer, and the charts below stay high on the page."""
    if not _on():
        return
    locked = m is not None if locked is None else locked
    with st.container(border=True, key=f"predict_{q.key}"):
        if m is None or not locked:
            _ask(q, locked=locked, horizontal=horizontal)
        if note:
            st.caption(note)
        if m is not None:
            show_verdict(q, m)
        elif waiting:
            st.caption(waiting)


def stored(q: Question) -> Measurements | None:
    """Where the run of ``q`` was judged last in this session, if it still stands."""
    return st.session_state.get(_RESULTS, {}).get(q.key)


def playground_block(cfg: Config, trainer: Trainer) -> None:
    """On the Playground: the question of the lesson this run is (its data, network,
    training settings and stop), judged when the trainer reaches the lesson's iteration
    (or diverges on the way). What it measured there stays while the run goes on past
    the stop; Reset (or a new run) clears it."""
    if not _on():
        return
    lifted = ui.lifted_stop("stop_iterations")
    q = P.question_for_run(cfg, cfg.stop_iterations or (lifted[0] if lifted else 0))
    if q is None:
        return
    results = st.session_state.setdefault(_RESULTS, {})
    if trainer.diverged or trainer.iteration == q.iteration:
        results[q.key] = P.measure(trainer)
    elif trainer.iteration < q.iteration:
        results.pop(q.key, None)
    elif q.key not in results:
        results[q.key] = P.measure(trainer)
    block(q, results.get(q.key), horizontal=True,
          waiting=f"Play or Step: at iteration {fmt.count(q.iteration)} the page says "
                  "whether your prediction held, from the run's numbers.")
