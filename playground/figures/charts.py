"""Pure figure builders: NumPy arrays and dicts in, ``plotly.graph_objects.Figure`` out.

No Streamlit, no hidden state: the same inputs always give the same figure, and the tests
read the figures' data (trace types, arrays, layout) rather than pixels.

Conventions shared by every builder (see ``docs/notation.md`` for the labels):

* Shapes follow the course: ``X`` is ``(2, m)`` with one example per column, ``Y`` is
  ``(1, m)`` of 0/1, ``W[l]`` is ``(n[l], n[l-1])``, values over a grid are ``(ny, nx)``.
* Colours are colour-blind safe: class 1 / positive values are blue, class 0 / negative
  values are orange, ŷ = 0.5 and 0 are (near) white. Markers differ by shape as well.
* Payloads stay small: arrays go out as float32 (plotly ≥ 6 sends them as typed binary
  arrays), hover texts come from ``hovertemplate`` + ``customdata`` instead of per-point
  strings, and the figures carry an empty template (plotly's default one is ~6.5 kB;
  Streamlit merges its own theme into the empty one).
* Projector-ready: tick, legend and axis text is ``TEXT_SIZE`` (18 px), nothing is smaller
  than ``SMALL_FONT_SIZE``, and every font is set on the layout itself, where Streamlit's
  theme does not override it; lines are thick.
* Each figure is built in one call (``_figure(traces, layout)``) from plain dicts, and
  without plotly's property validation: validating a figure costs 5 to 10 times more
  than building it (7 ms for the boundary), and these builders run several times a second
  per student on the live page. The tests turn validation on (``VALIDATE``), so a
  misspelt property still fails there, and check that both ways give the same JSON.
* ``uirevision`` is constant (override it with the keyword of the same name, e.g. with the
  data set's name), so a student's zoom survives live redraws.
* Titles are off by default (``title=None``): the pages show a subheader instead.
"""

from __future__ import annotations

import base64
import math
import os
import textwrap
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import to_typed_array_spec

from playground.core.diagnostics import (
    SATURATION_THRESHOLD,
    Grid,
    dead_units,
    saturation_fraction,
    saturation_threshold,
)
from playground.core.nn import ACTIVATIONS

# --------------------------------------------------------------------------------------
# Constants: sizes, colours, fonts.
# --------------------------------------------------------------------------------------

DEFAULT_HEIGHT = 520
COST_HEIGHT = 440
NETWORK_MIN_HEIGHT = 340
NETWORK_PX_PER_UNIT = 34
UNIT_MAP_ROW_HEIGHT = 100  # the largest map, in px; a row adds 22 px for the titles
UNIT_MAP_PAGE_WIDTH = 760  # the width the default row height assumes
UNIT_FIGURE_HEIGHT = 480
ACTIVATIONS_HEIGHT = 460
CURVES_ROW_HEIGHT = 270
MATRIX_CELL_HEIGHT = 44
MATRIX_MIN_HEIGHT = 190
SERIES_HEIGHT = 360
BOX_HEIGHT = 400
CONFUSION_HEIGHT = 320

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
NOTE_LINE_CHARS = 18  # the no-boundary note on the plane, per line (boundary_note)
HOVER_FONT_SIZE = TEXT_SIZE - 2
TITLE_FONT_SIZE = TEXT_SIZE + 2

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
SCATTERGL_THRESHOLD = 3000  # more points than this: WebGL markers
LEGEND_SPACE = TEXT_SIZE + 22  # px above the plot for a one-row legend
TITLE_SPACE = TITLE_FONT_SIZE + 24  # px above that for a title
GRID_COLOR = "rgba(128, 128, 128, 0.25)"
ZERO_LINE_COLOR = "rgba(128, 128, 128, 0.5)"

# Network diagram.
EDGE_MIN_WIDTH = 0.5
EDGE_MAX_WIDTH = 8.0
EDGE_WIDTH_BUCKETS = 8
EDGE_OPACITY = 0.8
EDGE_HOVER_AT = 0.7  # edge hover markers sit this far along each edge (0 = source)
NODE_MIN_SIZE = 16
NODE_MAX_SIZE = 30
NODE_LINE_WIDTH = 2.0
HIGHLIGHT_COLOR = "#7b3294"

# Activations.
Z_MIN_RANGE = 4.0  # the z axis always covers at least [-4, 4]
Z_CLIP = 25.0  # and at most [-25, 25]
CURVE_POINTS = 201
HISTOGRAM_BINS = 60
CURVE_Y_LIMIT = 3.0  # g(z) beyond ±3 leaves the plot (ReLU, linear): g'(z) stays readable

UNIT_MAP_RESOLUTION = 32  # small multiples need no more than 32 × 32 cells,
UNIT_MAP_RESOLUTION_WIDE = 20  # and no more than 20 × 20 when a row has > 6 of them
BOX_MAX_VALUES = 2000

_EMPTY_TEMPLATE = go.layout.Template()
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


# --------------------------------------------------------------------------------------
# Small helpers.
# --------------------------------------------------------------------------------------

# Validate every property of every figure built (plotly's default). Off in the app, where
# it would cost most of a live frame; the tests set it (tests/conftest.py), and
# NN_PLAYGROUND_VALIDATE_FIGURES=1 sets it for a server.
VALIDATE = os.environ.get("NN_PLAYGROUND_VALIDATE_FIGURES", "") == "1"

# What plotly.io leaves as plain JSON arrays (``_plotly_utils.utils.is_skipped_key``).
_PLAIN_ARRAY_KEYS = frozenset({"geojson", "layer", "layers", "range"})


class Figure(go.Figure):
    """A ``go.Figure`` that turns itself into its JSON dict quickly.

    ``st.plotly_chart`` calls ``to_dict()`` on every figure, every frame. Plotly's own
    deep-copies every nested dict and then inspects every array through narwhals (is it
    a data frame?) before base64-encoding it: 1.5 ms for the boundary, about as long as
    building the figure. An unvalidated figure holds only our own dicts, lists, strings,
    numbers and NumPy arrays, so one pass copies the containers and encodes the arrays
    as plotly.js typed arrays, exactly as plotly would (``tests/figures/test_figures.py``
    compares both, builder by builder). A validated figure uses plotly's ``to_dict``.
    """

    def to_dict(self):
        if self._validate:
            return super().to_dict()
        out = {"data": _wire(self._data), "layout": _wire(self._layout)}
        if self._frame_objs:
            out["frames"] = _wire([f._props for f in self._frame_objs])
        return out


def _wire(obj):
    """A copy of ``obj`` for the wire: containers copied, NumPy arrays as plotly.js typed
    arrays (``{"dtype", "bdata", "shape"}``), plotly objects as their JSON dicts."""
    if type(obj) is dict:
        return {k: (_plain(v) if k in _PLAIN_ARRAY_KEYS else _wire(v))
                for k, v in obj.items()}
    if type(obj) in (list, tuple):
        return [_wire(v) for v in obj]
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "iu" and obj.dtype.itemsize == 8 and obj.size:
            obj = _narrow_ints(obj)  # plotly.js has no 64-bit integer arrays
        code = _TYPED_ARRAY_CODES.get(obj.dtype.name)
        if code is None or obj.size == 0:  # strings, objects, empty: plotly's own rules
            return to_typed_array_spec(obj)
        spec = {"dtype": code,
                "bdata": base64.b64encode(np.ascontiguousarray(obj)).decode("ascii")}
        if obj.ndim > 1:
            spec["shape"] = str(obj.shape)[1:-1]
        return spec
    if hasattr(obj, "to_plotly_json"):
        return _wire(obj.to_plotly_json())
    return obj


def _narrow_ints(a: np.ndarray) -> np.ndarray:
    """64-bit integers as the narrowest of int8/16/32 (uint8/16/32) that holds them, as
    plotly does; left as they are when none does."""
    lo, hi = int(a.min()), int(a.max())
    for t in ((np.uint8, np.uint16, np.uint32) if a.dtype.kind == "u"
              else (np.int8, np.int16, np.int32)):
        info = np.iinfo(t)
        if info.min <= lo and hi <= info.max:
            return a.astype(t)
    return a


def _plain(obj):
    """A copy of ``obj`` with arrays as plain lists (what plotly does under ``range``)."""
    if type(obj) is dict:
        return {k: _plain(v) for k, v in obj.items()}
    if type(obj) in (list, tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return obj


_TYPED_ARRAY_CODES = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2",
                      "int32": "i4", "uint32": "u4", "float32": "f4", "float64": "f8"}


def to_json(fig_or_spec) -> str:
    """The JSON text plotly.js gets for a figure, or for a ``{"data", "layout"}`` spec
    (what the ``*_spec`` builders return): exactly what ``st.plotly_chart`` would send."""
    if isinstance(fig_or_spec, go.Figure):
        wire = fig_or_spec.to_dict()
    else:
        wire = {"data": _wire(fig_or_spec["data"]), "layout": _wire(fig_or_spec["layout"])}
    return pio.to_json(wire, validate=False)


def _figure(data: list, layout: dict) -> Figure:
    """``Figure(data=data, layout=layout)``, validated only when ``VALIDATE`` is set.

    Unvalidated (``_validate=False``, a keyword of plotly's ``BaseFigure``), plotly stores
    the dicts as given, which costs a tenth of validating them; the figure serialises to
    the same JSON, which ``tests/figures/test_figures.py`` checks builder by builder."""
    return Figure(data=data, layout=layout, _validate=VALIDATE)


def _f32(a) -> np.ndarray:
    """A contiguous float32 copy (or view): what goes over the wire."""
    return np.ascontiguousarray(a, dtype=np.float32)


def _sub(i: int) -> str:
    """``12`` → ``"₁₂"``: the course's subscripts in plain text."""
    return str(i).translate(_SUBSCRIPTS)


def _rgba(color: str, alpha: float) -> str:
    """``"#2166ac"`` → ``"rgba(33, 102, 172, 0.2)"``; other colour strings pass through."""
    c = color.lstrip("#")
    if color.startswith("#") and len(c) == 6:
        r, g, b = (int(c[k:k + 2], 16) for k in (0, 2, 4))
        return f"rgba({r}, {g}, {b}, {alpha})"
    return color


def _activation_label(name: str) -> str:
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


def _axis(title: str | None = None, **kw) -> dict:
    """An axis with projector-sized fonts. Fonts are set on every axis itself: Streamlit's
    theme fills the template, so it cannot shrink them."""
    ax = {"tickfont": {"size": TICK_FONT_SIZE}, "automargin": True,
          "title": {"font": {"size": FONT_SIZE}}}
    if title is not None:
        ax["title"]["text"] = title
    return _merge(ax, kw)


def _layout(*, height: int, title: str | None, uirevision: str | None,
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


def _colorbar(title: str, **extra) -> dict:
    return {"title": {"text": title, "side": "top", "font": {"size": FONT_SIZE}},
            "thickness": 12, "len": 0.75, "outlinewidth": 0,
            "tickfont": {"size": TICK_FONT_SIZE}, **extra}


def _ax_id(k: int) -> str:
    """Subplot k's axis suffix, as plotly spells it: "" for 1, else "k"."""
    return "" if k == 1 else str(k)


def _subplot_grid(rows: int, cols: int, *, hs: float, vs: float,
                  row_heights: Sequence[float] | None = None) -> dict:
    """Paper domains of a rows × cols grid: ``{(r, c): (k, xdomain, ydomain)}`` with r, c
    from 0 at the top left and k = r·cols + c + 1 (make_subplots' numbering)."""
    w = (1 - hs * (cols - 1)) / cols
    free = 1 - vs * (rows - 1)
    shares = np.asarray(row_heights if row_heights is not None else [1] * rows, float)
    heights = free * shares / shares.sum()
    out = {}
    top = 1.0
    for r in range(rows):
        bottom = max(top - heights[r], 0.0)
        for c in range(cols):
            x0 = c * (w + hs)
            out[(r, c)] = (r * cols + c + 1, [x0, min(x0 + w, 1.0)], [bottom, top])
        top = bottom - vs
    return out


def _subplot_title(text: str, xdomain, ydomain, size: int = SMALL_FONT_SIZE) -> dict:
    return {"text": text, "x": (xdomain[0] + xdomain[1]) / 2, "y": ydomain[1],
            "xref": "paper", "yref": "paper", "xanchor": "center", "yanchor": "bottom",
            "showarrow": False, "font": {"size": size}}


def _labels_row(Y, m: int, name: str) -> np.ndarray:
    Y = np.asarray(Y)
    if Y.size != m:
        raise ValueError(f"{name} must have shape (1, {m}), got {Y.shape}")
    return Y.reshape(-1) > 0.5


def _points_xy(X, name: str) -> np.ndarray:
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"{name} must have shape (2, m), one point per column, got {X.shape}")
    return X


def _point_traces(X, Y, *, split: str, symbol: str, size: float, line: dict,
                  gl: bool = False) -> list[dict]:
    """One scatter per class: ``"train, y=0"``, ``"train, y=1"``; empty classes are left out.

    X : (2, m) raw points; Y : (1, m) labels 0/1.
    """
    X = _points_xy(X, f"X_{split}")
    cls = _labels_row(Y, X.shape[1], f"Y_{split}")
    traces = []
    for c in (0, 1):
        mask = cls == bool(c)
        if not mask.any():
            continue
        traces.append({
            "type": "scattergl" if gl else "scatter",
            "x": _f32(X[0, mask]), "y": _f32(X[1, mask]), "mode": "markers",
            "name": f"{split}, y={c}", "uid": f"{split}-{c}", "legendgroup": f"{split}-{c}",
            "marker": {"symbol": symbol, "size": size, "color": CLASS_COLORS[c],
                       "line": line},
            "hovertemplate": (f"{split}<br>x₁ = %{{x:.3f}}<br>x₂ = %{{y:.3f}}<br>y = {c}"
                              "<extra></extra>"),
        })
    return traces


def _grid_axes(xs: np.ndarray, ys: np.ndarray) -> tuple[list[float], list[float]]:
    """Axis ranges that show every heatmap cell in full (cells are centred on xs, ys)."""
    def rng(v):
        v = v.astype(np.float64)
        half = 0.5 * (v[-1] - v[0]) / max(v.size - 1, 1)
        return [float(v[0] - half), float(v[-1] + half)]
    return rng(xs), rng(ys)


def _data_ranges(xs, ys, points: Sequence) -> tuple[list[float], list[float]]:
    """The grid's axis ranges cut down to the points (2, k arrays) plus the grid's own
    margin. ``make_grid`` makes a square grid around the data, so along the data's shorter
    side (moons: x₂ spans 2.4 where x₁ spans 3.8) it runs far past the points, and the
    plane showed a wide strip with no data; now every side has the same margin."""
    xr, yr = _grid_axes(xs, ys)
    P = [np.asarray(p, dtype=np.float64) for p in points if p is not None and np.size(p)]
    P = np.hstack(P) if P else np.zeros((2, 0))
    P = P[:, np.isfinite(P).all(axis=0)]
    if not P.shape[1]:
        return xr, yr
    lo, hi = P.min(axis=1), P.max(axis=1)
    span = hi - lo
    pad = max(0.5 * (xr[1] - xr[0] - span.max()), 0.0)  # the grid's margin around its data
    out = []
    for r, a, b in ((xr, lo[0], hi[0]), (yr, lo[1], hi[1])):
        lo_, hi_ = max(r[0], a - pad), min(r[1], b + pad)
        out.append([float(lo_), float(hi_)] if hi_ > lo_ else r)
    return out[0], out[1]


def _plane_axes(xs, ys, points: Sequence = ()) -> dict:
    """x₁, x₂ axes over a grid with equal scales, cut to the ``points`` (see
    :func:`_data_ranges`) when given. A wide figure shrinks the x domain; it shrinks
    toward the right, keeping the plot next to its colour bar."""
    xr, yr = _data_ranges(xs, ys, points) if len(points) else _grid_axes(xs, ys)
    return {
        "xaxis": _axis("x₁", range=xr, constrain="domain", constraintoward="right",
                       showgrid=False, zeroline=False, ticks="outside"),
        "yaxis": _axis("x₂", range=yr, constrain="domain", scaleanchor="x", scaleratio=1,
                       showgrid=False, zeroline=False, ticks="outside"),
    }


def _y_axis_type(log_y: bool, *arrays) -> dict:
    """Axis settings for a linear or log y axis; a log axis spanning a decade or more is
    ticked once per decade (no clutter of 2, 3, 4, ... minor labels)."""
    if not log_y:
        return {"type": "linear"}
    v = np.concatenate([np.asarray(a, dtype=np.float64).ravel() for a in arrays] or [[]])
    v = v[np.isfinite(v) & (v > 0)]
    out: dict = {"type": "log"}
    if v.size and np.log10(v.max() / v.min()) >= 1:
        out["dtick"] = 1
    return out


def _has_values(a) -> bool:
    a = np.asarray(a, dtype=np.float64)
    return bool(a.size) and bool(np.isfinite(a).any())


# --------------------------------------------------------------------------------------
# 1. The decision boundary.
# --------------------------------------------------------------------------------------


def contour_line(xs, ys, P, level: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """The curve where ``P`` crosses ``level``, by marching squares.

    xs : (nx,) and ys : (ny,) grid coordinates; P : (ny, nx) values (row i is y = ys[i]).
    Returns ``x, y`` float32 arrays of the same length: polylines separated by NaN (a gap
    in a plotly line). Every point lies on a grid line, where linear interpolation of P
    along that line equals ``level``. Both are empty when P does not cross the level
    (a constant P, say); cells with a NaN corner are skipped.
    """
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    P = np.asarray(P, dtype=np.float64)
    ny, nx = P.shape
    empty = (np.zeros(0, np.float32), np.zeros(0, np.float32))
    if nx < 2 or ny < 2:
        return empty
    ok = np.isfinite(P)
    B = np.where(ok, P >= level, False)
    with np.errstate(all="ignore"):
        # Horizontal edges (i, j)–(i, j+1) and vertical edges (i, j)–(i+1, j).
        hx = (B[:, :-1] != B[:, 1:]) & ok[:, :-1] & ok[:, 1:]
        th = (level - P[:, :-1]) / (P[:, 1:] - P[:, :-1])
        vx = (B[:-1, :] != B[1:, :]) & ok[:-1, :] & ok[1:, :]
        tv = (level - P[:-1, :]) / (P[1:, :] - P[:-1, :])
    hxs = xs[None, :-1] + th * np.diff(xs)[None, :]
    hys = np.broadcast_to(ys[:, None], hxs.shape)
    vys = ys[:-1, None] + tv * np.diff(ys)[:, None]
    vxs = np.broadcast_to(xs[None, :], vys.shape)
    ex = np.concatenate([hxs.ravel(), vxs.ravel()])
    ey = np.concatenate([hys.ravel(), vys.ravel()])
    n_h = ny * (nx - 1)
    ii, jj = np.meshgrid(np.arange(ny - 1), np.arange(nx - 1), indexing="ij")
    # The edges of each cell, in the order bottom, right, top, left.
    ids = np.stack([ii * (nx - 1) + jj, n_h + ii * nx + jj + 1,
                    (ii + 1) * (nx - 1) + jj, n_h + ii * nx + jj], axis=-1)
    flags = np.stack([hx[:-1, :], vx[:, 1:], hx[1:, :], vx[:, :-1]], axis=-1)
    cell_ok = ok[:-1, :-1] & ok[:-1, 1:] & ok[1:, :-1] & ok[1:, 1:]
    count = flags.sum(axis=-1) * cell_ok
    two = count == 2
    segs = ids[two][flags[two]].reshape(-1, 2)
    saddles = []
    for i, j in zip(*np.nonzero(count == 4), strict=True):  # saddles: ask the centre
        b, r, t, lft = ids[i, j].tolist()
        centre = 0.25 * (P[i, j] + P[i, j + 1] + P[i + 1, j] + P[i + 1, j + 1])
        if (centre >= level) == B[i, j]:  # bottom-left joins top-right: cut the others off
            saddles += [[b, r], [t, lft]]
        else:
            saddles += [[lft, b], [r, t]]
    if saddles:
        segs = np.concatenate([segs, np.asarray(saddles, dtype=segs.dtype)])
    if not segs.size:
        return empty
    order = []
    for chain in _chain_segments(segs):
        order.extend(chain)
        order.append(-1)
    order = np.asarray(order[:-1])
    gap = order < 0
    x = np.where(gap, np.nan, ex[np.where(gap, 0, order)])
    y = np.where(gap, np.nan, ey[np.where(gap, 0, order)])
    return _f32(x), _f32(y)


def _chain_segments(segs: np.ndarray) -> list[list[int]]:
    """Join segments ``(k, 2)`` of edge-point ids into polylines (open ones, then loops).

    Every edge point lies on one grid edge, shared by at most two cells, and a cell
    draws at most one segment through it: each point has one or two neighbours. So the
    walk needs no search, only each point's two neighbours (found with NumPy)."""
    ids, compact = np.unique(segs, return_inverse=True)
    compact = compact.reshape(-1, 2)
    n = ids.size
    ends = compact.ravel()
    others = compact[:, ::-1].ravel()
    by_end = np.argsort(ends, kind="stable")
    ends, others = ends[by_end], others[by_end]
    second = np.zeros(ends.size, dtype=bool)
    second[1:] = ends[1:] == ends[:-1]
    nb = np.full((n, 2), -1, dtype=np.int64)
    nb[ends[~second], 0] = others[~second]
    nb[ends[second], 1] = others[second]
    nb0, nb1 = nb[:, 0].tolist(), nb[:, 1].tolist()
    used = [False] * n
    starts = np.flatnonzero(nb[:, 1] < 0).tolist()  # the ends of open lines first
    chains = []
    for start in starts + list(range(n)):
        if used[start]:
            continue
        used[start] = True
        chain, cur = [start], start
        while True:
            a, b = nb0[cur], nb1[cur]
            if a >= 0 and not used[a]:
                cur = a
            elif b >= 0 and not used[b]:
                cur = b
            else:
                if len(chain) > 2 and start in (a, b):
                    chain.append(start)  # close the loop
                break
            used[cur] = True
            chain.append(cur)
        chains.append(chain)
    ids_list = ids.tolist()
    return [[ids_list[k] for k in chain] for chain in chains]


# ŷ must reach this far on both sides of 0.5 for the line ŷ = 0.5 to mean something: an
# untrained network's ŷ is 0.5 ± 1e-4 everywhere, and its 0.5 line is a jagged trace of
# rounding, not a boundary between classes.
BOUNDARY_MIN_MARGIN = 0.01


def _fmt_p(v: float) -> str:
    """ŷ for a sentence: 3 decimals, or 2 significant digits of its distance from 0.5 when
    that is smaller (0.5003 rather than 0.500)."""
    d = abs(v - 0.5)
    if 0 < d < 5e-4:
        digits = max(3, 1 - math.floor(math.log10(d)) + 1)
        return f"{v:.{min(digits, 8)}f}"
    return f"{v:.3f}"


def boundary_note(P, margin: float = BOUNDARY_MIN_MARGIN) -> str | None:
    """Why no boundary is drawn over ``P`` (ny, nx), or None when ŷ crosses 0.5 by at
    least ``margin`` on both sides (then the line ŷ = 0.5 is drawn).

    The note states the range of ŷ, computed: "no boundary yet: ŷ is within 0.5 ± 0.0003
    everywhere", "no boundary: ŷ < 0.5 everywhere (0.112 to 0.402): every point is
    predicted y = 0", and so on."""
    P = np.asarray(P, dtype=np.float64)
    finite = P[np.isfinite(P)]
    if not finite.size:
        return "no boundary: ŷ is not a number anywhere"
    lo, hi = float(finite.min()), float(finite.max())
    if lo <= 0.5 - margin and hi >= 0.5 + margin:
        return None
    spread = max(abs(lo - 0.5), abs(hi - 0.5))
    if spread < margin:
        half = float(f"{spread:.2g}") if spread > 0 else 0.0
        if half < spread:  # rounded down: say the next 2-digit value up, still true
            half = float(f"{spread * 1.05:.2g}")
        return (f"no boundary yet: ŷ is within 0.5 ± "
                f"{np.format_float_positional(half, trim='-')} everywhere"
                if half > 0 else "no boundary: ŷ = 0.5 exactly everywhere")
    if hi < 0.5:
        return (f"no boundary: ŷ < 0.5 everywhere ({_fmt_p(lo)} to {_fmt_p(hi)}): "
                "every point is predicted y = 0")
    if lo > 0.5:
        return (f"no boundary: ŷ > 0.5 everywhere ({_fmt_p(lo)} to {_fmt_p(hi)}): "
                "every point is predicted y = 1")
    if hi < 0.5 + margin:
        return (f"no boundary: ŷ never exceeds 0.5 by {margin:g} (highest {_fmt_p(hi)}): "
                "no region is clearly y = 1")
    return (f"no boundary: ŷ never falls below 0.5 by {margin:g} (lowest {_fmt_p(lo)}): "
            "no region is clearly y = 0")


def decision_boundary_spec(
    grid: Grid,
    P,
    X_train,
    Y_train,
    X_test=None,
    Y_test=None,
    *,
    discretize: bool = False,
    show_test: bool = True,
    title: str | None = None,
    height: int = DEFAULT_HEIGHT,
    user_points=None,
    smooth: bool = True,
    uirevision: str | None = UIREVISION,
) -> dict:
    """ŷ over the plane, the boundary ŷ = 0.5, and the data points, as a figure spec:
    ``{"data": traces, "layout": layout}`` of plain dicts and arrays (the live page sends
    it as it is; :func:`make_decision_boundary_figure` makes it a ``go.Figure``).

    Parameters
    ----------
    grid : ``playground.core.diagnostics.Grid`` with ``xs`` (nx,) and ``ys`` (ny,).
    P : (ny, nx) ŷ over the grid, in [0, 1] (``probability_grid``).
    X_train : (2, m) raw points; Y_train : (1, m) labels 0/1.
    X_test, Y_test : (2, m_test) and (1, m_test), or None; drawn when ``show_test``.
    discretize : two flat class colours split at ŷ = 0.5 instead of the shaded ŷ.
    user_points : optional ``(X, Y)`` of shapes (2, k) and (1, k): points a student
        added, drawn as stars.
    smooth : interpolate the heatmap between grid points (``zsmooth="best"``).

    Traces, in order: the heatmap of ŷ, the boundary (only when P crosses 0.5 by
    ``BOUNDARY_MIN_MARGIN`` on both sides; otherwise an annotation on the plane says why
    there is none, and ``layout.meta["boundary_note"]`` holds it), then the points
    ("train, y=0", "train, y=1", "test, y=0", "test, y=1", "added, y=0", ...).
    Above ``SCATTERGL_THRESHOLD`` points, the markers are WebGL (``scattergl``).
    """
    xs, ys = _f32(grid.xs), _f32(grid.ys)
    P = np.asarray(P)
    if P.shape != (ys.size, xs.size):
        raise ValueError(f"P must have shape (ny, nx) = {(ys.size, xs.size)}, got {P.shape}")
    traces = [{
        "type": "heatmap", "x": xs, "y": ys, "z": _f32(P), "zmin": 0.0, "zmax": 1.0,
        "uid": "yhat", "name": "ŷ",
        "colorscale": DISCRETE_COLORSCALE if discretize else PROBABILITY_COLORSCALE,
        "zsmooth": "best" if smooth else False,
        "colorbar": _colorbar("ŷ", tickvals=[0, 0.5, 1]),
        "hovertemplate": "x₁ = %{x:.3f}<br>x₂ = %{y:.3f}<br>ŷ = %{z:.3f}<extra></extra>",
    }]
    note = boundary_note(P)
    cx, cy = contour_line(xs, ys, P, 0.5) if note is None else (np.zeros(0), np.zeros(0))
    if cx.size:
        traces.append({
            "type": "scatter", "x": cx, "y": cy, "mode": "lines", "name": "ŷ = 0.5",
            "uid": "boundary", "hoverinfo": "skip", "connectgaps": False,
            "line": {"color": INK_COLOR, "width": BOUNDARY_WIDTH},
        })
    X_train = _points_xy(X_train, "X_train")
    n_points = X_train.shape[1] + (np.shape(X_test)[1] if X_test is not None else 0)
    gl = n_points > SCATTERGL_THRESHOLD
    traces += _point_traces(X_train, Y_train, split="train", symbol=TRAIN_SYMBOL,
                            size=TRAIN_MARKER_SIZE, line={"color": "white", "width": 1.5},
                            gl=gl)
    if show_test and X_test is not None and Y_test is not None and np.size(X_test):
        traces += _point_traces(X_test, Y_test, split="test", symbol=TEST_SYMBOL,
                                size=TEST_MARKER_SIZE, line={"width": 2.5}, gl=gl)
    if user_points is not None:
        Xu, Yu = user_points
        if np.size(Xu):
            traces += _point_traces(Xu, Yu, split="added", symbol=USER_SYMBOL,
                                    size=USER_MARKER_SIZE,
                                    line={"color": INK_COLOR, "width": 1.5})
    layout = _layout(height=height, title=title, uirevision=uirevision, show_legend=True,
                     hovermode="closest", legend={"x": 1, "xanchor": "right"},
                     meta={"boundary_note": note},
                     **_plane_axes(xs, ys, [X_train, X_test if show_test else None,
                                            None if user_points is None else user_points[0]]))
    if note is not None:
        # Said on the plane itself, where the line would be, in short lines: the plane may
        # be ~190 px wide (three columns on a projector, a tablet), and a note wider than
        # the plane would spill over the x₂ tick labels. NOTE_LINE_CHARS characters of
        # SMALL_FONT_SIZE are ~140 px; a number is never split.
        head, _, detail = note.partition(": ")
        lines = [head + ":", *textwrap.wrap(detail, NOTE_LINE_CHARS, break_long_words=False)]
        layout["annotations"] = [{
            "text": "<br>".join(lines), "xref": "x domain", "yref": "y domain",
            "x": 0.5, "y": 0.97, "xanchor": "center", "yanchor": "top", "showarrow": False,
            "font": {"size": SMALL_FONT_SIZE, "color": INK_COLOR},
            "bgcolor": "rgba(255, 255, 255, 0.85)", "borderpad": 4}]
    return {"data": traces, "layout": layout}


def make_decision_boundary_figure(*args, **kwargs) -> go.Figure:
    """The figure of :func:`decision_boundary_spec` (same arguments)."""
    return _figure(**decision_boundary_spec(*args, **kwargs))


# --------------------------------------------------------------------------------------
# 2. The cost curve.
# --------------------------------------------------------------------------------------


def cost_spec(
    history: Mapping[str, np.ndarray],
    *,
    log_y: bool = False,
    show_test: bool = True,
    show_data_term: bool = False,
    height: int = COST_HEIGHT,
    title: str | None = None,
    uirevision: str | None = UIREVISION,
    mark_iteration: int | None = None,
) -> dict:
    """The cost J (top) and the accuracy (bottom, smaller) over the iterations, as a
    figure spec ``{"data", "layout"}``; :func:`make_cost_figure` makes it a ``go.Figure``.

    history : the dict of ``Trainer.history()``: ``iteration`` (k,), ``train_cost``,
        ``train_data_cost``, ``test_cost``, ``train_accuracy``, ``test_accuracy`` (k,) ...
        The test traces are left out when ``show_test`` is False or they are all NaN.
    show_data_term : also draw the cross-entropy term of J alone (dotted), which differs
        from J when there is regularization.
    mark_iteration : draw a vertical line through both rows at this iteration (the
        replayed one), labelled with it.

    The rows share x (the top axis ``matches`` the bottom one); hovering shows every
    trace of a row at that iteration (``hovermode="x unified"``).
    """
    it = np.asarray(history["iteration"])
    mode = "lines" if it.size > 2 else "lines+markers"
    traces = []

    def line(key, name, color, dash, row, fmt):
        # One legend entry per split: "train J" also toggles "train accuracy".
        group = key.split("_")[0] if key != "train_data_cost" else key
        traces.append({
            "type": "scatter", "x": it, "y": _f32(history[key]), "name": name, "uid": key,
            "mode": mode, "line": {"color": color, "width": LINE_WIDTH, "dash": dash},
            # A lone first point sits on the axis' edge: draw its marker whole.
            "cliponaxis": it.size > 2,
            "hovertemplate": f"%{{y:{fmt}}}", "legendgroup": group, "showlegend": row == 1,
            "xaxis": "x" if row == 1 else "x2", "yaxis": "y" if row == 1 else "y2",
        })

    test = show_test and _has_values(history.get("test_cost", []))
    line("train_cost", "train J", TRAIN_LINE_COLOR, "solid", 1, ".4f")
    if show_data_term:
        line("train_data_cost", "train cross-entropy", TRAIN_LINE_COLOR, "dot", 1, ".4f")
    if test:
        line("test_cost", "test J", TEST_LINE_COLOR, "dash", 1, ".4f")
    line("train_accuracy", "train accuracy", TRAIN_LINE_COLOR, "solid", 2, ".1%")
    if test and _has_values(history.get("test_accuracy", [])):
        line("test_accuracy", "test accuracy", TEST_LINE_COLOR, "dash", 2, ".1%")
    grid = _subplot_grid(2, 1, hs=0, vs=0.07, row_heights=[0.7, 0.3])
    costs = [history[k] for k in ("train_cost", "train_data_cost", "test_cost") if k in history]
    x_common = {"showgrid": True, "gridcolor": GRID_COLOR, "zeroline": False,
                **_iteration_axis(it)}
    layout = _layout(
        height=height, title=title, uirevision=uirevision, show_legend=True,
        hovermode="x unified",
        xaxis=_axis(domain=grid[(0, 0)][1], anchor="y", matches="x2", showticklabels=False,
                    **x_common),
        xaxis2=_axis("iteration", domain=grid[(1, 0)][1], anchor="y2", **x_common),
        yaxis=_axis("cost J", domain=grid[(0, 0)][2], anchor="x", gridcolor=GRID_COLOR,
                    rangemode="normal" if log_y else "tozero", **_y_axis_type(log_y, *costs)),
        yaxis2=_axis("accuracy", domain=grid[(1, 0)][2], anchor="x2", range=[0, 1.05],
                     tickvals=[0, 0.5, 1], tickformat=".0%", gridcolor=GRID_COLOR),
    )
    if mark_iteration is not None:
        layout["shapes"] = [{"type": "line", "xref": "x2", "yref": "paper",
                             "x0": int(mark_iteration), "x1": int(mark_iteration),
                             "y0": 0, "y1": 1, "line": {"color": INK_COLOR, "width": 2,
                                                        "dash": "dot"}}]
        layout["annotations"] = [{"x": int(mark_iteration), "xref": "x2", "y": 1,
                                  "yref": "paper", "yanchor": "bottom", "showarrow": False,
                                  "text": f"iteration {int(mark_iteration):,}",
                                  "font": {"size": TICK_FONT_SIZE}}]
    return {"data": traces, "layout": layout}


def _iteration_axis(it) -> dict:
    """An iteration axis: whole numbers only, from 0. Plotly's own range for a single
    point (iteration 0) is −1…1 with ticks at ±0.5; a short run got ticks at 0.5, 1.5."""
    it = np.asarray(it, dtype=np.float64)
    last = float(np.nanmax(it)) if it.size and np.isfinite(it).any() else 0.0
    first = float(np.nanmin(it)) if it.size and np.isfinite(it).any() else 0.0
    out: dict = {"tickformat": ",d", "rangemode": "nonnegative"}
    if last - first < 10:
        # Few iterations: every whole one is a tick, and the axis starts at the first.
        lo = min(first, 0.0) if first <= 1 else first
        out.update(range=[lo, max(last, lo + 1)], dtick=1, tick0=0)
    return out


def make_cost_figure(*args, **kwargs) -> go.Figure:
    """The figure of :func:`cost_spec` (same arguments)."""
    return _figure(**cost_spec(*args, **kwargs))


# --------------------------------------------------------------------------------------
# 3. The network diagram.
# --------------------------------------------------------------------------------------


def _default_input_labels(n: int) -> list[str]:
    return [f"x{_sub(i)}" for i in range(1, n + 1)]


def _unit_y(n: int) -> np.ndarray:
    """Vertical positions of a layer's n units: unit 1 on top, centred on 0."""
    return (n - 1) / 2 - np.arange(n, dtype=np.float64)


def _segments(parts) -> tuple[np.ndarray, np.ndarray]:
    """x, y of line segments ``(x0, x1, y0s, y1s)`` joined with NaN gaps, float32."""
    xs, ys = [], []
    for x0, x1, y0, y1 in parts:
        y0, y1 = np.broadcast_arrays(np.atleast_1d(y0), np.atleast_1d(y1))
        n = y0.size
        xs.append(np.column_stack([np.full(n, x0), np.full(n, x1), np.full(n, np.nan)]))
        ys.append(np.column_stack([y0, y1, np.full(n, np.nan)]))
    return _f32(np.concatenate(xs).ravel()[:-1]), _f32(np.concatenate(ys).ravel()[:-1])


def make_network_figure(
    layer_dims: Sequence[int],
    parameters: Mapping[str, np.ndarray],
    *,
    grads: Mapping[str, np.ndarray] | None = None,
    mode: str = "weights",
    activations: Sequence[str] | None = None,
    input_labels: Sequence[str] | None = None,
    height: int | None = None,
    highlight=None,
    scale: str = "global",
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """The network as layers of units joined by edges coloured and sized by W (or dW).

    Parameters
    ----------
    layer_dims : [n[0], n[1], ..., n[L]].
    parameters : ``{"W1": (n[1], n[0]), "b1": (n[1], 1), ...}``.
    grads : ``{"dW1": ..., "db1": ...}`` with the parameters' shapes; needed when
        ``mode="gradients"``, which draws dW[l] and shows db[l] instead of W[l], b[l].
    activations : the activation names of layers 1..L (the L-1 hidden ones are enough:
        the output is sigmoid); shown under each column header.
    input_labels : n[0] labels of the input units, e.g. ``["x₁", "x₂"]``.
    height : pixels; by default it grows with the widest layer.
    highlight : a layer ``l`` (0..L; shades its column) or ``(l, j)`` (rings unit j,
        counted from 1 as in a[l]ⱼ).
    scale : ``"global"``: edge widths relative to the largest |value| of the whole
        network (vanishing gradients show as hairlines); ``"layer"``: per layer.

    Edges are grouped into one scatter per (sign, width bucket) with ``meta =
    {"kind": "edges", "sign": ±1 or 0, "bucket": k}`` (bucket -1: a layer whose values
    are all exactly 0, drawn grey and dashed); their hover is on invisible markers, one
    trace per layer (``meta = {"kind": "edge-hover", "layer": l}``, ``customdata`` =
    [j, i, value] for the edge from unit i of layer l-1 to unit j of layer l).
    """
    dims = [int(n) for n in layer_dims]
    L = len(dims) - 1
    if L < 1:
        raise ValueError(f"layer_dims needs at least [n_x, 1], got {dims}")
    if mode not in ("weights", "gradients"):
        raise ValueError(f"mode must be 'weights' or 'gradients', got {mode!r}")
    if scale not in ("global", "layer"):
        raise ValueError(f"scale must be 'global' or 'layer', got {scale!r}")
    if mode == "gradients":
        if grads is None:
            raise ValueError("mode='gradients' needs grads (dW1, db1, ...)")
        src, wsym, bsym = grads, "dW", "db"
    else:
        src, wsym, bsym = parameters, "W", "b"
    mats, biases = [], []
    for l in range(1, L + 1):
        W = np.asarray(src[f"{wsym}{l}"], dtype=np.float64)
        if W.shape != (dims[l], dims[l - 1]):
            raise ValueError(f"{wsym}{l} has shape {W.shape}, expected {(dims[l], dims[l - 1])}")
        mats.append(W)
        b = src.get(f"{bsym}{l}")
        biases.append(np.zeros(dims[l]) if b is None else np.asarray(b, np.float64).reshape(-1))
    acts = list(activations) if activations is not None else None
    if acts is not None and len(acts) == L - 1:
        acts.append("sigmoid")
    if acts is not None and len(acts) != L:
        raise ValueError(f"activations must name the {L} layers (or the {L - 1} hidden ones)")
    labels = list(input_labels) if input_labels is not None else _default_input_labels(dims[0])
    if len(labels) != dims[0]:
        raise ValueError(f"input_labels has {len(labels)} labels for n[0] = {dims[0]} inputs")
    highlight_unit = None
    if highlight is not None and not isinstance(highlight, (int, np.integer)):
        highlight_unit = tuple(int(v) for v in highlight)
        hl, hj = highlight_unit
        if not (0 <= hl <= L and 1 <= hj <= dims[hl]):
            raise ValueError(f"highlight {highlight_unit} is not a unit of layer_dims={dims}")
    elif highlight is not None and not 0 <= int(highlight) <= L:
        raise ValueError(f"highlight layer must be in 0..{L}, got {highlight}")

    n_max = max(dims)
    if height is None:
        height = max(NETWORK_MIN_HEIGHT, 90 + NETWORK_PX_PER_UNIT * n_max)
    three_line_headers = L + 1 > 5
    top = 58 if not three_line_headers else 76
    bottom = 34
    px_per_unit = (height - top - bottom) / (n_max + 1.2)
    node_size = float(np.clip(0.62 * px_per_unit, NODE_MIN_SIZE, NODE_MAX_SIZE))
    ypos = [_unit_y(n) for n in dims]

    # ---- edges, grouped by (sign, width bucket) ----
    finite_abs = [np.abs(np.where(np.isfinite(W), W, 0.0)) for W in mats]
    layer_max = [float(a.max()) if a.size else 0.0 for a in finite_abs]
    global_max = max(layer_max)
    groups: dict[tuple, list] = defaultdict(list)
    zero_layers = []
    hover = []
    for l in range(1, L + 1):
        W = mats[l - 1]
        J, I = np.meshgrid(np.arange(dims[l]), np.arange(dims[l - 1]), indexing="ij")
        J, I = J.ravel(), I.ravel()
        v = W[J, I]
        x0, x1 = float(l - 1), float(l)
        y0, y1 = ypos[l - 1][I], ypos[l][J]
        denom = global_max if scale == "global" else layer_max[l - 1]
        if layer_max[l - 1] == 0.0 and np.all(v == 0):
            zero_layers.append(l)
            groups[("zero-layer",)].append((x0, x1, y0, y1))
        else:
            with np.errstate(all="ignore"):
                r = np.where(np.isfinite(v), np.abs(v) / denom, 1.0)
            bucket = np.rint(np.clip(r, 0, 1) * (EDGE_WIDTH_BUCKETS - 1)).astype(int)
            sign = np.sign(np.where(np.isfinite(v), v, 1.0)).astype(int)
            for s in (-1, 0, 1):
                for k in range(EDGE_WIDTH_BUCKETS):
                    mask = (sign == s) & (bucket == k)
                    if mask.any():
                        groups[("edges", s, k)].append((x0, x1, y0[mask], y1[mask]))
        t = EDGE_HOVER_AT
        hover.append({
            "type": "scatter", "x0": x0 + t * (x1 - x0), "dx": 0,
            "y": _f32((1 - t) * y0 + t * y1), "mode": "markers",
            "marker": {"size": 10, "color": "rgba(0,0,0,0)"},
            "customdata": _f32(np.column_stack([J + 1, I + 1, v])),
            "hovertemplate": (f"{wsym}[{l}]<sub>%{{customdata[0]}},%{{customdata[1]}}</sub>"
                              " = %{customdata[2]:.4g}<extra></extra>"),
            "meta": {"kind": "edge-hover", "layer": l}, "uid": f"edge-hover-{l}",
        })
    traces = []
    if ("zero-layer",) in groups:
        x, y = _segments(groups[("zero-layer",)])
        traces.append({
            "type": "scatter", "x": x, "y": y, "mode": "lines", "hoverinfo": "skip",
            "uid": "edges-zero-layer", "line": {"color": GREY_COLOR, "width": 1.0,
                                                "dash": "dash"},
            "meta": {"kind": "edges", "sign": 0, "bucket": -1},
        })
    # Thin edges first, so that the thick ones are drawn on top.
    for key in sorted((k for k in groups if k[0] == "edges"), key=lambda k: (k[2], k[1])):
        _, s, k = key
        x, y = _segments(groups[key])
        width = EDGE_MIN_WIDTH + (EDGE_MAX_WIDTH - EDGE_MIN_WIDTH) * k / (EDGE_WIDTH_BUCKETS - 1)
        color = {1: CLASS1_COLOR, -1: CLASS0_COLOR, 0: GREY_COLOR}[s]
        traces.append({
            "type": "scatter", "x": x, "y": y, "mode": "lines", "hoverinfo": "skip",
            "uid": f"edges{s:+d}-{k}",
            "line": {"color": _rgba(color, EDGE_OPACITY), "width": width},
            "meta": {"kind": "edges", "sign": s, "bucket": k},
        })
    traces += hover

    # ---- units ----
    node_marker = {"size": node_size, "color": "white",
                   "line": {"color": INK_COLOR, "width": NODE_LINE_WIDTH}}
    traces.append({
        "type": "scatter", "x": _f32(np.zeros(dims[0])), "y": _f32(ypos[0]),
        "mode": "markers+text", "text": labels, "textposition": "middle left",
        "textfont": {"size": FONT_SIZE}, "marker": node_marker,
        "hovertemplate": "%{text}: input unit<extra></extra>", "uid": "units-0",
        "meta": {"kind": "units", "layer": 0},
    })
    for l in range(1, L + 1):
        out = l == L and dims[l] == 1
        text = ["ŷ"] if out else [str(j) for j in range(1, dims[l] + 1)]
        name = f"ŷ = a[{l}]<sub>1</sub>" if out else f"a[{l}]<sub>%{{text}}</sub>"
        idx = "1" if out else "%{text}"
        traces.append({
            "type": "scatter", "x": _f32(np.full(dims[l], float(l))), "y": _f32(ypos[l]),
            "mode": "markers+text", "text": text,
            "textposition": "middle right" if out else "middle center",
            "textfont": {"size": FONT_SIZE if out else SMALL_FONT_SIZE},
            "marker": node_marker, "customdata": _f32(biases[l - 1]),
            "hovertemplate": (f"{name}<br>{bsym}[{l}]<sub>{idx}</sub> = %{{customdata:.4g}}"
                              "<extra></extra>"),
            "uid": f"units-{l}", "meta": {"kind": "units", "layer": l},
        })

    # ---- highlight ----
    shapes = []
    if highlight_unit is not None:
        hl, hj = highlight_unit
        traces.append({
            "type": "scatter", "x": [float(hl)], "y": [float(ypos[hl][hj - 1])],
            "mode": "markers", "hoverinfo": "skip", "uid": "highlight",
            "marker": {"symbol": "circle-open", "size": node_size + 12,
                       "color": HIGHLIGHT_COLOR, "line": {"width": 3}},
            "meta": {"kind": "highlight", "layer": hl, "unit": hj},
        })
    elif highlight is not None:
        hl = int(highlight)
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": hl - 0.3,
                       "x1": hl + 0.3, "y0": 0, "y1": 1, "layer": "below",
                       "fillcolor": _rgba(HIGHLIGHT_COLOR, 0.1), "line": {"width": 0}})

    # ---- headers, caption, zero notes ----
    annotations = []
    sep = "<br>" if three_line_headers else " "
    for l in range(L + 1):
        if l == 0:
            text = f"<b>input</b><br>{dims[0]} feature{'s' if dims[0] != 1 else ''}"
        else:
            units = f"{dims[l]} unit{'s' if dims[l] != 1 else ''}"
            what = (f"{_activation_label(acts[l - 1])}{sep}({units})" if acts is not None
                    else units)
            text = f"<b>layer {l}</b><br>{what}"
        annotations.append({"x": l, "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom",
                            "yshift": 4, "text": text, "showarrow": False,
                            "font": {"size": SMALL_FONT_SIZE}})
    caption = (f"blue: {wsym} > 0 · orange: {wsym} < 0 · width ∝ |{wsym}| · "
               f"bias {bsym}[l] on hover")
    annotations.append({"x": 0.5, "y": 0, "xref": "paper", "yref": "paper", "yanchor": "top",
                        "yshift": -6, "text": caption, "showarrow": False,
                        "font": {"size": SMALL_FONT_SIZE}})
    if len(zero_layers) == L:
        note = "all weights are 0" if mode == "weights" else "all gradients are exactly 0"
        annotations.append({"x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
                            "text": f"<b>{note}</b>", "showarrow": False,
                            "font": {"size": FONT_SIZE + 2},
                            "bgcolor": "rgba(255,255,255,0.88)", "bordercolor": GREY_COLOR,
                            "borderpad": 6, "name": "all-zero"})
    else:
        for l in zero_layers:
            annotations.append({"x": l - 0.5, "y": 0, "xref": "x", "yref": "paper",
                                "yanchor": "bottom", "text": f"all {wsym}[{l}] = 0",
                                "showarrow": False, "font": {"size": SMALL_FONT_SIZE},
                                "bgcolor": "rgba(255,255,255,0.8)", "name": f"zero-{l}"})

    pad_left = 0.3 + 0.07 * max((len(s) for s in labels), default=1)
    half = (n_max - 1) / 2 + 0.6
    layout = _layout(
        height=height, title=None, uirevision=uirevision, hovermode="closest",
        dragmode=False, margin={"l": 4, "r": 4, "t": top, "b": bottom},
        annotations=annotations, shapes=shapes,
        xaxis={"visible": False, "fixedrange": True, "range": [-pad_left, L + 0.45]},
        yaxis={"visible": False, "fixedrange": True, "range": [-half, half]},
    )
    return _figure(traces, layout)


# --------------------------------------------------------------------------------------
# 4. What each unit computes over the plane.
# --------------------------------------------------------------------------------------


def _row_scale(values: np.ndarray) -> tuple[float, float, list]:
    """``(zmin, zmax, colorscale)`` shared by a row: 0..max when nothing is negative,
    else symmetric around 0 with the diverging scale."""
    v = values[np.isfinite(values)]
    lo = float(v.min()) if v.size else 0.0
    hi = float(v.max()) if v.size else 0.0
    if lo >= 0:
        return 0.0, (hi if hi > 0 else 1.0), SEQUENTIAL_COLORSCALE
    a = max(abs(lo), abs(hi))
    return -a, a, DIVERGING_COLORSCALE


def _layer_unit_title(l: int, j: int, input_labels: Sequence[str] | None) -> str:
    if l == 0:
        if input_labels is not None and j - 1 < len(input_labels):
            return input_labels[j - 1]
        return f"x{_sub(j)}"
    return f"a[{l}]{_sub(j)}"


def make_unit_maps_figure(
    grid: Grid,
    layer_maps: Sequence[np.ndarray],
    *,
    layer_titles: Sequence[str] | None = None,
    unit_titles: Sequence[Sequence[str]] | None = None,
    height_per_row: int | None = None,
    max_cols: int = 16,
    first_layer: int = 0,
    input_labels: Sequence[str] | None = None,
    max_resolution: int | None = None,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """Small multiples: one row per layer, one small heatmap per unit.

    grid : the Grid the maps were computed on (``xs`` (nx,), ``ys`` (ny,), evenly spaced
        as ``make_grid`` makes them: the heatmaps carry x0, dx, y0, dy, not coordinates).
    layer_maps : arrays of shape (n_units, ny, nx), e.g. ``grid_activations(...)``
        = [A0, A1, ..., AL]; by default the first is taken as layer ``first_layer`` (0:
        the inputs, titled by ``input_labels`` or x₁, x₂...), the next as layer 1, etc.
    layer_titles : one per row (default "input", "layer 1", ...), shown on the left.
    unit_titles : one list of titles per row (default "x₁", "a[1]₁", ...).
    height_per_row : pixels per row; by default about the width a map gets in a
        ~800 px wide page (rows of 16 small maps are flatter than rows of 4).
    max_cols : at most this many units per row are drawn (the first ones).
    max_resolution : maps are thinned (every k-th grid point) to at most this many
        cells per side (default 32, or 20 when a row shows more than 6 units): small
        multiples do not need more, and the payload stays small.

    The subplot grid is rows × cols with cols = the widest layer (≤ max_cols); the map
    of unit c (from 0) in row r has axes x{k}, y{k} with k = r·cols + c + 1, as
    make_subplots numbers them (only cells with a map get axes). Every row shares one
    colour range: 0..max for non-negative rows, else ±max|value|.
    """
    xs, ys = np.asarray(grid.xs), np.asarray(grid.ys)
    maps = [np.asarray(m) for m in layer_maps]
    if not maps:
        raise ValueError("layer_maps is empty")
    for k, m in enumerate(maps):
        if m.ndim != 3 or m.shape[1:] != (ys.size, xs.size):
            raise ValueError(f"layer_maps[{k}] must have shape (n_units, {ys.size}, {xs.size}),"
                             f" got {m.shape}")
    rows = len(maps)
    cols = max(1, min(max(m.shape[0] for m in maps), int(max_cols)))
    if max_resolution is None:
        max_resolution = UNIT_MAP_RESOLUTION if cols <= 6 else UNIT_MAP_RESOLUTION_WIDE
    step = max(1, math.ceil(max(xs.size, ys.size) / max(int(max_resolution), 2)))
    xs_s, ys_s = xs[::step].astype(np.float64), ys[::step].astype(np.float64)
    # make_grid's points are evenly spaced: x0 + dx instead of coordinate arrays.
    cells = {"x0": float(xs_s[0]), "dx": float(xs_s[1] - xs_s[0]) if xs_s.size > 1 else 1.0,
             "y0": float(ys_s[0]), "dy": float(ys_s[1] - ys_s[0]) if ys_s.size > 1 else 1.0}

    if height_per_row is None:
        height_per_row = int(np.clip(UNIT_MAP_PAGE_WIDTH / cols, 60, UNIT_MAP_ROW_HEIGHT)) + 22
    total = rows * height_per_row + 20
    grid_dom = _subplot_grid(rows, cols, hs=min(0.02, 0.3 / cols),
                             vs=min(0.3 / rows, 24 / total) if rows > 1 else 0.0)
    hidden = {"showticklabels": False, "ticks": "", "showgrid": False, "zeroline": False,
              "constrain": "domain"}
    traces, axes, annotations = [], {}, []
    for r, m in enumerate(maps):
        l = first_layer + r
        zmin, zmax, cs = _row_scale(m[:cols])
        label = (layer_titles[r] if layer_titles is not None
                 else ("input" if l == 0 else f"layer {l}"))
        if m.shape[0] > cols:
            label += f" (first {cols} of {m.shape[0]})"
        for c in range(min(m.shape[0], cols)):
            k, xdom, ydom = grid_dom[(r, c)]
            a = _ax_id(k)
            name = (str(unit_titles[r][c]) if unit_titles is not None
                    else _layer_unit_title(l, c + 1, input_labels))
            traces.append({
                "type": "heatmap", "z": _f32(m[c, ::step, ::step]), **cells,
                "zmin": zmin, "zmax": zmax, "colorscale": cs, "showscale": False,
                "zsmooth": "best", "name": name, "xaxis": f"x{a}", "yaxis": f"y{a}",
                "hovertemplate": (f"{name}<br>x₁ = %{{x:.2f}}<br>x₂ = %{{y:.2f}}"
                                  "<br>value = %{z:.3f}<extra></extra>"),
            })
            axes[f"xaxis{a}"] = {"domain": xdom, "anchor": f"y{a}", **hidden}
            axes[f"yaxis{a}"] = {"domain": ydom, "anchor": f"x{a}", "scaleanchor": f"x{a}",
                                 "scaleratio": 1, "constraintoward": "top", **hidden}
            if c == 0:
                axes[f"yaxis{a}"]["title"] = {"text": label, "standoff": 2,
                                              "font": {"size": SMALL_FONT_SIZE}}
                axes[f"yaxis{a}"]["automargin"] = True
            annotations.append(_subplot_title(name, xdom, ydom))
    layout = _layout(height=total, title=None, uirevision=uirevision,
                     margin={"l": 4, "r": 4, "t": 24, "b": 4}, annotations=annotations, **axes)
    return _figure(traces, layout)


def make_unit_figure(
    grid: Grid,
    values,
    *,
    title: str | None,
    X_train=None,
    Y_train=None,
    height: int = UNIT_FIGURE_HEIGHT,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """One unit's output over the plane at full size ("enlarge a unit").

    values : (ny, nx) over ``grid``; X_train (2, m) and Y_train (1, m) optionally drawn
    on top. The colour range is 0..max for non-negative values, else ±max|value|.
    """
    xs, ys = _f32(grid.xs), _f32(grid.ys)
    V = np.asarray(values)
    if V.shape != (ys.size, xs.size):
        raise ValueError(f"values must have shape {(ys.size, xs.size)}, got {V.shape}")
    zmin, zmax, cs = _row_scale(V)
    traces = [{
        "type": "heatmap", "z": _f32(V), "x": xs, "y": ys, "zmin": zmin, "zmax": zmax,
        "colorscale": cs, "zsmooth": "best", "colorbar": _colorbar("value"), "uid": "unit",
        "hovertemplate": "x₁ = %{x:.3f}<br>x₂ = %{y:.3f}<br>value = %{z:.3f}<extra></extra>",
    }]
    points = X_train is not None and Y_train is not None
    if points:
        # Dark outlines: the unit's own colours are the class colours too.
        traces += _point_traces(X_train, Y_train, split="train", symbol=TRAIN_SYMBOL,
                                size=TRAIN_MARKER_SIZE - 1,
                                line={"color": INK_COLOR, "width": 1.2})
    layout = _layout(height=height, title=title, uirevision=uirevision, show_legend=points,
                     legend={"x": 1, "xanchor": "right"}, **_plane_axes(xs, ys))
    return _figure(traces, layout)


# --------------------------------------------------------------------------------------
# 5, 6. Activations.
# --------------------------------------------------------------------------------------


def saturated_intervals(z, name: str, threshold: float = SATURATION_THRESHOLD
                        ) -> list[tuple[float, float]]:
    """The runs of the sorted grid ``z`` (k,) where |g'(z)| < threshold, as (start, end)
    (none for an activation that does not saturate: ``diagnostics.saturation_threshold``)."""
    z = np.asarray(z, dtype=np.float64)
    threshold = saturation_threshold(name, threshold)
    with np.errstate(all="ignore"):
        sat = np.abs(ACTIVATIONS[name].dg(z)) < threshold
    edges = np.flatnonzero(np.diff(np.concatenate([[0], sat.astype(int), [0]])))
    return [(float(z[a]), float(z[b - 1])) for a, b in zip(edges[::2], edges[1::2],
                                                              strict=True)]


def _curve_traces(name: str, z: np.ndarray, a: str, *, legend: bool) -> list[dict]:
    """g(z) solid and g'(z) dashed on the axes x{a}, y{a}."""
    act = ACTIVATIONS[name]
    with np.errstate(all="ignore"):
        g, dg = act.g(z), act.dg(z)
    common = {"type": "scatter", "x": _f32(z), "mode": "lines", "showlegend": legend,
              "xaxis": f"x{a}", "yaxis": f"y{a}"}
    return [
        {**common, "y": _f32(g), "name": "g(z)", "legendgroup": "g",
         "line": {"color": INK_COLOR, "width": LINE_WIDTH},
         "hovertemplate": "z = %{x:.2f}<br>g(z) = %{y:.3f}<extra></extra>",
         "meta": {"kind": "g", "activation": name}},
        {**common, "y": _f32(dg), "name": "g′(z)", "legendgroup": "dg",
         "line": {"color": TEST_LINE_COLOR, "width": LINE_WIDTH, "dash": "dash"},
         "hovertemplate": "z = %{x:.2f}<br>g′(z) = %{y:.3f}<extra></extra>",
         "meta": {"kind": "dg", "activation": name}},
    ]


def _curve_y_range(name: str, z: np.ndarray) -> list[float]:
    act = ACTIVATIONS[name]
    with np.errstate(all="ignore"):
        v = np.concatenate([act.g(z), act.dg(z)])
    lo = max(min(float(np.nanmin(v)), -0.1), -CURVE_Y_LIMIT)
    hi = min(max(float(np.nanmax(v)), 1.0), CURVE_Y_LIMIT)
    pad = 0.08 * (hi - lo)
    return [lo - pad, hi + pad]


def _shades(intervals, z: np.ndarray, axis_ids: Sequence[str]) -> list[dict]:
    """Light vertical bands over the saturated intervals, on each subplot x{a}, y{a}."""
    dz = float(z[1] - z[0]) if z.size > 1 else 0.0
    return [{"type": "rect", "xref": f"x{a}", "yref": f"y{a} domain", "x0": lo - dz / 2,
             "x1": hi + dz / 2, "y0": 0, "y1": 1, "layer": "below", "fillcolor": SHADE_COLOR,
             "line": {"width": 0}, "name": "saturated"}
            for lo, hi in intervals for a in axis_ids]


def _z_range(Z: np.ndarray) -> tuple[float, float]:
    v = Z[np.isfinite(Z)]
    lo = float(v.min()) if v.size else 0.0
    hi = float(v.max()) if v.size else 0.0
    lo = max(min(-Z_MIN_RANGE, math.floor(lo)), -Z_CLIP)
    hi = min(max(Z_MIN_RANGE, math.ceil(hi)), Z_CLIP)
    return lo, hi


def _percent(frac: float) -> str:
    if 0 < frac < 0.005:
        return "<1%"
    if 0.995 < frac < 1:
        return ">99%"
    return f"{100 * frac:.0f}%"


def make_activations_at_work_figure(
    activation_names: Sequence[str],
    Zs: Sequence[np.ndarray],
    *,
    height: int = ACTIVATIONS_HEIGHT,
    bins: int = HISTOGRAM_BINS,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """Where each hidden layer's pre-activations fall on its activation curve.

    activation_names : one key of ``ACTIVATIONS`` per hidden layer l = 1..L-1.
    Zs : Z[l] of shape (n[l], m) over the training data, one per hidden layer.

    One column per layer: g(z) and g′(z) on top, the histogram of every entry of Z[l]
    below (shared z axis; entries outside the plotted range are counted in the end bins;
    the bars' ``meta`` says how many were clipped). Regions where |g′(z)| < 0.05 are
    shaded; titles read "layer 1 · tanh · 12% saturated" (and "· 3 dead" for dead units).
    Column c (from 1) has the axes x{c}, y{c} on top and x{n+c}, y{n+c} below.
    """
    names = list(activation_names)
    if len(names) != len(Zs):
        raise ValueError(f"{len(names)} activation names for {len(Zs)} layers of Z")
    n = len(names)
    if n == 0:
        note = {"text": "no hidden layer: this is logistic regression", "x": 0.5, "y": 0.5,
                "xref": "paper", "yref": "paper", "showarrow": False,
                "font": {"size": FONT_SIZE}}
        layout = _layout(height=height // 2, title=None, uirevision=uirevision,
                         annotations=[note], xaxis={"visible": False},
                         yaxis={"visible": False})
        return _figure([], layout)
    grid = _subplot_grid(2, n, hs=min(0.08, 0.4 / n), vs=0.08, row_heights=[0.55, 0.45])
    traces, shapes, annotations, axes = [], [], [], {}
    grid_style = {"gridcolor": "rgba(128, 128, 128, 0.2)"}
    for c, (name, Z) in enumerate(zip(names, Zs, strict=True)):
        Z = np.asarray(Z, dtype=np.float64)
        l = c + 1
        k_top, xdom, ydom_top = grid[(0, c)]
        k_bot, _, ydom_bot = grid[(1, c)]
        top, bot = _ax_id(k_top), _ax_id(k_bot)
        title = f"layer {l} · {_activation_label(name)} · "
        if Z.size == 0:  # no examples: the diagnostics' means are undefined
            title += "no data"
        else:
            title += f"{_percent(saturation_fraction(Z, name))} saturated"
            dead = dead_units(Z, name)
            if dead:
                title += f" · {dead} dead"
        annotations.append(_subplot_title(title, xdom, ydom_top, SMALL_FONT_SIZE + 1))
        lo, hi = _z_range(Z)
        z = np.linspace(lo, hi, CURVE_POINTS)
        traces += _curve_traces(name, z, top, legend=c == 0)
        v = Z[np.isfinite(Z)].ravel()
        clipped = int(np.sum((v < lo) | (v > hi)))
        counts, edges = np.histogram(np.clip(v, lo, hi), bins=bins, range=(lo, hi))
        traces.append({
            "type": "bar", "x": _f32(0.5 * (edges[:-1] + edges[1:])),
            "y": counts.astype(np.int32), "width": float(edges[1] - edges[0]),
            "marker": {"color": "#6b8fb3", "line": {"width": 0}},
            "customdata": _f32(np.column_stack([edges[:-1], edges[1:]])),
            "hovertemplate": ("z from %{customdata[0]:.2f} to %{customdata[1]:.2f}"
                              "<br>%{y} entries<extra></extra>"),
            "showlegend": False, "name": f"Z[{l}]", "xaxis": f"x{bot}", "yaxis": f"y{bot}",
            "meta": {"kind": "histogram", "layer": l, "clipped": clipped},
        })
        shapes += _shades(saturated_intervals(z, name), z, [top, bot])
        axes[f"xaxis{top}"] = _axis(domain=xdom, anchor=f"y{top}", matches=f"x{bot}",
                                    showticklabels=False, range=[lo, hi], zeroline=False,
                                    **grid_style)
        axes[f"xaxis{bot}"] = _axis(f"z in Z[{l}]", domain=xdom, anchor=f"y{bot}",
                                    range=[lo, hi], zeroline=False, **grid_style)
        axes[f"yaxis{top}"] = _axis(domain=ydom_top, anchor=f"x{top}",
                                    range=_curve_y_range(name, z), zeroline=True,
                                    zerolinecolor=ZERO_LINE_COLOR, **grid_style)
        axes[f"yaxis{bot}"] = _axis("count" if c == 0 else None, domain=ydom_bot,
                                    anchor=f"x{bot}", zeroline=True,
                                    zerolinecolor=ZERO_LINE_COLOR, **grid_style)
    layout = _layout(height=height, title=None, uirevision=uirevision, show_legend=True,
                     hovermode="closest", bargap=0, margin={"t": 64}, legend={"y": 1.09},
                     shapes=shapes, annotations=annotations, **axes)
    return _figure(traces, layout)


def make_activation_curves_figure(
    names: Sequence[str],
    *,
    z_min: float = -5.0,
    z_max: float = 5.0,
    shade_saturation: bool = True,
    height: int | None = None,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """Small multiples of activation functions: g(z) solid, g′(z) dashed, up to 3 a row.

    names : keys of ``ACTIVATIONS``. Regions where |g′(z)| < 0.05 are shaded when
    ``shade_saturation``. Height defaults to ``CURVES_ROW_HEIGHT`` per row. Subplot k
    (from 1, row by row) has the axes x{k}, y{k}.
    """
    names = list(names)
    if not names:
        raise ValueError("names is empty: pass at least one activation")
    for name in names:
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}; choose from {', '.join(ACTIVATIONS)}")
    if not z_max > z_min:
        raise ValueError(f"z_max must exceed z_min, got [{z_min}, {z_max}]")
    cols = min(len(names), 3)
    rows = math.ceil(len(names) / cols)
    if height is None:
        height = CURVES_ROW_HEIGHT * rows + 40
    grid = _subplot_grid(rows, cols, hs=0.07, vs=min(0.3 / rows, 0.12))
    z = np.linspace(z_min, z_max, CURVE_POINTS)
    traces, shapes, annotations, axes = [], [], [], {}
    style = {"zeroline": True, "zerolinecolor": ZERO_LINE_COLOR,
             "gridcolor": "rgba(128, 128, 128, 0.2)"}
    for i, name in enumerate(names):
        r, c = divmod(i, cols)
        k, xdom, ydom = grid[(r, c)]
        a = _ax_id(k)
        traces += _curve_traces(name, z, a, legend=i == 0)
        if shade_saturation:
            shapes += _shades(saturated_intervals(z, name), z, [a])
        annotations.append(_subplot_title(ACTIVATIONS[name].label, xdom, ydom, FONT_SIZE))
        last_in_column = i + cols >= len(names)
        axes[f"xaxis{a}"] = _axis("z" if last_in_column else None, domain=xdom,
                                  anchor=f"y{a}", range=[z_min, z_max], **style)
        axes[f"yaxis{a}"] = _axis(domain=ydom, anchor=f"x{a}",
                                  range=_curve_y_range(name, z), **style)
    layout = _layout(height=height, title=None, uirevision=uirevision, show_legend=True,
                     hovermode="closest", margin={"t": 64}, legend={"y": 1.06},
                     shapes=shapes, annotations=annotations, **axes)
    return _figure(traces, layout)


# --------------------------------------------------------------------------------------
# 7. A small matrix, annotated.
# --------------------------------------------------------------------------------------


def format_value(v: float) -> str:
    """A cell's text: exactly ``"0"`` for zero, 3 significant digits, scientific below
    1e-3 or from 1e4 on (``"0.0123"``, ``"-1.5"``, ``"4.56e-05"``)."""
    v = float(v)
    if v == 0:
        return "0"
    if not math.isfinite(v):
        return str(v)
    if abs(v) < 1e-3 or abs(v) >= 1e4:
        return f"{v:.2e}"
    return f"{v:.3g}"


def make_matrix_heatmap_figure(
    M,
    *,
    title: str | None = None,
    row_label: str = "unit",
    col_label: str = "input",
    symbol: str = "W",
    layer: int = 1,
    height: int | None = None,
    zmax: float | None = None,
    col_labels: Sequence[str] | None = None,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """An annotated heatmap of a small matrix such as W[1] (n[1], n[0]) or dW[l].

    M : (rows, cols). Rows are labelled "unit 1".."unit n" from top to bottom; columns
    "from x₁".. for layer 1 and "from a[l-1]ⱼ" otherwise (or ``col_labels``), under the
    axis title ``col_label``. Each cell shows ``format_value`` of its entry; colours are
    diverging and symmetric around 0 (±``zmax``, default max|M|).
    """
    M = np.asarray(M, dtype=np.float64)
    if M.ndim == 1:
        M = M[:, None]
    if M.ndim != 2:
        raise ValueError(f"M must be a 2-D matrix, got shape {M.shape}")
    n, k = M.shape
    rows = [f"{row_label} {i}" for i in range(1, n + 1)]
    if col_labels is None:
        cols = ([f"from x{_sub(j)}" for j in range(1, k + 1)] if layer == 1
                else [f"from a[{layer - 1}]{_sub(j)}" for j in range(1, k + 1)])
    else:
        cols = [str(c) for c in col_labels]
        if len(cols) != k:
            raise ValueError(f"col_labels has {len(cols)} labels for {k} columns")
    if zmax is None:
        finite = np.abs(M[np.isfinite(M)])
        zmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    sym = f"{symbol}[{layer}]"
    trace = {
        "type": "heatmap", "z": _f32(M), "x": cols, "y": rows, "zmin": -zmax, "zmax": zmax,
        "colorscale": DIVERGING_COLORSCALE,
        "text": [[format_value(v) for v in r] for r in M], "texttemplate": "%{text}",
        "textfont": {"size": TICK_FONT_SIZE if k <= 8 else SMALL_FONT_SIZE},
        "xgap": 2, "ygap": 2, "colorbar": _colorbar(sym, tickformat=".2~g"),
        "uid": "matrix",
        "hovertemplate": f"%{{y}}, %{{x}}<br>{sym} entry = %{{z:.4g}}<extra></extra>",
    }
    if height is None:
        height = max(MATRIX_MIN_HEIGHT, 70 + MATRIX_CELL_HEIGHT * n + (40 if title else 0))
    layout = _layout(height=height, title=title, uirevision=uirevision,
                     xaxis=_axis(col_label, side="bottom", showgrid=False, ticks=""),
                     yaxis=_axis(autorange="reversed", showgrid=False, ticks=""))
    return _figure([trace], layout)


# --------------------------------------------------------------------------------------
# 8. Overlaid series.
# --------------------------------------------------------------------------------------


def _xarray(x) -> np.ndarray:
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.integer) else _f32(x)


def make_series_figure(
    series: Sequence[Mapping],
    *,
    y_title: str,
    log_y: bool = False,
    height: int = SERIES_HEIGHT,
    x_title: str = "iteration",
    band: Sequence[Mapping] | None = None,
    title: str | None = None,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """Overlaid lines, optionally over translucent bands (e.g. mean with min–max).

    series : dicts ``{"name", "x" (k,), "y" (k,), optional "dash", optional "color"}``;
        colours default to ``SERIES_PALETTE`` in order.
    band : dicts ``{"name", "x" (k,), "lo" (k,), "hi" (k,), "color"}``, drawn first, in
        the legend group of the series of the same name (whose colour they default to).
    """
    colors = {}
    for i, s in enumerate(series):
        colors[s["name"]] = s.get("color") or SERIES_PALETTE[i % len(SERIES_PALETTE)]
    traces = []
    for b in band or []:
        color = b.get("color") or colors.get(b["name"], GREY_COLOR)
        x = np.asarray(b["x"])
        traces.append({
            "type": "scatter", "x": _xarray(np.concatenate([x, x[::-1]])),
            "y": _f32(np.concatenate([np.asarray(b["hi"]), np.asarray(b["lo"])[::-1]])),
            "fill": "toself", "fillcolor": _rgba(color, BAND_OPACITY), "mode": "lines",
            "line": {"width": 0}, "hoverinfo": "skip", "showlegend": False,
            "name": f"{b['name']} (range)", "legendgroup": b["name"], "meta": {"kind": "band"},
        })
    for s in series:
        x = np.asarray(s["x"])
        traces.append({
            "type": "scatter", "x": _xarray(x), "y": _f32(s["y"]), "name": s["name"],
            "legendgroup": s["name"], "mode": "lines" if x.size > 2 else "lines+markers",
            "line": {"color": colors[s["name"]], "width": LINE_WIDTH,
                     "dash": s.get("dash") or "solid"},
            "hovertemplate": "%{y:.4g}", "meta": {"kind": "series"},
        })
    ys = [s["y"] for s in series] + [b[k] for b in band or [] for k in ("lo", "hi")]
    layout = _layout(
        height=height, title=title, uirevision=uirevision, show_legend=True,
        hovermode="x unified",
        xaxis=_axis(x_title, gridcolor=GRID_COLOR, zeroline=False,
                    **(_iteration_axis(np.concatenate(
                        [np.asarray(s["x"], dtype=np.float64).ravel() for s in series]
                        or [np.zeros(0)])) if x_title == "iteration" else {})),
        yaxis=_axis(y_title, gridcolor=GRID_COLOR, **_y_axis_type(log_y, *ys)),
    )
    return _figure(traces, layout)


# --------------------------------------------------------------------------------------
# 9. Distributions per layer.
# --------------------------------------------------------------------------------------


def subsample_sorted(values, k: int = BOX_MAX_VALUES) -> np.ndarray:
    """At most ``k`` values that keep the distribution: the finite values sorted, taken
    at evenly spaced ranks (the minimum and maximum included). Deterministic."""
    v = np.asarray(values, dtype=np.float64).ravel()
    v = np.sort(v[np.isfinite(v)])
    if v.size <= k:
        return v
    return v[np.rint(np.linspace(0, v.size - 1, k)).astype(np.int64)]


def make_box_figure(
    groups: Sequence[Mapping],
    *,
    y_title: str,
    log_y: bool = False,
    height: int = BOX_HEIGHT,
    title: str | None = None,
    max_values: int = BOX_MAX_VALUES,
    uirevision: str | None = UIREVISION,
) -> go.Figure:
    """Grouped box plots of each layer's values, one colour per group.

    groups : dicts ``{"name": "random × 0.01", "layers": [array_l1, array_l2, ...]}``
        (optional ``"color"``); each array (any shape, e.g. Z[l] (n[l], m)) is flattened
        and subsampled to at most ``max_values`` values (``subsample_sorted``). One box
        trace per group, with x the layer number 1..L (ticks "layer 1".."layer L");
        whiskers reach the minimum and maximum.
    """
    traces = []
    n_layers = 0
    for g_i, g in enumerate(groups):
        xs, ys = [], []
        for l, a in enumerate(g["layers"], start=1):
            v = subsample_sorted(a, max_values)
            xs.append(np.full(v.size, l, dtype=np.int16))
            ys.append(v)
            n_layers = max(n_layers, l)
        x = np.concatenate(xs) if xs else np.zeros(0, np.int16)
        y = _f32(np.concatenate(ys)) if ys else np.zeros(0, np.float32)
        color = g.get("color") or SERIES_PALETTE[g_i % len(SERIES_PALETTE)]
        traces.append({
            "type": "box", "x": x, "y": y, "name": g["name"], "boxpoints": False,
            "offsetgroup": str(g_i), "marker": {"color": color}, "line": {"width": 2},
            "fillcolor": _rgba(color, 0.3), "meta": {"kind": "box"},
        })
    layout = _layout(
        height=height, title=title, uirevision=uirevision, show_legend=True, boxmode="group",
        xaxis=_axis(tickvals=list(range(1, n_layers + 1)),
                    ticktext=[f"layer {l}" for l in range(1, n_layers + 1)],
                    range=[0.5, n_layers + 0.5], showgrid=False, zeroline=False),
        yaxis=_axis(y_title, gridcolor=GRID_COLOR, zerolinecolor=ZERO_LINE_COLOR,
                    **_y_axis_type(log_y, *[a for g in groups for a in g["layers"]])),
    )
    return _figure(traces, layout)


# --------------------------------------------------------------------------------------
# 10. Confusion matrix.
# --------------------------------------------------------------------------------------


def confusion_matrix(Y, Yhat) -> np.ndarray:
    """Counts ``C[t, p]`` (2, 2), int64: rows are the true class 0/1, columns the
    predicted class 0/1. Y and Yhat are (1, m) (any shape with m entries); Yhat may hold
    0/1 predictions or probabilities ŷ (class 1 where ŷ > 0.5, as ``nn.predict``)."""
    y = np.asarray(Y).ravel() > 0.5
    p = np.asarray(Yhat).ravel() > 0.5
    if y.size != p.size:
        raise ValueError(f"Y has {y.size} entries but Yhat has {p.size}")
    C = np.zeros((2, 2), dtype=np.int64)
    np.add.at(C, (y.astype(np.int64), p.astype(np.int64)), 1)
    return C


def make_confusion_figure(Y, Yhat, *, title: str | None = None,
                          height: int = CONFUSION_HEIGHT,
                          uirevision: str | None = UIREVISION) -> go.Figure:
    """The 2 × 2 confusion matrix as an annotated heatmap: rows "true 0", "true 1" (top
    to bottom), columns "predicted 0", "predicted 1"; each cell shows its count and its
    share of all m examples. Y, Yhat as in ``confusion_matrix``."""
    C = confusion_matrix(Y, Yhat)
    m = int(C.sum())
    text = [[f"{c}<br>({c / m:.0%})" if m else "0" for c in row] for row in C]
    trace = {
        "type": "heatmap", "z": C.astype(np.int32), "x": ["predicted 0", "predicted 1"],
        "y": ["true 0", "true 1"], "zmin": 0, "zmax": max(m, 1),
        "colorscale": COUNT_COLORSCALE, "showscale": False, "text": text,
        "texttemplate": "%{text}", "textfont": {"size": FONT_SIZE + 1},
        "xgap": 3, "ygap": 3, "uid": "confusion",
        "hovertemplate": "%{y}, %{x}: %{z} examples<extra></extra>",
    }
    layout = _layout(height=height, title=title, uirevision=uirevision,
                     xaxis=_axis(side="bottom", showgrid=False, ticks=""),
                     yaxis=_axis(autorange="reversed", showgrid=False, ticks=""))
    return _figure([trace], layout)
