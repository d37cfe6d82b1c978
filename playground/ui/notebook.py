"""The Playground's "Download as notebook" button (issue 15): the run as a Jupyter notebook
(``playground.lab.notebook`` writes it; this module only finds what the page knows: the
uploaded points, the page's address)."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from playground.engine.trainer import Trainer
from playground.lab import config as C
from playground.lab import notebook
from playground.lab.config import Config


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
        notebook.file_name(cfg, trainer.iteration), "application/x-ipynb+json",
        icon=":material/code_blocks:", on_click="ignore", key="download_notebook",
        help="A Jupyter notebook that trains this run again in plain NumPy, with the "
             "Playground's own functions, and checks that it gets the same cost and "
             "accuracy. It needs NumPy, scikit-learn and plotly, not this app.")
