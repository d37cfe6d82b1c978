"""Shared inputs of the figure tests, built with the real core: a trained network on moons, its
grid and ŷ, a deep ReLU network and a zero-initialised one."""

from __future__ import annotations

import numpy as np
import pytest
from every_figure import build_all_figures

from playground.core.datasets import make_dataset, train_test_split
from playground.core.diagnostics import (
    make_grid,
    probability_grid,
)
from playground.engine.trainer import Trainer


@pytest.fixture(scope="module")
def data():
    X, Y = make_dataset("moons", 200, seed=0)
    return train_test_split(X, Y, 0.25, seed=0)


@pytest.fixture(scope="module")
def trainer(data):
    X_train, Y_train, X_test, Y_test = data
    t = Trainer(X_train, Y_train, X_test, Y_test, hidden=(4,), activations=("tanh",),
                learning_rate=1.0)
    t.step(300)
    return t


@pytest.fixture(scope="module")
def grid(data):
    return make_grid(np.hstack([data[0], data[2]]), resolution=50)


@pytest.fixture(scope="module")
def P(trainer, grid):
    return probability_grid(grid, trainer.parameters, trainer.activations)


@pytest.fixture(scope="module")
def deep_trainer(data):
    t = Trainer(data[0], data[1], hidden=(16,) * 6, activations=("relu",) * 6, init="he")
    t.step(20)
    return t


@pytest.fixture(scope="module")
def zero_trainer(data):
    return Trainer(data[0], data[1], hidden=(4,), activations=("tanh",), init="zeros")


@pytest.fixture(scope="module")
def all_figures(trainer, grid, P, data, deep_trainer, zero_trainer):
    return build_all_figures(trainer, grid, P, data, deep_trainer, zero_trainer)


@pytest.fixture
def four_points():
    """Four points, two of each class, their 20 × 20 grid and a smooth ŷ = σ(x₁ + x₂) on it:
    ``(grid, P, X, Y)`` for the small boundary figures."""
    X = np.array([[-1.0, 1.0, 0.5, -0.5], [-1.0, 1.0, -0.5, 0.5]])
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    grid = make_grid(X, 20)
    gx, gy = np.meshgrid(grid.xs, grid.ys)
    return grid, 1 / (1 + np.exp(-(gx + gy))), X, Y
