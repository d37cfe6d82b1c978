"""playground.figures.alt_text: the charts' text alternatives say what the data says."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.datasets import make_dataset
from playground.core.diagnostics import make_grid, probability_grid
from playground.engine.trainer import Trainer
from playground.figures import alt_text as A
from playground.figures.boundary import decision_boundary_spec
from playground.figures.series import make_series_figure


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
    spec = decision_boundary_spec(grid, P, X, Y)
    m = t.metrics()
    text = A.boundary_alt(spec, iteration=t.iteration, train_accuracy=m.train_accuracy)
    assert text == f"Decision boundary at iteration 1,200: train accuracy {m.train_accuracy:.1%}."


def test_boundary_alt_says_why_there_is_no_boundary(run):
    _, grid, X, Y, P0, _, _ = run
    spec = decision_boundary_spec(grid, P0, X, Y)
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
    fig = make_series_figure([{"name": "a", "x": [0, 1], "y": [1, 2]},
                              {"name": "b", "x": [0, 1], "y": [2, 1]}], y_title="cost J")
    assert A.describe_figure(fig) == "Chart of cost J against iteration: a, b."
    assert A.describe_figure({"data": [], "layout": {}}) == "Chart."


# ---- the sentences of the Compare, Initialization lab, Activation functions pages ----------


def test_thumbnail_alt_follows_the_run():
    text = A.thumbnail_alt("tanh", seed=1, iterations=2000, train_accuracy=0.88,
                           test_accuracy=0.85)
    assert text == ("tanh, seed 1: decision boundary after 2,000 iterations, "
                    "train accuracy 88.0%, test accuracy 85.0%.")
    other = A.thumbnail_alt("ReLU", seed=1, iterations=500, train_accuracy=0.5,
                            test_accuracy=None)
    assert "ReLU" in other and "500 iterations" in other and "50.0%" in other
    assert "test" not in other
    diverged = A.thumbnail_alt("sigmoid", seed=1, iterations=2000, train_accuracy=0.5,
                               diverged_at=730)
    assert "diverged at iteration 730" in diverged and "after 2,000" not in diverged


def test_layer_spread_alt_is_the_std_of_each_layer():
    rng = np.random.default_rng(0)
    layers = [rng.normal(0, 0.5, (4, 200)), rng.normal(0, 0.01, (4, 200))]
    text = A.layer_spread_alt("random × 0.01", layers, quantity="Z")
    assert text.startswith("Z[l] spread with random × 0.01")
    for l, a in enumerate(layers, start=1):
        assert f"{np.std(a):.4g} at layer {l}" in text
    # Change the data: the sentence changes with it.
    scaled = A.layer_spread_alt("random × 0.01", [a * 10 for a in layers], quantity="Z")
    assert f"{np.std(layers[0] * 10):.4g} at layer 1" in scaled and scaled != text
    # Deep networks: first and last layer only.
    deep = A.layer_spread_alt("He", [np.full((2, 3), float(i)) + np.eye(2, 3) for i in range(6)])
    assert "layer 1" in deep and "layer 6" in deep and "layer 3" not in deep
    assert "no hidden layer" in A.layer_spread_alt("He", [])


def test_per_layer_alt_first_and_last_layer():
    series = [{"name": "Xavier", "x": np.arange(1, 4), "y": np.array([0.61, 0.5, 0.32])},
              {"name": "random × 0.01", "y": np.array([0.0102, 1.2e-10])}]
    text = A.per_layer_alt("Std of A[l] per hidden layer", series)
    assert text == ("Std of A[l] per hidden layer: Xavier from 0.61 at layer 1 to 0.32 at "
                    "layer 3; random × 0.01 from 0.0102 at layer 1 to 1.2e-10 at layer 2.")
    series[0]["y"] = np.array([0.7, 0.5, 0.05])
    assert "Xavier from 0.7 at layer 1 to 0.05 at layer 3" in A.per_layer_alt("t", series)


def test_activation_curves_alt_measures_saturation_from_the_curves():
    from playground.core.nn import ACTIVATIONS
    z = np.linspace(-5, 5, 2001)
    curves = {n: ACTIVATIONS[n].dg(z) for n in ("sigmoid", "tanh", "relu")}
    text = A.activation_curves_alt(curves, z, threshold=0.05)
    assert "over z from −5 to 5" in text
    # sigmoid' = s(1 − s) = 0.05 at s = (1 + √0.8)/2, z = ln(s/(1 − s)) ≈ 2.887;
    # tanh' = 1 − tanh² = 0.05 at z = atanh(√0.95) ≈ 2.178 (the edge is the last grid point
    # where g' is still ≥ 0.05); ReLU never saturates.
    edge = {n: np.abs(z[np.abs(curves[n]) >= 0.05]).max() for n in ("sigmoid", "tanh")}
    s_edge = (1 + np.sqrt(0.8)) / 2
    assert abs(edge["sigmoid"] - np.log(s_edge / (1 - s_edge))) < 0.01
    assert abs(edge["tanh"] - np.arctanh(np.sqrt(0.95))) < 0.01
    assert f"{edge['sigmoid']:.1f} for sigmoid" in text
    assert f"{edge['tanh']:.1f} for tanh" in text
    assert "for relu" not in text
    # A narrower range where nothing saturates: no saturation clause.
    z2 = np.linspace(-1, 1, 201)
    narrow = A.activation_curves_alt({n: ACTIVATIONS[n].dg(z2) for n in curves}, z2,
                                     threshold=0.05)
    assert "saturated" not in narrow and "from −1 to 1" in narrow
    # A stricter threshold moves the edge outwards.
    strict = A.activation_curves_alt(curves, z, threshold=0.01)
    assert f"{np.abs(z[np.abs(curves['sigmoid']) >= 0.01]).max():.1f} for sigmoid" in strict
