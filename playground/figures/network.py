"""The network diagram: layers of units joined by edges coloured by the sign and sized by
the magnitude of W[l] (or of dW[l]), with the biases on hover.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from playground.figures.theme import (
    CLASS0_COLOR,
    CLASS1_COLOR,
    FONT_SIZE,
    GREY_COLOR,
    HIGHLIGHT_COLOR,
    INK_COLOR,
    SMALL_FONT_SIZE,
    UIREVISION,
    activation_label,
    base_layout,
    rgba,
    subscript,
)
from playground.figures.wire import f32, figure

NETWORK_MIN_HEIGHT = 340
NETWORK_PX_PER_UNIT = 34
EDGE_MIN_WIDTH = 0.5
EDGE_MAX_WIDTH = 8.0
EDGE_WIDTH_BUCKETS = 8
EDGE_OPACITY = 0.8
EDGE_HOVER_AT = 0.7  # edge hover markers sit this far along each edge (0 = source)
NODE_MIN_SIZE = 16
NODE_MAX_SIZE = 30
NODE_LINE_WIDTH = 2.0


def _default_input_labels(n: int) -> list[str]:
    return [f"x{subscript(i)}" for i in range(1, n + 1)]


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
    return f32(np.concatenate(xs).ravel()[:-1]), f32(np.concatenate(ys).ravel()[:-1])


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
    wsym, bsym = _symbols(mode, grads)
    mats, biases = _matrices(dims, grads if mode == "gradients" else parameters, wsym, bsym)
    acts = _layer_activations(activations, L)
    labels = list(input_labels) if input_labels is not None else _default_input_labels(dims[0])
    if len(labels) != dims[0]:
        raise ValueError(f"input_labels has {len(labels)} labels for n[0] = {dims[0]} inputs")
    highlight_unit = _check_highlight(highlight, dims)

    n_max = max(dims)
    if height is None:
        height = max(NETWORK_MIN_HEIGHT, 90 + NETWORK_PX_PER_UNIT * n_max)
    three_line_headers = L + 1 > 5
    top = 58 if not three_line_headers else 76
    bottom = 34
    px_per_unit = (height - top - bottom) / (n_max + 1.2)
    node_size = float(np.clip(0.62 * px_per_unit, NODE_MIN_SIZE, NODE_MAX_SIZE))
    ypos = [_unit_y(n) for n in dims]

    traces, zero_layers = _edge_traces(dims, mats, ypos, scale, wsym)
    traces += _unit_traces(dims, ypos, labels, biases, bsym, node_size)
    shapes = []
    if highlight_unit is not None:
        traces.append(_highlight_unit_trace(highlight_unit, ypos, node_size))
    elif highlight is not None:
        shapes.append(_highlight_layer_shape(int(highlight)))
    annotations = _headers(dims, acts, three_line_headers)
    annotations += _notes(L, wsym, bsym, mode, zero_layers)

    pad_left = 0.3 + 0.07 * max((len(s) for s in labels), default=1)
    half = (n_max - 1) / 2 + 0.6
    layout = base_layout(
        height=height, title=None, uirevision=uirevision, hovermode="closest",
        dragmode=False, margin={"l": 4, "r": 4, "t": top, "b": bottom},
        annotations=annotations, shapes=shapes,
        xaxis={"visible": False, "fixedrange": True, "range": [-pad_left, L + 0.45]},
        yaxis={"visible": False, "fixedrange": True, "range": [-half, half]},
    )
    return figure(traces, layout)


# ---- the arguments, checked ------------------------------------------------------------


def _symbols(mode: str, grads) -> tuple[str, str]:
    """The symbols drawn: ``("W", "b")``, or ``("dW", "db")`` in gradient mode."""
    if mode == "gradients":
        if grads is None:
            raise ValueError("mode='gradients' needs grads (dW1, db1, ...)")
        return "dW", "db"
    return "W", "b"


def _matrices(dims: list[int], src: Mapping[str, np.ndarray], wsym: str, bsym: str
              ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """W[l] (n[l], n[l-1]) and b[l] (n[l],) of l = 1..L from ``src`` (a missing bias is 0)."""
    mats, biases = [], []
    for l in range(1, len(dims)):
        W = np.asarray(src[f"{wsym}{l}"], dtype=np.float64)
        if W.shape != (dims[l], dims[l - 1]):
            raise ValueError(f"{wsym}{l} has shape {W.shape}, expected {(dims[l], dims[l - 1])}")
        mats.append(W)
        b = src.get(f"{bsym}{l}")
        biases.append(np.zeros(dims[l]) if b is None else np.asarray(b, np.float64).reshape(-1))
    return mats, biases


def _layer_activations(activations: Sequence[str] | None, L: int) -> list[str] | None:
    """The activations of layers 1..L: the L-1 hidden ones are completed by the sigmoid."""
    if activations is None:
        return None
    acts = list(activations)
    if len(acts) == L - 1:
        acts.append("sigmoid")
    if len(acts) != L:
        raise ValueError(f"activations must name the {L} layers (or the {L - 1} hidden ones)")
    return acts


def _check_highlight(highlight, dims: list[int]) -> tuple[int, int] | None:
    """``highlight`` checked: ``(l, j)`` of a unit, returned; a layer ``l``: None."""
    L = len(dims) - 1
    if highlight is None:
        return None
    if not isinstance(highlight, (int, np.integer)):
        hl, hj = (int(v) for v in highlight)
        if not (0 <= hl <= L and 1 <= hj <= dims[hl]):
            raise ValueError(f"highlight {(hl, hj)} is not a unit of layer_dims={dims}")
        return hl, hj
    if not 0 <= int(highlight) <= L:
        raise ValueError(f"highlight layer must be in 0..{L}, got {highlight}")
    return None


# ---- edges -----------------------------------------------------------------------------


def _edge_traces(dims: list[int], mats: list[np.ndarray], ypos: list[np.ndarray],
                 scale: str, wsym: str) -> tuple[list[dict], list[int]]:
    """The edges' traces (the all-zero layers' dashed grey lines, then one trace per
    (sign, width bucket), thin first, then each layer's hover markers), and the layers
    whose values are all exactly 0."""
    layer_max = [float(np.abs(np.where(np.isfinite(W), W, 0.0)).max()) if W.size else 0.0
                 for W in mats]
    global_max = max(layer_max)
    groups: dict[tuple, list] = defaultdict(list)
    zero_layers, hover = [], []
    for l in range(1, len(dims)):
        W = mats[l - 1]
        J, I = np.meshgrid(np.arange(dims[l]), np.arange(dims[l - 1]), indexing="ij")
        J, I = J.ravel(), I.ravel()
        v = W[J, I]
        x0, x1 = float(l - 1), float(l)
        y0, y1 = ypos[l - 1][I], ypos[l][J]
        if layer_max[l - 1] == 0.0 and np.all(v == 0):
            zero_layers.append(l)
            groups[("zero-layer",)].append((x0, x1, y0, y1))
        else:
            denom = global_max if scale == "global" else layer_max[l - 1]
            for key, mask in _buckets(v, denom):
                groups[key].append((x0, x1, y0[mask], y1[mask]))
        hover.append(_edge_hover_trace(l, wsym, x0, x1, y0, y1, J, I, v))
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
        traces.append(_edges_trace(key[1], key[2], groups[key]))
    return traces + hover, zero_layers


def _buckets(v: np.ndarray, denom: float):
    """``(("edges", sign, bucket), mask)`` of each non-empty group of the values ``v``:
    sign ±1 (0 for exactly 0; not finite counts as +1 and as the widest), and the
    width bucket 0..EDGE_WIDTH_BUCKETS-1 of |v| / ``denom``."""
    with np.errstate(all="ignore"):
        r = np.where(np.isfinite(v), np.abs(v) / denom, 1.0)
    bucket = np.rint(np.clip(r, 0, 1) * (EDGE_WIDTH_BUCKETS - 1)).astype(int)
    sign = np.sign(np.where(np.isfinite(v), v, 1.0)).astype(int)
    for s in (-1, 0, 1):
        for k in range(EDGE_WIDTH_BUCKETS):
            mask = (sign == s) & (bucket == k)
            if mask.any():
                yield ("edges", s, k), mask


def _edges_trace(s: int, k: int, parts: list) -> dict:
    """One line trace of the edges of sign ``s`` in width bucket ``k``."""
    x, y = _segments(parts)
    width = EDGE_MIN_WIDTH + (EDGE_MAX_WIDTH - EDGE_MIN_WIDTH) * k / (EDGE_WIDTH_BUCKETS - 1)
    color = {1: CLASS1_COLOR, -1: CLASS0_COLOR, 0: GREY_COLOR}[s]
    return {
        "type": "scatter", "x": x, "y": y, "mode": "lines", "hoverinfo": "skip",
        "uid": f"edges{s:+d}-{k}",
        "line": {"color": rgba(color, EDGE_OPACITY), "width": width},
        "meta": {"kind": "edges", "sign": s, "bucket": k},
    }


def _edge_hover_trace(l: int, wsym: str, x0: float, x1: float, y0, y1, J, I, v) -> dict:
    """Layer l's edges' hover: invisible markers ``EDGE_HOVER_AT`` along each edge, with
    ``customdata`` [j, i, value] (from unit i of layer l-1 to unit j of layer l)."""
    t = EDGE_HOVER_AT
    return {
        "type": "scatter", "x0": x0 + t * (x1 - x0), "dx": 0,
        "y": f32((1 - t) * y0 + t * y1), "mode": "markers",
        "marker": {"size": 10, "color": "rgba(0,0,0,0)"},
        "customdata": f32(np.column_stack([J + 1, I + 1, v])),
        "hovertemplate": (f"{wsym}[{l}]<sub>%{{customdata[0]}},%{{customdata[1]}}</sub>"
                          " = %{customdata[2]:.4g}<extra></extra>"),
        "meta": {"kind": "edge-hover", "layer": l}, "uid": f"edge-hover-{l}",
    }


# ---- units and the highlight -----------------------------------------------------------


def _unit_traces(dims: list[int], ypos: list[np.ndarray], labels: list[str],
                 biases: list[np.ndarray], bsym: str, node_size: float) -> list[dict]:
    """One trace of units per layer: the inputs labelled on their left, the hidden units
    numbered, the output ŷ; hovering a unit shows its bias."""
    node_marker = {"size": node_size, "color": "white",
                   "line": {"color": INK_COLOR, "width": NODE_LINE_WIDTH}}
    traces = [{
        "type": "scatter", "x": f32(np.zeros(dims[0])), "y": f32(ypos[0]),
        "mode": "markers+text", "text": labels, "textposition": "middle left",
        "textfont": {"size": FONT_SIZE}, "marker": node_marker,
        "hovertemplate": "%{text}: input unit<extra></extra>", "uid": "units-0",
        "meta": {"kind": "units", "layer": 0},
    }]
    L = len(dims) - 1
    for l in range(1, L + 1):
        out = l == L and dims[l] == 1
        text = ["ŷ"] if out else [str(j) for j in range(1, dims[l] + 1)]
        name = f"ŷ = a[{l}]<sub>1</sub>" if out else f"a[{l}]<sub>%{{text}}</sub>"
        idx = "1" if out else "%{text}"
        traces.append({
            "type": "scatter", "x": f32(np.full(dims[l], float(l))), "y": f32(ypos[l]),
            "mode": "markers+text", "text": text,
            "textposition": "middle right" if out else "middle center",
            "textfont": {"size": FONT_SIZE if out else SMALL_FONT_SIZE},
            "marker": node_marker, "customdata": f32(biases[l - 1]),
            "hovertemplate": (f"{name}<br>{bsym}[{l}]<sub>{idx}</sub> = %{{customdata:.4g}}"
                              "<extra></extra>"),
            "uid": f"units-{l}", "meta": {"kind": "units", "layer": l},
        })
    return traces


def _highlight_unit_trace(unit: tuple[int, int], ypos: list[np.ndarray],
                          node_size: float) -> dict:
    """A ring around unit j of layer l."""
    hl, hj = unit
    return {
        "type": "scatter", "x": [float(hl)], "y": [float(ypos[hl][hj - 1])],
        "mode": "markers", "hoverinfo": "skip", "uid": "highlight",
        "marker": {"symbol": "circle-open", "size": node_size + 12,
                   "color": HIGHLIGHT_COLOR, "line": {"width": 3}},
        "meta": {"kind": "highlight", "layer": hl, "unit": hj},
    }


def _highlight_layer_shape(hl: int) -> dict:
    """A light band behind the column of layer l."""
    return {"type": "rect", "xref": "x", "yref": "paper", "x0": hl - 0.3,
            "x1": hl + 0.3, "y0": 0, "y1": 1, "layer": "below",
            "fillcolor": rgba(HIGHLIGHT_COLOR, 0.1), "line": {"width": 0}}


# ---- headers, caption, zero notes ------------------------------------------------------


def _headers(dims: list[int], acts: list[str] | None, three_lines: bool) -> list[dict]:
    """Each column's header: "input / 2 features", "layer l / tanh (4 units)"."""
    annotations = []
    sep = "<br>" if three_lines else " "
    for l in range(len(dims)):
        if l == 0:
            text = f"<b>input</b><br>{dims[0]} feature{'s' if dims[0] != 1 else ''}"
        else:
            units = f"{dims[l]} unit{'s' if dims[l] != 1 else ''}"
            what = (f"{activation_label(acts[l - 1])}{sep}({units})" if acts is not None
                    else units)
            text = f"<b>layer {l}</b><br>{what}"
        annotations.append({"x": l, "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom",
                            "yshift": 4, "text": text, "showarrow": False,
                            "font": {"size": SMALL_FONT_SIZE}})
    return annotations


def _notes(L: int, wsym: str, bsym: str, mode: str, zero_layers: list[int]) -> list[dict]:
    """The colour caption below the diagram, and a note on layers that are all 0 (on the
    whole diagram when every layer is)."""
    caption = (f"blue: {wsym} > 0 · orange: {wsym} < 0 · width ∝ |{wsym}| · "
               f"bias {bsym}[l] on hover")
    annotations = [{"x": 0.5, "y": 0, "xref": "paper", "yref": "paper", "yanchor": "top",
                    "yshift": -6, "text": caption, "showarrow": False,
                    "font": {"size": SMALL_FONT_SIZE}}]
    if len(zero_layers) == L:
        note = "all weights are 0" if mode == "weights" else "all gradients are exactly 0"
        annotations.append({"x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
                            "text": f"<b>{note}</b>", "showarrow": False,
                            "font": {"size": FONT_SIZE + 2},
                            "bgcolor": "rgba(255,255,255,0.88)", "bordercolor": GREY_COLOR,
                            "borderpad": 6, "name": "all-zero"})
        return annotations
    for l in zero_layers:
        annotations.append({"x": l - 0.5, "y": 0, "xref": "x", "yref": "paper",
                            "yanchor": "bottom", "text": f"all {wsym}[{l}] = 0",
                            "showarrow": False, "font": {"size": SMALL_FONT_SIZE},
                            "bgcolor": "rgba(255,255,255,0.8)", "name": f"zero-{l}"})
    return annotations
