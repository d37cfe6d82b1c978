"""A plane that adds a point where it is clicked. A Streamlit UI helper.

``st.plotly_chart``'s selection events (Streamlit 1.67) report only existing points: a
click on an empty part of the plane does nothing, and a click near the data snaps to the
nearest data point. :func:`click_plane` draws the figure through a small custom component
(``st.components.v2``, ``playground/ui/click_plane.js``) that converts the clicked pixel
into data coordinates with the plane's own axes (``xaxis.p2c``, ``yaxis.p2c``) and sends
them as a trigger value: one event per click, gone after the run it caused, so a rerun
never adds the point again. Each click also carries an id, so a click that Streamlit
delivers twice is still added once.

The pure part, :func:`add_point`, is tested without a browser; the component itself by
``tests/browser/test_journey_points.py``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import streamlit as st

from playground.figures.wire import to_json
from playground.ui.live_chart import plotly_js_url

__all__ = ["add_point", "click_plane", "parse_click"]

_JS = Path(__file__).with_name("click_plane.js").read_text(encoding="utf-8")
SEEN_CLICKS = 64  # ids of the last clicks kept to drop a click delivered twice


@lru_cache(maxsize=1)
def _component():
    return st.components.v2.component("nn_playground_click_plane", js=_JS,
                                      isolate_styles=False)


def parse_click(value) -> tuple[float, float, str] | None:
    """``(x, y, id)`` of a click event sent by the component, or None for anything else
    (no click this run, or a malformed or non-finite one)."""
    if not isinstance(value, dict):
        return None
    x, y, cid = value.get("x"), value.get("y"), value.get("id")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (x, y)):
        return None
    if not (math.isfinite(x) and math.isfinite(y)) or not isinstance(cid, str):
        return None
    return float(x), float(y), cid


def add_point(user: tuple[np.ndarray, np.ndarray] | None, x: float, y: float,
              label: int) -> tuple[np.ndarray, np.ndarray]:
    """The user's points ``(X (2, k), Y (1, k))`` with ``(x, y)`` of class ``label``
    appended as a new last column (``user`` None: no points yet)."""
    if label not in (0, 1):
        raise ValueError(f"the class of a point is 0 or 1, got {label!r}")
    xy = np.array([[x], [y]], dtype=np.float64)
    yl = np.array([[float(label)]])
    if user is None:
        return xy, yl
    return np.hstack([user[0], xy]), np.hstack([user[1], yl])


def click_plane(fig, *, key: str, on_click: Callable[[float, float], None]) -> bool:
    """Draw ``fig`` (a figure or a ``{"data", "layout"}`` spec) and call ``on_click(x, y)``
    once per click on its plot area, with the data coordinates clicked, before the run
    the click causes. Returns False (and draws nothing) where plotly.js cannot be served
    to the component (``ui_chart.plotly_js_url`` is None): the caller then falls back."""
    url = plotly_js_url()
    if url is None:
        return False
    seen_key = f"_{key}_seen_clicks"

    def _clicked():
        value = st.session_state.get(key)
        click = parse_click(value.get("click") if isinstance(value, Mapping)
                            else getattr(value, "click", None))
        if click is None:
            return
        x, y, cid = click
        seen = st.session_state.setdefault(seen_key, [])
        if cid in seen:  # the same click delivered twice
            return
        seen.append(cid)
        del seen[:-SEEN_CLICKS]
        on_click(x, y)

    payload = ('{"figure":' + to_json(fig) + ',"config":'
               + json.dumps({"displayModeBar": False}) + ',"plotly":' + json.dumps(url) + "}")
    _component()(data=payload.encode("utf-8"), key=key, on_click_change=_clicked)
    return True
