"""Small matrices as annotated heatmaps: a weight or gradient matrix such as W[1] or
dW[l] (``make_matrix_heatmap_figure``), and the 2 × 2 confusion matrix
(``make_confusion_figure``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from playground.core import text
from playground.figures.theme import (
    COUNT_COLORSCALE,
    DIVERGING_COLORSCALE,
    FONT_SIZE,
    SMALL_FONT_SIZE,
    TICK_FONT_SIZE,
    UIREVISION,
    axis,
    base_layout,
    colorbar,
    subscript,
)
from playground.figures.wire import f32, figure

MATRIX_CELL_HEIGHT = 44
MATRIX_MIN_HEIGHT = 190
CONFUSION_HEIGHT = 320


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
    axis title ``col_label``. Each cell shows ``text.cell`` of its entry; colours are
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
        cols = ([f"from x{subscript(j)}" for j in range(1, k + 1)] if layer == 1
                else [f"from a[{layer - 1}]{subscript(j)}" for j in range(1, k + 1)])
    else:
        cols = [str(c) for c in col_labels]
        if len(cols) != k:
            raise ValueError(f"col_labels has {len(cols)} labels for {k} columns")
    if zmax is None:
        finite = np.abs(M[np.isfinite(M)])
        zmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    sym = f"{symbol}[{layer}]"
    trace = {
        "type": "heatmap", "z": f32(M), "x": cols, "y": rows, "zmin": -zmax, "zmax": zmax,
        "colorscale": DIVERGING_COLORSCALE,
        "text": [[text.cell(v) for v in r] for r in M], "texttemplate": "%{text}",
        "textfont": {"size": TICK_FONT_SIZE if k <= 8 else SMALL_FONT_SIZE},
        "xgap": 2, "ygap": 2, "colorbar": colorbar(sym, tickformat=".2~g"),
        "uid": "matrix",
        "hovertemplate": f"%{{y}}, %{{x}}<br>{sym} entry = %{{z:.4g}}<extra></extra>",
    }
    if height is None:
        height = max(MATRIX_MIN_HEIGHT, 70 + MATRIX_CELL_HEIGHT * n + (40 if title else 0))
    layout = base_layout(height=height, title=title, uirevision=uirevision,
                     xaxis=axis(col_label, side="bottom", showgrid=False, ticks=""),
                     yaxis=axis(autorange="reversed", showgrid=False, ticks=""))
    return figure([trace], layout)

# --------------------------------------------------------------------------------------
# The confusion matrix.
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
    layout = base_layout(height=height, title=title, uirevision=uirevision,
                     xaxis=axis(side="bottom", showgrid=False, ticks=""),
                     yaxis=axis(autorange="reversed", showgrid=False, ticks=""))
    return figure([trace], layout)
