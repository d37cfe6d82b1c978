"""Pure logic of the initialization scale lab: what happens to the signal at iteration 0.

For a stack of hidden layers of equal width, draw ``W[l]`` with one initialization,
run one forward and one backward pass of the course's core (``playground.core.nn``) on an
input cloud, and keep every layer's ``Z[l]``, ``A[l]`` and ``||dW[l]||``. Nothing is
trained: the question is only whether the scale of the signal survives the depth.

Shapes follow ``docs/notation.md``: ``X`` is ``(n[0], m)``, ``Z[l], A[l]`` are
``(n[l], m)``; layers ``1 .. L-1`` are hidden, layer ``L`` is the sigmoid output.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from playground.core import nn
from playground.core.datasets import make_dataset
from playground.core.diagnostics import saturation_fraction
from playground.core.text import number, percent
from playground.lab.inits import InitChoice, selection

Array = np.ndarray

MAX_DEPTH = 6
WIDTHS = (2, 4, 8, 16, 32, 64)
CLOUD = "cloud"  # the input choice "standard-normal cloud"
CLOUD_POINTS = 1000
DATASET_POINTS = 400


INIT_CHOICES: dict[str, InitChoice] = selection("random_0.01", "random_1", "xavier", "he")
"""The initializations of the lab, in the order the page shows them."""


def input_cloud(m: int = CLOUD_POINTS, seed: int = 0) -> tuple[Array, Array]:
    """A standard-normal cloud ``X`` (2, m) and labels ``Y`` (1, m): y = 1 where x₁·x₂ > 0.

    The labels only matter for the gradients; any labelling gives the same picture.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, m))
    Y = (X[0] * X[1] > 0).astype(np.float64).reshape(1, m)
    return X, Y


def lab_inputs(source: str, seed: int = 0) -> tuple[Array, Array]:
    """The lab's input: ``CLOUD`` (1,000 standard-normal points) or a dataset's name
    (400 points of ``playground.core.datasets`` with its own noise)."""
    if source == CLOUD:
        return input_cloud(CLOUD_POINTS, seed)
    return make_dataset(source, DATASET_POINTS, None, seed)


@dataclass(frozen=True)
class SignalReport:
    """One initialization's signal at iteration 0.

    ``Z[l-1]`` and ``A[l-1]`` are layer l's ``(n[l], m)`` arrays for l = 1..L (the last
    one is the sigmoid output); ``dW_norms[l-1]`` is ``||dW[l]||`` (Frobenius).
    """

    choice: InitChoice
    activation: str
    layer_dims: tuple[int, ...]
    Z: tuple[Array, ...]
    A: tuple[Array, ...]
    dW_norms: Array

    @property
    def L(self) -> int:
        return len(self.layer_dims) - 1

    @property
    def hidden_Z(self) -> tuple[Array, ...]:
        return self.Z[:-1]

    @property
    def hidden_A(self) -> tuple[Array, ...]:
        return self.A[:-1]

    @property
    def std_Z(self) -> Array:
        """std of Z[l] for the hidden layers l = 1..L-1, ``(L-1,)``."""
        return np.array([float(np.std(z)) for z in self.hidden_Z])

    @property
    def std_A(self) -> Array:
        """std of A[l] for the hidden layers l = 1..L-1, ``(L-1,)``."""
        return np.array([float(np.std(a)) for a in self.hidden_A])

    @property
    def saturation(self) -> Array:
        """Share of each hidden layer's values where |g'(z)| < 0.05 (saturated sigmoid or
        tanh, ReLU off), ``(L-1,)``."""
        return np.array([saturation_fraction(z, self.activation) for z in self.hidden_Z])


def signal_at_init(X: Array, Y: Array, depth: int, width: int, activation: str,
                   choice: str | InitChoice, seed: int = 0) -> SignalReport:
    """Forward and backward propagation at initialization, in float64.

    Parameters
    ----------
    X : ``(n[0], m)`` inputs; Y : ``(1, m)`` labels.
    depth : hidden layers, 1..6; width : units n[l] of every hidden layer.
    activation : g of the hidden layers (the output layer is the sigmoid).
    choice : a key of ``INIT_CHOICES`` (or the InitChoice itself).
    seed : the weight seed of ``nn.initialize_parameters``.
    """
    if not 1 <= int(depth) <= MAX_DEPTH:
        raise ValueError(f"depth must be 1 to {MAX_DEPTH} hidden layers, got {depth}")
    if int(width) < 1:
        raise ValueError(f"width must be at least 1 unit, got {width}")
    c = choice if isinstance(choice, InitChoice) else INIT_CHOICES[choice]
    dims = [X.shape[0], *([int(width)] * int(depth)), 1]
    acts = [activation] * int(depth) + [nn.OUTPUT_ACTIVATION]
    params = nn.initialize_parameters(dims, c.method, c.scale, seed)
    X = X.astype(np.float64)
    Y = Y.astype(np.float64)
    AL, caches = nn.forward_propagation(X, params, acts)
    grads = nn.backward_propagation(AL, Y, caches, acts)
    with np.errstate(all="ignore"):
        norms = np.array([float(np.linalg.norm(grads[f"dW{l}"])) for l in range(1, len(dims))])
    return SignalReport(c, activation, tuple(dims), tuple(k.Z for k in caches),
                        tuple(k.A for k in caches), norms)


def run_lab(X: Array, Y: Array, depth: int, width: int, activation: str,
            choices: Sequence[str], seed: int = 0) -> list[SignalReport]:
    """``signal_at_init`` for each chosen initialization, in ``INIT_CHOICES`` order."""
    return [signal_at_init(X, Y, depth, width, activation, k, seed)
            for k in INIT_CHOICES if k in choices]


def describe(report: SignalReport) -> str:
    """One sentence of what the numbers say: how std A[l] changes from layer 1 to the
    last hidden layer, and how much of the last hidden layer is saturated or off."""
    s = report.std_A
    first, last = float(s[0]), float(s[-1])
    n = len(s)
    if n == 1:
        trend = f"std of A[1] = {number(first, 2)}"
    else:
        ratio = last / first if first > 0 else float("nan")
        if not math.isfinite(ratio) or ratio == 0:
            change = "the signal is gone"
        elif ratio < 0.5:
            change = f"shrinks ÷{number(1 / ratio, 2)}"
        elif ratio > 2:
            change = f"grows ×{number(ratio, 2)}"
        else:
            change = "keeps its scale"
        trend = (f"std of A[l]: {number(first, 2)} at layer 1 → {number(last, 2)} at layer {n} "
                 f"({change})")
    sat = float(report.saturation[-1])
    kind = {"relu": "off (z ≤ 0)", "leaky_relu": "on the 0.01 slope (z < 0)"}.get(
        report.activation, "saturated (|g′| < 0.05)")
    if report.activation == "linear":
        return trend + "."
    return f"{trend}; {percent(sat, 0)} of layer {n}'s values {kind}."
