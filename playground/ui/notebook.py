"""The Playground's "Download as notebook" button (issue 15): the run as a Jupyter notebook
(``playground.lab.notebook`` writes it; this module only finds what the page knows: the
uploaded points, the page's address)."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from playground.engine.trainer import Trainer, trainer_from_config
from playground.lab import config as C
from playground.lab import notebook
from playground.lab.config import Config
from playground.lab.lessons import LESSONS_BY_KEY, Variant, lesson_data

MIME = "application/x-ipynb+json"


def playground_url(cfg: Config) -> str:
    """The address of this experiment: the page's URL with the config's query."""
    base = str(getattr(st.context, "url", "") or "").split("?")[0]
    query = urlencode(cfg.to_query(), safe=",")
    return base + ("?" + query if query else "")


def download_button(cfg: Config, trainer: Trainer) -> None:
    """A download button for the notebook of ``trainer``'s run, as it is now."""
    uploaded = st.session_state.get("upload_data") if cfg.dataset == C.UPLOAD else None
    nb = notebook.experiment_notebook(cfg, trainer, url=playground_url(cfg), uploaded=uploaded)
    st.download_button(
        "Download as notebook", notebook.notebook_bytes(nb),
        notebook.file_name(cfg, trainer.iteration), MIME,
        icon=":material/code_blocks:", on_click="ignore", key="download_notebook",
        help="A Jupyter notebook that trains this run again in plain NumPy, with the "
             "Playground's own functions, and checks that it gets the same cost and "
             "accuracy. It needs NumPy, scikit-learn and plotly, not this app.")


@functools.lru_cache(maxsize=32)
def lesson_notebook(lesson_key: str, variant_label: str, url: str) -> bytes:
    """The notebook of a lesson's run, trained as the Playground trains it (float32, the
    same data and seeds) up to the lesson's iteration, whose numbers its last cell checks."""
    variant = LESSONS_BY_KEY[lesson_key].variant(variant_label)
    cfg = variant.config
    trainer = trainer_from_config(cfg, *lesson_data(cfg), dtype=np.float32)
    trainer.step(variant.expect.iterations)
    return notebook.notebook_bytes(notebook.experiment_notebook(cfg, trainer, url=url))


def lesson_download_button(lesson_key: str, variant: Variant) -> None:
    """On a lesson card: the notebook of its run. Built when the button is pressed (a
    callable: the Lessons page does not train every card's run to draw its cards)."""
    cfg = variant.config
    base = str(getattr(st.context, "url", "") or "").split("?")[0].rsplit("/", 1)[0]
    query = urlencode(cfg.to_query(), safe=",")
    url = f"{base}/playground" + ("?" + query if query else "")
    st.download_button(
        "Notebook", lambda: lesson_notebook(lesson_key, variant.label, url),
        notebook.file_name(cfg, variant.expect.iterations), MIME,
        icon=":material/code_blocks:", on_click="ignore", key=f"notebook_{lesson_key}",
        help="A Jupyter notebook that trains this lesson's run in plain NumPy, with the "
             "Playground's own functions, to the lesson's iteration, and checks that it "
             "gets the Playground's cost and accuracy.")
