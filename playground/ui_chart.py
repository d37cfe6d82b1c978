"""Live Plotly charts that update in place. A Streamlit UI helper, like ``playground.ui``.

``st.plotly_chart`` (Streamlit 1.67) derives each chart's element id from its figure, so a
chart whose data changes is unmounted and plotted anew by the browser at every rerun:
while the Playground plays, the boundary and the cost curve go blank five times a
second (streamlit/streamlit#8782; the fix, streamlit/streamlit#16052, is not released).
:func:`live_chart` draws the same figure through a small custom component
(``st.components.v2``, ``playground/live_chart.js``) that keeps one plotly.js chart per
key and hands it each new figure with ``Plotly.react``: no blank frame, and a student's
zoom survives the updates (the figures' ``uirevision``).

plotly.js is the copy inside the plotly package (``plotly/package_data/plotly.min.js``),
put in the app's ``static/`` folder, which Streamlit serves at ``app/static/`` (config:
``server.enableStaticServing``). Where that folder cannot be written, or static serving
is off, :func:`live_chart` falls back to ``st.plotly_chart``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import plotly
import plotly.graph_objects as go
import streamlit as st

from playground import figures

__all__ = ["install_plotly_js", "live_chart", "plotly_js_url"]

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "static"
_JS = (Path(__file__).with_name("live_chart.js")).read_text(encoding="utf-8")
_LOG = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _component():
    # Registered once per process: a second registration under the same name only logs
    # a warning, but there is no reason to pay for it on every run.
    return st.components.v2.component("nn_playground_live_chart", js=_JS,
                                      isolate_styles=False)


@lru_cache(maxsize=1)
def install_plotly_js() -> str | None:
    """The file name of plotly.js in ``static/`` (copied there if needed), or None when
    that folder cannot be written. Runs once per process; a container image can run it
    at build time (deploy/Dockerfile)."""
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    # The version is in the name, so a browser never runs a cached older plotly.js.
    name = f"plotly-{plotly.offline.get_plotlyjs_version()}.min.js"
    target = STATIC / name
    try:
        if not (target.exists() and target.stat().st_size == source.stat().st_size):
            STATIC.mkdir(exist_ok=True)
            # Two server processes may start together: copy, then rename into place.
            fd, tmp = tempfile.mkstemp(dir=STATIC, suffix=".tmp")
            os.close(fd)
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
    except OSError as e:
        _LOG.warning("plotly.js could not be put in %s (%s): live charts fall back to "
                     "st.plotly_chart, which redraws from scratch", STATIC, e)
        return None
    return name


def plotly_js_url() -> str | None:
    """Where the browser finds plotly.js, or None when it cannot be served."""
    if not st.get_option("server.enableStaticServing"):
        return None
    name = install_plotly_js()
    if name is None:
        return None
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + "/".join(p for p in (base, "app", "static", name) if p)


def live_chart(fig: go.Figure | dict, *, key: str, config: dict | None = None) -> None:
    """Draw ``fig`` like ``st.plotly_chart(fig, key=key, config=config)``, updated in
    place from one run to the next. ``fig`` is a figure or a ``{"data", "layout"}`` spec
    of ``playground.figures`` (cheaper: no plotly objects); it should set the height."""
    url = plotly_js_url()
    if url is None:
        if not isinstance(fig, go.Figure):
            fig = go.Figure(fig)
        st.plotly_chart(fig, key=key, config=config or {})
        return
    # The figure's JSON exactly as st.plotly_chart would send it (typed arrays included),
    # sent as bytes: Streamlit forwards bytes as they are, where a dict would be searched
    # for data frames and JSON-encoded twice (once more to hash it), every frame.
    payload = ('{"figure":' + figures.to_json(fig) + ',"config":' + json.dumps(config or {})
               + ',"plotly":' + json.dumps(url) + "}")
    _component()(data=payload.encode("utf-8"), key=key)
