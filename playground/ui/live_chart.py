"""Live Plotly charts that update in place. A Streamlit UI helper, like ``playground.ui.session``.

``st.plotly_chart`` (Streamlit 1.67) derives each chart's element id from its figure, so a
chart whose data changes is unmounted and plotted anew by the browser at every rerun:
while the Playground plays, the boundary and the cost curve go blank five times a
second (streamlit/streamlit#8782; the fix, streamlit/streamlit#16052, is not released).
:func:`live_chart` draws the same figure through a small custom component
(``st.components.v2``, ``playground/ui/live_chart.js``) that keeps one plotly.js chart per
key and hands it each new figure with ``Plotly.react``: no blank frame, and a student's
zoom survives the updates (the figures' ``uirevision``).

plotly.js comes from the app's ``static/`` folder, which Streamlit serves at
``app/static/`` (config: ``server.enableStaticServing``). Two bundles:

* ``static/plotly.js-cartesian-<version>.min.js``, committed: plotly.js's own "cartesian"
  bundle (npm ``plotly.js-cartesian-dist-min``, MIT, ``static/plotly.js-LICENSE.txt``),
  1.5 MB where the whole plotly.js is 4.8 MB. It draws every trace type the app uses but
  WebGL (``CARTESIAN_TRACES``), and a page opens about a second sooner when it parses
  a third of the JavaScript (measured by ``benchmarks/bench_browser.py``, see
  docs/performance.md). Used when its version is the plotly package's plotly.js.
* the copy inside the plotly package (``plotly/package_data/plotly.min.js``), copied into
  ``static/``: for a figure with any other trace type (``scattergl``, more than
  ``figures.boundary.SCATTERGL_THRESHOLD`` points), or when the cartesian file is missing or of
  another version.

Where that folder cannot be written, or static serving is off, :func:`live_chart` falls
back to ``st.plotly_chart``.

Every chart has a text alternative (``alt``): the live chart's element gets
``role="img"`` and ``aria-label``; the fallback puts the text in a visually hidden element
before the chart. A chart's text should state what it shows now, computed from the data
(``playground.figures.alt_text``).
"""

from __future__ import annotations

import html
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

from playground.figures import alt_text as figures_alt
from playground.figures.wire import to_json

__all__ = ["CARTESIAN_TRACES", "cartesian_plotly_js", "install_plotly_js", "live_chart",
           "plotly_js_url", "reports_drawn"]

# The trace types of plotly.js's cartesian bundle (its README).
CARTESIAN_TRACES = frozenset({
    "bar", "box", "contour", "heatmap", "histogram", "histogram2d", "histogram2dcontour",
    "image", "pie", "scatter", "scatterternary", "violin"})
# Charts are for reading: plotly's toolbar covered legend entries and subplot titles
# ("layer 2"). Dragging still zooms and a double click resets.
DEFAULT_CONFIG = {"displayModeBar": False, "displaylogo": False}
# Visually hidden, still read by screen readers (the fallback's text alternative).
_SR_ONLY = ("position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
            "clip:rect(0,0,0,0);white-space:nowrap;border:0")

ROOT = Path(__file__).resolve().parents[2]
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


@lru_cache(maxsize=1)
def cartesian_plotly_js() -> str | None:
    """The file name of plotly.js's cartesian bundle in ``static/`` when it is there and
    of the plotly package's plotly.js version (the figures' JSON is written for that
    version), else None."""
    name = f"plotly.js-cartesian-{plotly.offline.get_plotlyjs_version()}.min.js"
    return name if (STATIC / name).is_file() else None


def _trace_types(fig: go.Figure | dict) -> set[str]:
    data = fig.data if isinstance(fig, go.Figure) else fig.get("data", [])
    return {(t.type if isinstance(fig, go.Figure) else t.get("type")) or "scatter"
            for t in data}


def plotly_js_url(trace_types=frozenset()) -> str | None:
    """Where the browser finds a plotly.js that draws ``trace_types`` (the cartesian
    bundle where it does and is there, else the whole plotly.js), or None when it cannot
    be served."""
    if not st.get_option("server.enableStaticServing"):
        return None
    name = cartesian_plotly_js() if set(trace_types) <= CARTESIAN_TRACES else None
    if name is None:
        name = install_plotly_js()
    if name is None:
        return None
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + "/".join(p for p in (base, "app", "static", name) if p)


def reports_drawn() -> bool:
    """Whether live charts report the frame they drew (``live_chart(frame=)``): they do
    where they are the custom component, not the ``st.plotly_chart`` fallback."""
    return plotly_js_url() is not None


def _drawn_changed() -> None:
    """The ``on_drawn_change`` callback: nothing to do (the state is read where needed,
    ``playground.ui.session.drawn_frame``); Streamlit shows a component's state only for the
    names that have a callback."""


def live_chart(fig: go.Figure | dict, *, key: str, alt: str | None = None,
               config: dict | None = None, frame: int | None = None,
               group: tuple[str, ...] | list[str] = ()) -> None:
    """Draw ``fig`` like ``st.plotly_chart(fig, key=key, config=config)``, updated in
    place from one run to the next. ``fig`` is a figure or a ``{"data", "layout"}`` spec
    (a ``playground.figures`` ``*_spec`` builder's: cheaper, no plotly objects); it should
    set the height.

    alt : the chart's text alternative, what it shows now (``"Decision boundary at
        iteration 1,200: train accuracy 91.0 %"``): the chart's ``aria-label`` (with
        ``role="img"``). Every chart needs one (WCAG 1.1.1): without it (or with an
        empty one) the text is read off the figure (``figures_alt.describe_figure``:
        its axis titles and series), which says less; pages pass the data's sentence.
    config : plotly's config, over ``DEFAULT_CONFIG`` (no toolbar).
    frame, group : while a page plays, the serial of the frame this figure belongs to and
        the keys of all the charts of that frame (``key`` among them). Once the browser
        has drawn that frame in every chart of ``group``, one of them sets its state
        ``drawn`` to the serial (a rerun of the fragment it is in: the next frame), read
        with ``st.session_state[key]["drawn"]`` (``playground.ui.session.drawn_frame``)."""
    alt = " ".join(str(alt or "").split()) or figures_alt.describe_figure(fig)
    config = {**DEFAULT_CONFIG, **(config or {})}
    types = _trace_types(fig)
    url = plotly_js_url(types)
    if url is None:
        if not isinstance(fig, go.Figure):
            fig = go.Figure(fig)
        st.html(f'<div style="{_SR_ONLY}">{html.escape(alt)}</div>')
        st.plotly_chart(fig, key=key, config=config)
        return
    # "full" only beside a cartesian default: without it the whole plotly.js is the
    # default, the one promise that playground/ui/click_plane.js shares.
    cartesian = cartesian_plotly_js()
    bundle = "full" if cartesian and not url.endswith("/" + cartesian) else "default"
    # The figure's JSON exactly as st.plotly_chart would send it (typed arrays included),
    # sent as bytes: Streamlit forwards bytes as they are, where a dict would be searched
    # for data frames and JSON-encoded twice (once more to hash it), every frame.
    payload = ('{"figure":' + to_json(fig) + ',"config":' + json.dumps(config)
               + ',"plotly":' + json.dumps(url) + ',"bundle":' + json.dumps(bundle)
               + ',"alt":' + json.dumps(alt) + ',"name":' + json.dumps(key)
               + ',"frame":' + json.dumps(None if frame is None else int(frame))
               + ',"group":' + json.dumps(list(group or (key,))) + "}")
    if group:
        _component()(data=payload.encode("utf-8"), key=key, on_drawn_change=_drawn_changed)
    else:
        _component()(data=payload.encode("utf-8"), key=key)
