"""Open a page the way a student does: run app.py (so navigation and page links work),
then switch to the page. Shared by the AppTest test files."""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def open_page(page_file: str, *, timeout: float = 60, query: dict | None = None) -> AppTest:
    """``AppTest`` of ``page_file`` (e.g. ``"app_pages/symmetry.py"``) after one run of app.py,
    with optional URL query parameters; asserts the page ran without an exception."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.run()
    for k, v in (query or {}).items():
        at.query_params[k] = v
    if page_file != "app_pages/home.py":
        at.switch_page(page_file).run()
    assert not at.exception, at.exception
    return at


def live_figures(at: AppTest) -> dict[str, dict]:
    """The figures of the live charts (``playground.ui.live_chart.live_chart``) on the page, as
    the JSON dicts sent to plotly.js, by key (``"boundary"``, ``"cost"``, ...)."""
    out = {}
    for el in at.get("bidi_component"):
        if el.proto.component_name == "nn_playground_live_chart":
            out[el.key] = json.loads(el.proto.bytes)["figure"]
    return out


def chart_figures(at: AppTest) -> dict[str, dict]:
    """Every chart's figure on the page as the JSON dict sent to the browser, by key: the
    live charts and those drawn by ``st.plotly_chart`` (keyed by their element id's end)."""
    out = {el.proto.id.rsplit("-", 1)[-1]: json.loads(el.proto.spec)
           for el in at.get("plotly_chart")}
    out.update(live_figures(at))
    return out


def button(at: AppTest, pattern: str):
    """The button whose whole label matches the regular expression ``pattern``."""
    for b in at.button:
        if re.fullmatch(pattern, b.label):
            return b
    raise AssertionError(f"no button {pattern!r}: {[b.label for b in at.button]}")


def play_pause(at: AppTest, key: str):
    """A playing page's Play/Pause button: two widgets, ``{key}_play`` and ``{key}_pause``,
    one drawn at a time (``LiveLoop.play_button``)."""
    keys = {b.key for b in at.button}
    for k in (f"{key}_pause", f"{key}_play"):
        if k in keys:
            return at.button(key=k)
    raise AssertionError(f"no Play/Pause button {key!r}: {sorted(keys)}")


def open_expander(at: AppTest, key: str) -> AppTest:
    """Open a lazy expander (``on_change="rerun"``: its widgets are drawn only while it is
    open), as a click on its header does, and run."""
    at.session_state[key] = True
    return at.run()
