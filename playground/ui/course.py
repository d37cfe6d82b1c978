"""The course notebook's print-out, next to the Playground's cost chart (issue 15, part 4)."""

from __future__ import annotations

import streamlit as st

from playground.engine.trainer import Trainer
from playground.lab import course
from playground.lab.config import Config


def printout(trainer: Trainer, cfg: Config, n_user_points: int = 0) -> None:
    """The lines the notebook prints ("Cost after iteration 0: 0.693048", every 1,000),
    computed from this run; a warning naming what is no longer the notebook's, if any."""
    nb = course.NOTEBOOKS[cfg.course]
    lines = course.printout(trainer, cfg.course)
    st.markdown(f"**The notebook's print-out** · {nb.assignment}",
                help=f"What `{nb.call}` prints, computed from this run's parameters at "
                     f"every {nb.print_every:,}th iteration, before its update, with the "
                     f"notebook's compute_cost. {nb.digits_note}")
    st.code("\n".join(lines) if lines else
            f"(Step or Play: the notebook prints iteration 0, then every {nb.print_every:,}.)",
            language=None)
    differences = course.differences(cfg, n_user_points)
    if differences:
        st.warning("This print-out no longer matches the notebook's: "
                   + "; ".join(differences) + ". Choose the notebook again under Data to "
                   "run it as it is.", icon=":material/difference:")
