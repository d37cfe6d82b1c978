"""Text alternatives of the charts: one short sentence that says what a chart shows now,
computed from the same data as the chart (``ui_chart.live_chart(..., alt=...)`` makes it
the chart's ``aria-label``, with ``role="img"``).

Pure, like the figure builders: numbers in, a string out, written by
``playground.core.text``: iterations as the pages write them (``1,200``), accuracies as
percentages with one decimal (``91.0%``), costs with four decimals (``0.6931``), as the
course prints J, other numbers read aloud well (``spoken``: ``1.2e-10``, ``−5``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from playground.core.text import cost, count, percent, spoken

__all__ = ["activation_curves_alt", "boundary_alt", "cost_alt", "describe_figure",
           "layer_spread_alt", "network_alt", "per_layer_alt", "series_alt",
           "thumbnail_alt", "unit_maps_alt"]


def _meta(fig) -> dict:
    if isinstance(fig, go.Figure):
        meta = fig.layout.meta
    else:
        meta = (fig or {}).get("layout", {}).get("meta")
    return dict(meta) if isinstance(meta, Mapping) else {}


def boundary_alt(fig, *, iteration: int, train_accuracy: float,
                 test_accuracy: float | None = None, title: str = "Decision boundary") -> str:
    """``"Decision boundary at iteration 1,200: train accuracy 91.0%, test accuracy
    88.8%."``, followed by why no boundary is drawn when the figure says so
    (``layout.meta["boundary_note"]`` of ``figures.boundary.decision_boundary_spec``)."""
    parts = [f"train accuracy {percent(train_accuracy)}"]
    if test_accuracy is not None and math.isfinite(float(test_accuracy)):
        parts.append(f"test accuracy {percent(test_accuracy)}")
    text = f"{title} at iteration {count(iteration)}: " + ", ".join(parts) + "."
    note = _meta(fig).get("boundary_note")
    if note:
        text += f" {note[0].upper()}{note[1:]}."
    return text


def cost_alt(history: Mapping[str, np.ndarray], *, iteration: int,
             title: str = "Cost versus iterations") -> str:
    """``"Cost versus iterations, up to iteration 1,200: train J from 0.6931 to 0.2870,
    train accuracy from 49.7% to 91.0%."`` (first and last recorded values); at
    iteration 0 the one value."""
    it = np.asarray(history.get("iteration", []))
    J = np.asarray(history.get("train_cost", []), dtype=np.float64)
    acc = np.asarray(history.get("train_accuracy", []), dtype=np.float64)
    head = f"{title}, up to iteration {count(iteration)}"
    if not it.size or not J.size:
        return head + ": nothing recorded yet."
    if it.size == 1 or int(iteration) == int(it[0]):
        return (f"{head}: train J = {cost(J[-1])}, train accuracy {percent(acc[-1])}"
                + (" (no training yet)." if int(iteration) == 0 else "."))
    text = (f"{head}: train J from {cost(J[0])} to {cost(J[-1])}, train accuracy from "
            f"{percent(acc[0])} to {percent(acc[-1])}")
    test = np.asarray(history.get("test_cost", []), dtype=np.float64)
    if test.size and np.isfinite(test[-1]):
        text += f"; test J now {cost(test[-1])}"
    return text + "."


def series_alt(title: str, series: Sequence[Mapping], *, iteration: int | None = None,
               fmt=spoken) -> str:
    """``"Cost J per network at iteration 300: zeros 0.6931, constant c = 0.5 0.6410,
    random × 0.01 0.2870."``: each series' last value (``series`` as for
    ``figures.make_series_figure``)."""
    at = f" at iteration {count(iteration)}" if iteration is not None else ""
    values = []
    for s in series:
        y = np.asarray(s.get("y", []), dtype=np.float64).ravel()
        values.append(f"{s['name']} {fmt(y[-1])}" if y.size else f"{s['name']} (no data)")
    return f"{title}{at}: " + ("; ".join(values) if values else "no data") + "."


def network_alt(layer_dims: Sequence[int], activations: Sequence[str], *, iteration: int,
                mode: str = "weights") -> str:
    """``"Network diagram at iteration 1,200: 2 → 4 → 1 units, tanh then sigmoid; line
    colour and width show the weights W[l]."``"""
    arch = " → ".join(str(int(n)) for n in layer_dims)
    acts = " then ".join(dict.fromkeys(activations)) if activations else "no layer"
    shown = "the gradients dW[l]" if mode.startswith("grad") else "the weights W[l]"
    return (f"Network diagram at iteration {count(iteration)}: {arch} units, {acts}; "
            f"line colour and width show {shown}.")


def unit_maps_alt(units_per_layer: Sequence[int], *, iteration: int,
                  what: str = "Hidden units' activations over the input plane") -> str:
    """``"Hidden units' activations over the input plane at iteration 1,200: 4 maps in
    layer 1, 3 in layer 2."``"""
    parts = [f"{int(n)} map{'s' if n != 1 else ''} in layer {l}"
             for l, n in enumerate(units_per_layer, start=1)]
    return f"{what} at iteration {count(iteration)}: " + ", ".join(parts) + "."


def thumbnail_alt(label: str, *, seed: int, iterations: int, train_accuracy: float,
                  test_accuracy: float | None = None, diverged_at: int | None = None) -> str:
    """``"tanh, seed 1: decision boundary after 2,000 iterations, train accuracy 88.0%,
    test accuracy 85.0%."``; a diverged network's boundary is its last good state."""
    when = (f"last good decision boundary (diverged at iteration {count(diverged_at)})"
            if diverged_at is not None else
            f"decision boundary after {count(iterations)} iterations")
    parts = [f"train accuracy {percent(train_accuracy)}"]
    if test_accuracy is not None and math.isfinite(float(test_accuracy)):
        parts.append(f"test accuracy {percent(test_accuracy)}")
    return f"{label}, seed {int(seed)}: {when}, " + ", ".join(parts) + "."


def layer_spread_alt(label: str, layers: Sequence[np.ndarray], *, quantity: str = "Z") -> str:
    """``"Z[l] spread with random × 0.01, one box per hidden layer: std 0.0213 at layer 1,
    3.1e-05 at layer 3."``: the standard deviation of each layer's values (first and last
    layer, and every layer when there are at most three)."""
    stds = [float(np.std(np.asarray(a, dtype=np.float64))) for a in layers]
    if not stds:
        return f"{quantity}[l] spread with {label}: no hidden layer."
    shown = list(range(len(stds))) if len(stds) <= 3 else [0, len(stds) - 1]
    parts = [f"{spoken(stds[i])} at layer {i + 1}" for i in shown]
    return (f"{quantity}[l] spread with {label}, one box per hidden layer: std "
            + ", ".join(parts) + ".")


def per_layer_alt(title: str, series: Sequence[Mapping]) -> str:
    """``"Std of A[l] per layer: Xavier from 0.61 at layer 1 to 0.32 at layer 5; random ×
    0.01 from 0.0102 at layer 1 to 1.2e-10 at layer 5."``: each series' first and last
    value against its ``x`` (layer numbers; 1, 2, … when absent)."""
    parts = []
    for s in series:
        y = np.asarray(s.get("y", []), dtype=np.float64).ravel()
        x = np.asarray(s.get("x", np.arange(1, y.size + 1))).ravel()
        if not y.size:
            parts.append(f"{s['name']} (no data)")
        elif y.size == 1:
            parts.append(f"{s['name']} {spoken(y[0])} at layer {int(x[0])}")
        else:
            parts.append(f"{s['name']} from {spoken(y[0])} at layer {int(x[0])} to "
                         f"{spoken(y[-1])} at layer {int(x[-1])}")
    return f"{title}: " + ("; ".join(parts) if parts else "no data") + "."


def activation_curves_alt(curves: Mapping[str, np.ndarray], z: np.ndarray, *,
                          threshold: float) -> str:
    """``"g(z) and g'(z) of sigmoid, tanh, ReLU over z from −5 to 5; |g'(z)| <
    0.05 (saturated) beyond |z| > 3.7 for sigmoid, 2.6 for tanh."``

    ``curves`` maps each activation's name to g'(z) on the points ``z``. An activation is
    called saturated beyond the smallest |z| from which |g'| stays below ``threshold`` on
    both sides out to the ends of the range (never, for ReLU and the linear one)."""
    z = np.asarray(z, dtype=np.float64)
    names = list(curves)
    lo, hi = (spoken(v) for v in (z.min(), z.max()))
    text = f"g(z) and g'(z) of {', '.join(names)} over z from {lo} to {hi}"
    saturated = []
    for name, dg in curves.items():
        small = np.abs(np.asarray(dg, dtype=np.float64)) < threshold
        if small.all() or not small.any():
            continue
        big = np.abs(z[~small])  # every |z| where g' is still large
        edge = float(big.max())
        beyond = np.abs(z) > edge
        # Saturated only if g' is small everywhere beyond that edge, on both sides that
        # the range reaches (ReLU's g' = 0 for z < 0 is not saturation: it is 1 for z > 0).
        if beyond.any() and small[beyond].all():
            saturated.append(f"{edge:.1f} for {name}")
    if saturated:
        text += (f"; |g'(z)| < {threshold:g} (saturated) beyond |z| > "
                 + ", ".join(saturated))
    return text + "."


def describe_figure(fig) -> str:
    """A fallback text alternative read off a figure: its title or axis titles and its
    named traces (``"Chart of cost J against iteration: zeros, constant, random."``).
    Pages pass a sentence about the data instead; this keeps no chart without one."""
    if isinstance(fig, go.Figure):
        fig = fig.to_plotly_json()
    layout = fig.get("layout", {}) or {}

    def text(t):
        if isinstance(t, Mapping):
            t = t.get("text")
        return str(t) if t else ""

    title = text(layout.get("title"))
    def first_axis_title(prefix):
        for k in sorted(k for k in layout if k.startswith(prefix)):
            t = text((layout.get(k) or {}).get("title"))
            if t:
                return t
        return ""

    x, y = first_axis_title("xaxis"), first_axis_title("yaxis")
    head = title or (f"Chart of {y} against {x}" if x and y else "Chart")
    names = list(dict.fromkeys(str(t.get("name")) for t in fig.get("data", []) or []
                               if t.get("name")))
    return head + (": " + ", ".join(names[:8]) if names else "") + "."
