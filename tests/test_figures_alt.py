"""playground.figures_alt: the charts' text alternatives say what the data says."""

from __future__ import annotations

import numpy as np
import pytest

from playground import figures as F
from playground import figures_alt as A
from playground.datasets import make_dataset
from playground.diagnostics import make_grid, probability_grid
from playground.training import Trainer


@pytest.fixture(scope="module")
def run():
    X, Y = make_dataset("flower", 200, seed=0)
    t = Trainer(X, Y, hidden=(4,), activations=("tanh",), learning_rate=1.2)
    grid = make_grid(X, resolution=30)
    P0 = probability_grid(grid, t.parameters, t.activations)
    h0 = t.history()
    t.step(1200)
    P = probability_grid(grid, t.parameters, t.activations)
    return t, grid, X, Y, P0, h0, P


def test_boundary_alt_states_the_iteration_and_accuracy(run):
    t, grid, X, Y, _, _, P = run
    spec = F.decision_boundary_spec(grid, P, X, Y)
    m = t.metrics()
    text = A.boundary_alt(spec, iteration=t.iteration, train_accuracy=m.train_accuracy)
    assert text == f"Decision boundary at iteration 1,200: train accuracy {m.train_accuracy:.1%}."


def test_boundary_alt_says_why_there_is_no_boundary(run):
    _, grid, X, Y, P0, _, _ = run
    spec = F.decision_boundary_spec(grid, P0, X, Y)
    text = A.boundary_alt(spec, iteration=0, train_accuracy=0.5, test_accuracy=0.25)
    assert text.startswith("Decision boundary at iteration 0: train accuracy 50.0%, "
                           "test accuracy 25.0%. No boundary yet: ŷ is within 0.5 ±")


def test_cost_alt_from_the_history(run):
    t, *_, h0, _ = run
    h = t.history()
    text = A.cost_alt(h, iteration=t.iteration)
    assert text.startswith(f"Cost versus iterations, up to iteration 1,200: train J from "
                           f"{h['train_cost'][0]:.4f} to {h['train_cost'][-1]:.4f}, train "
                           f"accuracy from {h['train_accuracy'][0]:.1%} to "
                           f"{h['train_accuracy'][-1]:.1%}")
    assert h["train_cost"][-1] < h["train_cost"][0]
    first = A.cost_alt(h0, iteration=0)
    assert first == (f"Cost versus iterations, up to iteration 0: train J = "
                     f"{h0['train_cost'][0]:.4f}, train accuracy "
                     f"{h0['train_accuracy'][0]:.1%} (no training yet).")


def test_series_network_and_maps_alts():
    s = [{"name": "zeros", "y": [0.7, 0.6931]}, {"name": "random", "y": np.array([0.7, 0.25])},
         {"name": "empty", "y": []}]
    assert A.series_alt("Cost J", s, iteration=300) == (
        "Cost J at iteration 300: zeros 0.6931; random 0.25; empty (no data).")
    assert A.network_alt([2, 4, 1], ["tanh", "sigmoid"], iteration=5, mode="gradients") == (
        "Network diagram at iteration 5: 2 → 4 → 1 units, tanh then sigmoid; line colour "
        "and width show the gradients dW[l].")
    assert A.unit_maps_alt([4, 1], iteration=1) == (
        "Hidden units' activations over the input plane at iteration 1: 4 maps in layer 1, "
        "1 map in layer 2.")


def test_describe_figure_reads_titles_and_series():
    fig = F.make_series_figure([{"name": "a", "x": [0, 1], "y": [1, 2]},
                                {"name": "b", "x": [0, 1], "y": [2, 1]}], y_title="cost J")
    assert A.describe_figure(fig) == "Chart of cost J against iteration: a, b."
    assert A.describe_figure({"data": [], "layout": {}}) == "Chart."
