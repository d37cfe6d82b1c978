"""Layout rules every page keeps (issue 13, items 13, 17, 19 and the accessibility scan):
a favicon served by the app itself, headings that go down one level at a time, and a
theme whose captions keep 4.5:1 contrast. The browser side is
tests/browser/test_journey_layout.py."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import streamlit as st
from apptest import ROOT, open_page
from streamlit.testing.v1 import AppTest

from playground.ui import style as ui_style

PAGES = ["app_pages/home.py", "app_pages/lessons.py", "app_pages/playground.py",
         "app_pages/under_the_hood.py", "app_pages/symmetry.py", "app_pages/compare_activations.py",
         "app_pages/activation_functions.py", "app_pages/init_lab.py"]
LEVELS = {"title": 1, "header": 2, "subheader": 3}
# Streamlit draws a caption and the inline code in it at 60 % of its colour (measured with
# axe-core: the default text #2f2d2b gave captions #828180 on white).
CAPTION_OPACITY = 0.6
BACKGROUNDS = {"page": "#ffffff", "sidebar": "#f8f8f7"}


def test_favicon_is_a_local_png(monkeypatch):
    # Item 19: page_icon=":material/hub:" made the browser fetch the icon from a font
    # host, which fails offline. The icon is a file of the app, served by the app.
    seen = []
    real = st.set_page_config
    monkeypatch.setattr(st, "set_page_config", lambda **kw: (seen.append(kw), real(**kw)))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert seen, "app.py did not call st.set_page_config"
    icon = seen[-1]["page_icon"]
    assert not str(icon).startswith(":"), f"page_icon {icon!r} is fetched from a font host"
    path = Path(icon)
    assert path.is_file() and path.resolve().is_relative_to(ROOT), icon
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{icon} is not a PNG"
    assert path == ui_style.FAVICON
    assert seen[-1]["layout"] == "wide"
    # Phones start with the sidebar closed (Streamlit's "auto"): the page, not the controls.
    assert seen[-1]["initial_sidebar_state"] == "auto"


def _headings(at: AppTest) -> list[tuple[int, str]]:
    """The main area's headings in page order: (level, text), markdown headings included."""
    out = []
    for node in at.main:
        kind = getattr(node, "type", None)
        if kind in LEVELS:
            out.append((LEVELS[kind], node.value))
        elif kind == "markdown":
            m = re.match(r"^(#{1,6})\s+(.*)", node.value)
            if m:
                out.append((len(m.group(1)), m.group(2)))
    return out


@pytest.mark.parametrize("page", PAGES)
def test_headings_go_down_one_level_at_a_time(page):
    # Accessibility (axe heading-order): every page went from its title (h1) straight to
    # h3 subheaders.
    at = open_page(page)
    headings = _headings(at)
    assert headings and headings[0][0] == 1, f"{page}: the first heading is not the title: " \
                                             f"{headings[:3]}"
    assert [lvl for lvl, _ in headings].count(1) == 1, f"{page}: more than one title"
    for (before, text_before), (after, text) in zip(headings, headings[1:], strict=False):
        assert after <= before + 1, (f"{page}: {text!r} (h{after}) comes right after "
                                     f"{text_before!r} (h{before})")


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _faded(hex_colour: str, background: str, opacity: float) -> str:
    fg = [int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    bg = [int(background.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(opacity * f + (1 - opacity) * b):02x}"
                         for f, b in zip(fg, bg, strict=True))


def contrast(fg: str, bg: str) -> float:
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_helper_matches_axe():
    # The numbers axe-core reported before the theme changed: captions 3.88:1.
    assert _faded("#2f2d2b", "#ffffff", CAPTION_OPACITY) == "#828180"
    assert contrast("#828180", "#ffffff") == pytest.approx(3.88, abs=0.01)


@pytest.mark.parametrize("where", BACKGROUNDS)
@pytest.mark.parametrize("colour", ["textColor", "codeTextColor"])
def test_theme_captions_keep_4_5_to_1(where, colour):
    # Item 13: key explanations were 14 px grey captions at 3.9:1.
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    bg = BACKGROUNDS[where]
    faded = _faded(theme[colour], bg, CAPTION_OPACITY)
    assert contrast(faded, bg) >= 4.5, f"{colour} in a caption: {contrast(faded, bg):.2f}:1"
