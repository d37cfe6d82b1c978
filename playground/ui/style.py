"""The app's page setup and the few style rules the theme cannot express. A Streamlit UI
helper, like ``playground.ui.session``.

Colours, fonts, heading sizes and the space above the title are theme settings in
``.streamlit/config.toml``; what is here is CSS only where Streamlit 1.67 has no setting:

- inline code is drawn at 0.75 em of its text, 10.5 px in a caption: make it legible;
- formulas wider than their column scroll where a keyboard cannot reach them: let their
  row of columns wrap instead;
- on screens narrower than a laptop (a tablet in portrait, with the sidebar open) columns
  of charts shrink to ~150 px: stack them instead, each at full width;
- classroom mode (a link with ``hide=``, projected at the front of a room): larger text.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
# Served by the app itself (st.set_page_config turns a local image into a media URL): a
# Material icon name would be fetched from a font host, which fails offline.
FAVICON = ROOT / "static" / "favicon.png"
PAGE_TITLE = "NN Playground"
# Below this viewport width, columns that hold charts are stacked (see module docstring).
STACK_CHARTS_BELOW_PX = 1024

# A chart's column: a column of a row of columns that holds a live chart or a Plotly chart.
_CHART_ROW = ('[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] '
              ':is(.nn-live-chart, [data-testid="stPlotlyChart"]))')

_FORMULA_ROW = ('[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] '
                '.katex-display)')

BASE_CSS = f"""
/* Inline code (not code blocks): Streamlit draws it at 0.75em, 10.5 px in a caption. */
:not(pre) > code {{ font-size: 0.9em; }}
[data-testid="stCaptionContainer"] :not(pre) > code {{ font-size: 0.95em; }}
/* Formulas (st.latex) scroll sideways when wider than their column, and a scroll region
   a keyboard cannot reach is an accessibility failure (axe: scrollable-region-focusable).
   KaTeX overhangs its box by 2 px: the padding takes it in. Beside a phone's stacked
   columns (where a formula may still scroll), a row of formula columns wraps instead of
   squeezing a formula below its width. */
.katex-display {{ padding-right: 4px; }}
@media (min-width: 640px) {{
  {_FORMULA_ROW} {{ flex-wrap: wrap; }}
  {_FORMULA_ROW} > [data-testid="stColumn"] {{ min-width: min-content; }}
}}
/* Symmetry page: three networks' heading and metrics in a 252 px column (1280 px with the
   sidebar): the three metrics on one line, so the boundaries below them start above the
   fold of a 1280 x 720 projector.
   Prefixed with stMain so that these rules outrank the classroom mode's larger metrics
   (CLASSROOM_CSS, same selectors otherwise, sent later): in classroom mode they would wrap
   onto two lines. */
[data-testid="stMain"] [class*="st-key-sym_col_"] h2 {{ font-size: 1.5rem; padding: 0.25rem 0 0; }}
[data-testid="stMain"] [class*="st-key-sym_col_"] [data-testid="stMetricLabel"] p {{
  font-size: 0.75rem; }}
[data-testid="stMain"] [class*="st-key-sym_col_"] [data-testid="stMetricValue"] {{
  font-size: 1.3rem; }}
/* Symmetry page: the title and the colour key beside it. Below a laptop's width (a tablet
   in portrait) the key's 3/5 of the row wraps the title onto two lines: stack them. */
@media (max-width: {STACK_CHARTS_BELOW_PX - 1}px) {{
  .st-key-sym_title_row [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
  .st-key-sym_title_row [data-testid="stColumn"] {{ min-width: 100%; flex: 1 1 100%; }}
}}
/* The Playground's run row (Reset, Step ×1,000, Play, New seed and three view toggles) is
   ~735 px of controls in the 820 px beside the sidebar at 1280 px: with the default 16 px
   gaps a lesson's "Step ×1,000" wrapped "Log cost" onto a second line, pushing the charts
   below the fold of a projector. */
[data-testid="stMain"] .st-key-run_controls {{ column-gap: 0.625rem; }}
/* Toasts (st.toast): Streamlit pins them top-right, over the right end of a page's button
   row for their ~4 s. Bottom-right instead, where no control is. */
[data-testid="stToastContainer"] {{ top: auto !important; bottom: 1rem; right: 1rem; }}
@media (max-width: {STACK_CHARTS_BELOW_PX}px) {{
  {_CHART_ROW} {{ flex-wrap: wrap; }}
  {_CHART_ROW} > [data-testid="stColumn"] {{ min-width: 100%; flex: 1 1 100%; }}
}}
"""

# Classroom mode: text for the back of the room, the numbers larger. Charts keep their own
# sizes (chosen so they stay above the fold of a 1280 x 720 projector), and so does the
# button row (larger buttons would wrap it onto a second line, pushing the charts down).
CLASSROOM_CSS = """
[data-testid="stMain"] .stMarkdown p, [data-testid="stMain"] .stMarkdown li {
  font-size: 1.15rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.05rem; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.05rem; }
[data-testid="stMain"] [data-testid="stMetricValue"] { font-size: 2.25rem; }
"""


def page_config() -> None:
    """``st.set_page_config`` for every page: wide, the local favicon, and the sidebar
    hidden on phones ("auto": Streamlit collapses it on narrow screens)."""
    st.set_page_config(page_title=PAGE_TITLE, page_icon=str(FAVICON), layout="wide",
                       initial_sidebar_state="auto")


def apply() -> None:
    """The app's CSS, sent as style-only HTML (Streamlit puts it in the event container,
    where it takes no space on the page). app.py calls it for every page."""
    st.html(f"<style>{BASE_CSS}</style>")


def classroom(on: bool) -> None:
    """Larger text for a projected lesson: a page calls it with whether its
    configuration hides something (classroom mode, ``?hide=...``)."""
    if on:
        st.html(f"<style>{CLASSROOM_CSS}</style>")
