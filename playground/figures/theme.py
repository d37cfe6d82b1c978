"""The charts' theme: sizes, fonts, colours, palettes, and the layout every figure shares.

Every builder of ``playground.figures`` takes its look from here, so that the pages read
alike (see ``docs/notation.md`` for the labels):

* Colours are colour-blind safe: class 1 / positive values are blue, class 0 / negative
  values are orange, ŷ = 0.5 and 0 are (near) white. Markers differ by shape as well.
* Projector-ready: tick, legend and axis text is ``TEXT_SIZE`` (18 px), nothing is smaller
  than ``SMALL_FONT_SIZE``, and every font is set on the layout itself, where Streamlit's
  theme does not override it (``axis``, ``base_layout``); lines are thick.
* The figures carry an empty template (plotly's default one is ~6.5 kB; Streamlit merges
  its own theme into the empty one).
* ``uirevision`` is constant (``UIREVISION``; a builder's keyword of the same name overrides
  it, e.g. with the data set's name), so a student's zoom survives live redraws.
* Titles are off by default (``title=None``): the pages show a subheader instead.

Sizes that belong to one chart (its default height, say) live in that chart's module.
"""

from __future__ import annotations

import plotly.graph_objects as go

from playground.core.nn import ACTIVATIONS

# --------------------------------------------------------------------------------------
# Text.
# --------------------------------------------------------------------------------------

# The text size of the charts' theme: tick labels, legends and axis titles, in px. 18 px
# reads from the back of a classroom on a projector (issue 13); live_chart.js scales every
# font of a chart narrower than a phone's screen down (to at least 14 px), so that its
# legend does not grow taller than its plot. Every other size is derived from this one.
TEXT_SIZE = 18
FONT_SIZE = TEXT_SIZE  # axis titles, labels in the plots
# Streamlit's own font and text colour, set on the layout so that every chart reads the
# same: those drawn by st.plotly_chart (whose theme would otherwise set a light grey) and
# the live ones of playground.ui.live_chart (which get no Streamlit theme).
FONT_FAMILY = '"Source Sans", "Source Sans Pro", sans-serif'
TEXT_COLOR = "#31333F"
TICK_FONT_SIZE = TEXT_SIZE  # tick labels and legend entries
SMALL_FONT_SIZE = TEXT_SIZE - 3  # dense small multiples only (their titles, cell values)
HOVER_FONT_SIZE = TEXT_SIZE - 2
TITLE_FONT_SIZE = TEXT_SIZE + 2

# --------------------------------------------------------------------------------------
# Layout, colours, lines and markers.
# --------------------------------------------------------------------------------------

MARGIN = {"l": 10, "r": 10, "t": 10, "b": 10}  # axes use automargin for their labels
UIREVISION = "nn-playground"

CLASS0_COLOR = "#e66101"  # orange: y = 0, negative values
CLASS1_COLOR = "#2166ac"  # blue: y = 1, positive values
CLASS_COLORS = (CLASS0_COLOR, CLASS1_COLOR)
NEUTRAL_COLOR = "#f7f7f7"
LIGHT_ORANGE = "#fdb863"
LIGHT_BLUE = "#92c5de"
INK_COLOR = "#1a1a1a"  # the decision boundary, outlines
GREY_COLOR = "#9a9a9a"
SHADE_COLOR = "rgba(120, 120, 120, 0.16)"  # saturated regions of an activation
HIGHLIGHT_COLOR = "#7b3294"  # a highlighted layer or unit of the network

# ŷ over the plane: light tints, so that the saturated class colours of the points
# stand out on top of them.
PROBABILITY_COLORSCALE = [
    [0.0, LIGHT_ORANGE], [0.25, "#fee0b6"], [0.5, NEUTRAL_COLOR],
    [0.75, "#d1e5f0"], [1.0, LIGHT_BLUE],
]
DISCRETE_COLORSCALE = [[0.0, LIGHT_ORANGE], [0.5, LIGHT_ORANGE], [0.5, LIGHT_BLUE],
                       [1.0, LIGHT_BLUE]]
# Values that can be negative (weights, activations), symmetric around 0.
DIVERGING_COLORSCALE = [
    [0.0, CLASS0_COLOR], [0.25, LIGHT_ORANGE], [0.5, NEUTRAL_COLOR],
    [0.75, LIGHT_BLUE], [1.0, CLASS1_COLOR],
]
# Non-negative values (sigmoid or ReLU activations): 0 is white.
SEQUENTIAL_COLORSCALE = [[0.0, NEUTRAL_COLOR], [0.5, LIGHT_BLUE], [1.0, CLASS1_COLOR]]
COUNT_COLORSCALE = [[0.0, NEUTRAL_COLOR], [1.0, "#737373"]]

# Okabe–Ito, without its yellow (invisible on a projector).
SERIES_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00",
                  "#000000")
TRAIN_LINE_COLOR = INK_COLOR
TEST_LINE_COLOR = "#7b3294"  # purple, dashed
LINE_WIDTH = 3.0
BOUNDARY_WIDTH = 3.0
BAND_OPACITY = 0.2

TRAIN_SYMBOL = "circle"
TEST_SYMBOL = "diamond-open"
USER_SYMBOL = "star"
TRAIN_MARKER_SIZE = 9
TEST_MARKER_SIZE = 11
USER_MARKER_SIZE = 18
LEGEND_SPACE = TEXT_SIZE + 22  # px above the plot for a one-row legend
TITLE_SPACE = TITLE_FONT_SIZE + 24  # px above that for a title
GRID_COLOR = "rgba(128, 128, 128, 0.25)"
ZERO_LINE_COLOR = "rgba(128, 128, 128, 0.5)"

_EMPTY_TEMPLATE = go.layout.Template()
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


# --------------------------------------------------------------------------------------
# Themed pieces: labels, colours, axes, the shared layout, colour bars.
# --------------------------------------------------------------------------------------


def subscript(i: int) -> str:
    """``12`` → ``"₁₂"``: the course's subscripts in plain text."""
    return str(i).translate(_SUBSCRIPTS)


def rgba(color: str, alpha: float) -> str:
    """``"#2166ac"`` → ``"rgba(33, 102, 172, 0.2)"``; other colour strings pass through."""
    c = color.lstrip("#")
    if color.startswith("#") and len(c) == 6:
        r, g, b = (int(c[k:k + 2], 16) for k in (0, 2, 4))
        return f"rgba({r}, {g}, {b}, {alpha})"
    return color


def activation_label(name: str) -> str:
    """An activation's name as the course writes it ("tanh", "ReLU"); unknown names as given."""
    return ACTIVATIONS[name].label if name in ACTIVATIONS else str(name)


def _merge(base: dict, extra: dict) -> dict:
    """``base`` updated by ``extra``, merging nested dicts one level deep."""
    out = dict(base)
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = {**out[k], **v}
        else:
            out[k] = v
    return out


def axis(title: str | None = None, **kw) -> dict:
    """An axis with projector-sized fonts. Fonts are set on every axis itself: Streamlit's
    theme fills the template, so it cannot shrink them."""
    ax = {"tickfont": {"size": TICK_FONT_SIZE}, "automargin": True,
          "title": {"font": {"size": FONT_SIZE}}}
    if title is not None:
        ax["title"]["text"] = title
    return _merge(ax, kw)


def base_layout(*, height: int, title: str | None, uirevision: str | None,
                show_legend: bool = False, **extra) -> dict:
    """The layout every figure shares: empty template, fonts, tight margins, uirevision;
    room above the plot for a horizontal legend (``show_legend=True``) and the title."""
    top = MARGIN["t"] + (LEGEND_SPACE if show_legend else 0) + (TITLE_SPACE if title else 0)
    lay = {
        "template": _EMPTY_TEMPLATE,
        "height": int(height),
        "margin": dict(MARGIN, t=top),
        "font": {"size": FONT_SIZE, "family": FONT_FAMILY, "color": TEXT_COLOR},
        "hoverlabel": {"font": {"size": HOVER_FONT_SIZE}},
        "legend": {"font": {"size": TICK_FONT_SIZE}, "orientation": "h",
                   "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
        "showlegend": show_legend,
        "uirevision": uirevision,
    }
    if title:
        lay["title"] = {"text": title, "font": {"size": TITLE_FONT_SIZE},
                        "x": 0, "xanchor": "left", "xref": "container",
                        "y": 1, "yanchor": "top", "yref": "container",
                        "pad": {"t": 8, "l": 8}}
    # No empty shapes/annotations lists: validation would drop them, the JSON would not.
    extra = {k: v for k, v in extra.items() if not (isinstance(v, list) and not v)}
    return _merge(lay, extra)


def colorbar(title: str, **extra) -> dict:
    """A slim colour bar titled ``title`` on top, with projector-sized ticks."""
    return {"title": {"text": title, "side": "top", "font": {"size": FONT_SIZE}},
            "thickness": 12, "len": 0.75, "outlinewidth": 0,
            "tickfont": {"size": TICK_FONT_SIZE}, **extra}

