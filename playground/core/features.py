"""Input features computed from the two raw coordinates (x1, x2).

The network sees ``X = A[0]`` of shape ``(n[0], m)`` with one row per selected feature,
so ``n[0]`` is the number of selected features. Decision boundaries are still drawn over
the (x1, x2) plane: the page maps a grid of (x1, x2) through ``feature_matrix`` first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Feature:
    """One input unit: its name in the URL, its label, and how to compute it from (x1, x2)."""

    name: str
    label: str
    fn: Callable[[np.ndarray, np.ndarray], np.ndarray]


FEATURES: dict[str, Feature] = {
    f.name: f
    for f in (
        Feature("x1", "x₁", lambda x1, x2: x1),
        Feature("x2", "x₂", lambda x1, x2: x2),
        Feature("x1sq", "x₁²", lambda x1, x2: x1 * x1),
        Feature("x2sq", "x₂²", lambda x1, x2: x2 * x2),
        Feature("x1x2", "x₁·x₂", lambda x1, x2: x1 * x2),
        Feature("sin_x1", "sin x₁", lambda x1, x2: np.sin(x1)),
        Feature("sin_x2", "sin x₂", lambda x1, x2: np.sin(x2)),
    )
}
"""Every selectable input feature. Adding one here offers it everywhere."""

DEFAULT_FEATURES = ("x1", "x2")


def check_features(names: Sequence[str]) -> tuple[str, ...]:
    """The names in registry order, validated: at least one, all known, no repeats."""
    names = (names,) if isinstance(names, str) else tuple(names)
    if not names:
        raise ValueError("select at least one input feature")
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ValueError(
            f"unknown input feature(s) {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(FEATURES)}"
        )
    return tuple(n for n in FEATURES if n in names)


def feature_matrix(X: np.ndarray, names: Sequence[str] = DEFAULT_FEATURES) -> np.ndarray:
    """``A[0]`` of shape ``(len(names), m)`` from raw points ``X`` of shape ``(2, m)``."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"X must have shape (2, m) of raw (x1, x2) points, got {X.shape}")
    if X.dtype.kind != "f":  # integer points: sin x1 must not be truncated to an integer
        if X.dtype.kind not in "biu":
            raise ValueError(f"X must hold numbers, got dtype {X.dtype}")
        X = X.astype(np.float64)
    names = check_features(names)
    if names == DEFAULT_FEATURES:
        return X
    x1, x2 = X[0], X[1]
    return np.stack([FEATURES[n].fn(x1, x2) for n in names]).astype(X.dtype, copy=False)
