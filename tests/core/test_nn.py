"""Tests for playground.core.nn: activations, initialization, forward propagation, the cost,
backward propagation (against finite differences), the update, the course's numbers, and
what zero and constant initialization really do (docs/notation.md, "Initialization and
symmetry")."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from playground.core import nn, propagation
from playground.core.clones import dot
from playground.core.datasets import make_dataset
from playground.core.diagnostics import distinct_units, symmetry_measure

ACTIVATION_NAMES = list(nn.ACTIVATIONS)
KINKED = {"relu", "leaky_relu"}  # g' jumps at z = 0
WITH_DG_FROM_A = [n for n, a in nn.ACTIVATIONS.items() if a.dg_from_a is not None]


class no_warnings(warnings.catch_warnings):
    """Every warning (not only RuntimeWarning) becomes an error inside the block."""

    def __enter__(self):
        out = super().__enter__()
        warnings.simplefilter("error")
        return out


def course_flower():
    return make_dataset("flower")  # 400 points, noise 0.2: the course's planar data


def train(X, Y, params, activations, alpha, iterations, **reg):
    """Plain batch gradient descent with the public functions; returns params, last cost."""
    cost = float("nan")
    for _ in range(iterations):
        AL, caches = nn.forward_propagation(X, params, activations)
        cost = nn.cost_from_logits(caches[-1].Z, Y)
        grads = nn.backward_propagation(AL, Y, caches, activations, **reg)
        params = nn.update_parameters(params, grads, alpha)
    return params, cost


def random_network(dims, seed=0, scale=None, bias=0.5, dtype=np.float64):
    """Parameters with a Xavier-like scale and non-zero biases, so that Z varies."""
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(dims)):
        s = (1.0 / math.sqrt(dims[l - 1])) if scale is None else scale
        params[f"W{l}"] = (rng.standard_normal((dims[l], dims[l - 1])) * s * 1.5).astype(dtype)
        params[f"b{l}"] = (rng.standard_normal((dims[l], 1)) * bias).astype(dtype)
    return params


# --------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------


def test_registry_has_the_course_activations_and_sigmoid_output():
    for name in ("sigmoid", "tanh", "relu", "leaky_relu", "linear"):
        assert name in nn.ACTIVATIONS
    assert nn.OUTPUT_ACTIVATION == "sigmoid"
    for name, act in nn.ACTIVATIONS.items():
        assert act.name == name and act.label and act.latex and act.dlatex
    with pytest.raises(ValueError, match="unknown activation 'foo'.*tanh"):
        nn.get_activation("foo")
    with pytest.raises(ValueError, match="unknown activation"):
        nn.get_activation(["tanh"])


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_dg_matches_central_finite_differences(name):
    act = nn.ACTIVATIONS[name]
    z = np.linspace(-8.0, 8.0, 3201).reshape(1, -1)
    if name in KINKED:
        z = z[np.abs(z) > 1e-3].reshape(1, -1)  # away from the kink at 0
    h = 1e-6
    numeric = (act.g(z + h) - act.g(z - h)) / (2 * h)
    np.testing.assert_allclose(act.dg(z), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", WITH_DG_FROM_A)
def test_dg_from_a_equals_dg(name):
    act = nn.ACTIVATIONS[name]
    z = np.concatenate([np.linspace(-30, 30, 6000), [0.0, -0.0, 1e-300, -1e-300]]).reshape(2, -1)
    for dtype in (np.float64, np.float32):
        zd = z.astype(dtype)
        np.testing.assert_array_equal(act.dg_from_a(act.g(zd)), act.dg(zd))


def test_relu_kink_convention_and_leaky_slope():
    z = np.array([[-2.0, -0.0, 0.0, 3.0]])
    np.testing.assert_array_equal(nn.ACTIVATIONS["relu"].g(z), [[0, 0, 0, 3]])
    np.testing.assert_array_equal(nn.ACTIVATIONS["relu"].dg(z), [[0, 0, 0, 1]])  # g'(0) = 0
    np.testing.assert_allclose(nn.ACTIVATIONS["leaky_relu"].g(z), [[-0.02, 0, 0, 3]])
    np.testing.assert_array_equal(nn.ACTIVATIONS["leaky_relu"].dg(z), [[0.01, 0.01, 0.01, 1]])
    np.testing.assert_array_equal(nn.ACTIVATIONS["linear"].dg(z), np.ones_like(z))


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extremes_are_finite_without_warnings(name, dtype):
    act = nn.ACTIVATIONS[name]
    big = 1e308 if dtype == np.float64 else float(np.finfo(np.float32).max)
    z = np.array([[big, -big, 1e5, -1e5, 745.0, -745.0, 0.0, 1e-30]], dtype=dtype)
    with no_warnings():
        a, d = act.g(z), act.dg(z)
        da = act.dg_from_a(a) if act.dg_from_a else d
    for out in (a, d, da):
        assert out.dtype == dtype and out.shape == z.shape
        assert np.all(np.isfinite(out)), (name, out)


def test_sigmoid_and_tanh_limits_are_exact():
    z = np.array([[1e308, -1e308, 40.0, -800.0, 0.0]])
    np.testing.assert_array_equal(nn.sigmoid(z)[0, [0, 1, 4]], [1.0, 0.0, 0.5])
    assert 0 < nn.sigmoid(z)[0, 3] < 1e-300 or nn.sigmoid(z)[0, 3] == 0
    np.testing.assert_array_equal(nn.ACTIVATIONS["tanh"].g(z)[0, :2], [1.0, -1.0])


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_dtype_preserved_and_integers_become_float64(name):
    act = nn.ACTIVATIONS[name]
    z32 = np.linspace(-3, 3, 13, dtype=np.float32).reshape(1, -1)
    assert act.g(z32).dtype == np.float32
    assert act.dg(z32).dtype == np.float32
    zi = np.array([[-100, -1, 0, 1, 100]])
    np.testing.assert_allclose(act.g(zi), act.g(zi.astype(np.float64)))
    np.testing.assert_allclose(act.dg(zi), act.dg(zi.astype(np.float64)))
    with pytest.raises(ValueError, match="real numbers"):
        act.g(np.array([["a", "b"]]))


def test_leaky_relu_of_integers_keeps_the_slope():
    # A constant cast to z's integer dtype would make 0.01 a 0.
    np.testing.assert_allclose(nn.ACTIVATIONS["leaky_relu"].g(np.array([[-100, 100]])),
                               [[-1.0, 100.0]])


# --------------------------------------------------------------------------------------
# Initialization
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("dims", [[2, 1], [2, 4, 1], [3, 5, 7, 1], [2, 16, 16, 16, 1]])
@pytest.mark.parametrize("method", list(nn.INITIALIZATIONS))
def test_initialize_shapes(dims, method):
    params = nn.initialize_parameters(dims, method, seed=3)
    L = len(dims) - 1
    assert sorted(params) == sorted([f"W{l}" for l in range(1, L + 1)]
                                    + [f"b{l}" for l in range(1, L + 1)])
    for l in range(1, L + 1):
        assert params[f"W{l}"].shape == (dims[l], dims[l - 1])
        assert params[f"b{l}"].shape == (dims[l], 1)
        assert params[f"W{l}"].dtype == np.float64
        assert not params[f"b{l}"].any()  # biases always start at zero
    assert nn.num_layers(params) == L
    assert nn.layer_dims_of(params) == dims


def test_zeros_and_constant():
    zeros = nn.initialize_parameters([2, 4, 3, 1], "zeros")
    assert all(not v.any() for v in zeros.values())
    const = nn.initialize_parameters([2, 4, 3, 1], "constant")
    assert nn.INITIALIZATIONS["constant"].default_scale == 0.5
    for l in (1, 2, 3):
        assert np.all(const[f"W{l}"] == 0.5)
        assert np.all(const[f"b{l}"] == 0)
    c = nn.initialize_parameters([2, 3, 1], "constant", scale=-0.25)
    assert np.all(c["W1"] == -0.25) and np.all(c["W2"] == -0.25)


def test_random_times_scale_is_the_seeded_normal_draw():
    params = nn.initialize_parameters([2, 4, 3, 1], "random", seed=7)
    rng = np.random.default_rng(7)
    for l, shape in enumerate([(4, 2), (3, 4), (1, 3)], start=1):
        np.testing.assert_array_equal(params[f"W{l}"], rng.standard_normal(shape) * 0.01)
    big = nn.initialize_parameters([2, 4, 3, 1], "random", scale=10.0, seed=7)
    np.testing.assert_allclose(big["W1"], params["W1"] * 1000)


@pytest.mark.parametrize(("method", "scale", "expected_std"), [
    ("random", 0.5, 0.5),
    ("random", None, 0.01),
    ("xavier", None, math.sqrt(1 / 500)),
    ("he", None, math.sqrt(2 / 500)),
])
def test_sample_std_on_a_big_layer(method, scale, expected_std):
    W = nn.initialize_parameters([500, 400, 1], method, scale=scale, seed=0)["W1"]
    assert W.shape == (400, 500)
    assert abs(W.mean()) < 0.02 * expected_std * 10
    assert W.std() == pytest.approx(expected_std, rel=0.02)


def test_seeds_reproduce_and_differ():
    a = nn.initialize_parameters([2, 8, 1], "he", seed=11)
    b = nn.initialize_parameters([2, 8, 1], "he", seed=11)
    c = nn.initialize_parameters([2, 8, 1], "he", seed=12)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    assert not np.array_equal(a["W1"], c["W1"])


def test_dtype_float32():
    params = nn.initialize_parameters([2, 4, 1], "xavier", dtype=np.float32)
    assert all(v.dtype == np.float32 for v in params.values())


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(layer_dims=[2]), "at least"),
    (dict(layer_dims=[]), "at least"),
    (dict(layer_dims=[2, 0, 1]), "at least 1 unit"),
    (dict(layer_dims=[2, -3, 1]), "at least 1 unit"),
    (dict(layer_dims=[2, 2.5, 1]), "whole numbers"),
    (dict(layer_dims=[2, float("inf")]), "whole numbers"),
    (dict(layer_dims=[2, float("nan")]), "whole numbers"),
    (dict(layer_dims="21"), "list of whole numbers"),
    (dict(layer_dims=None), "list of whole numbers"),
    (dict(layer_dims=[[2], [1]]), "list of whole numbers"),
    (dict(layer_dims=[2, 1], method="foo"), "unknown initialization 'foo'.*xavier"),
    (dict(layer_dims=[2, 1], method=["random"]), "unknown initialization"),
    (dict(layer_dims=[2, 1], scale=float("nan")), "finite number"),
    (dict(layer_dims=[2, 1], scale=float("inf")), "finite number"),
    (dict(layer_dims=[2, 1], scale="big"), "finite number"),
    (dict(layer_dims=[2, 1], seed=-1), "seed"),
    (dict(layer_dims=[2, 1], seed="x"), "seed"),
    (dict(layer_dims=[2, 1], dtype=int), "float type"),
    (dict(layer_dims=[2, 1], dtype="nonsense"), "float type"),
    (dict(layer_dims=[2, 100_000, 100_000, 1]), "at most 10,000,000"),
])
def test_initialize_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nn.initialize_parameters(**kwargs)


# --------------------------------------------------------------------------------------
# Forward propagation
# --------------------------------------------------------------------------------------


def test_forward_shapes_and_caches_follow_the_equations():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 7))
    dims = [3, 5, 4, 1]
    acts = ["relu", "tanh", "sigmoid"]
    params = random_network(dims)
    AL, caches = nn.forward_propagation(X, params, acts)
    assert AL.shape == (1, 7) and len(caches) == 3
    A = X
    for l, c in enumerate(caches, start=1):
        assert c.A_prev is A
        assert c.W is params[f"W{l}"] and c.b is params[f"b{l}"]
        assert c.Z.shape == c.A.shape == (dims[l], 7)
        np.testing.assert_allclose(c.Z, params[f"W{l}"] @ A + params[f"b{l}"], rtol=1e-15)
        np.testing.assert_array_equal(c.A, nn.ACTIVATIONS[acts[l - 1]].g(c.Z))
        A = c.A
    assert AL is caches[-1].A
    assert np.all((AL > 0) & (AL < 1))


def test_forward_rejects_a_non_sigmoid_output_layer():
    params = random_network([2, 3, 1])
    with pytest.raises(ValueError, match="output layer.*'sigmoid'.*'tanh'"):
        nn.forward_propagation(np.zeros((2, 4)), params, ["tanh", "tanh"])


def test_forward_mismatched_shapes_name_the_array_and_both_shapes():
    params = random_network([2, 4, 1])
    with pytest.raises(ValueError) as e:
        nn.forward_propagation(np.zeros((3, 5)), params, ["tanh", "sigmoid"])
    assert "W1" in str(e.value) and "(4, 2)" in str(e.value) and "(3, 5)" in str(e.value)
    bad = {**params, "W2": np.zeros((1, 3))}
    with pytest.raises(ValueError) as e:
        nn.forward_propagation(np.zeros((2, 5)), bad, ["tanh", "sigmoid"])
    assert "W2" in str(e.value) and "(1, 3)" in str(e.value) and "(4, 5)" in str(e.value)
    bad = {**params, "b1": np.zeros((3, 1))}
    with pytest.raises(ValueError) as e:
        nn.forward_propagation(np.zeros((2, 5)), bad, ["tanh", "sigmoid"])
    assert "b1" in str(e.value) and "(3, 1)" in str(e.value) and "(4, 2)" in str(e.value)


def test_forward_rejects_rank_1_arrays():
    params = random_network([2, 4, 1])
    with pytest.raises(ValueError, match="X must be 2-D"):
        nn.forward_propagation(np.zeros(2), params, ["tanh", "sigmoid"])
    with pytest.raises(ValueError, match="b1 must be 2-D.*\\(4,\\)"):
        nn.forward_propagation(np.zeros((2, 5)), {**params, "b1": np.zeros(4)},
                               ["tanh", "sigmoid"])


@pytest.mark.parametrize("acts", [["sigmoid"], ["tanh", "tanh", "sigmoid"], "sigmoid", None, 3])
def test_forward_rejects_the_wrong_number_of_activations(acts):
    with pytest.raises(ValueError, match="one activation per layer.*L = 2"):
        nn.forward_propagation(np.zeros((2, 5)), random_network([2, 4, 1]), acts)


def test_forward_rejects_unknown_activations_ints_and_non_dicts():
    params = random_network([2, 4, 1])
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        nn.forward_propagation(np.zeros((2, 5)), params, ["swish", "sigmoid"])
    with pytest.raises(ValueError, match="X must hold floats"):
        nn.forward_propagation(np.zeros((2, 5), dtype=int), params, ["tanh", "sigmoid"])
    with pytest.raises(ValueError, match="parameters"):
        nn.forward_propagation(np.zeros((2, 5)), [params["W1"]], ["tanh", "sigmoid"])
    with pytest.raises(ValueError, match="no 'W1'"):
        nn.forward_propagation(np.zeros((2, 5)), {}, ["tanh", "sigmoid"])


def test_forward_accepts_any_iterable_of_names():
    params = random_network([2, 4, 1])
    X = np.ones((2, 3))
    AL, _ = nn.forward_propagation(X, params, ("tanh", "sigmoid"))
    AL2, _ = nn.forward_propagation(X, params, (a for a in ["tanh", "sigmoid"]))
    np.testing.assert_array_equal(AL, AL2)


# --------------------------------------------------------------------------------------
# Cost
# --------------------------------------------------------------------------------------


def exact_cost(AL, Y):
    return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


def test_compute_cost_equals_the_formula():
    rng = np.random.default_rng(1)
    AL = rng.uniform(0.001, 0.999, (1, 50))
    Y = (rng.random((1, 50)) > 0.5).astype(float)
    assert nn.compute_cost(AL, Y) == pytest.approx(exact_cost(AL, Y), rel=1e-12)
    assert nn.compute_cost(np.full((1, 4), 0.5), np.array([[0, 1, 0, 1]])) == pytest.approx(
        math.log(2), rel=1e-15)


def test_compute_cost_is_finite_when_AL_is_exactly_0_or_1():
    AL = np.array([[0.0, 1.0, 0.0, 1.0]])
    with no_warnings():
        wrong = nn.compute_cost(AL, np.array([[1, 0, 1, 0]]))
        right = nn.compute_cost(AL, np.array([[0, 1, 0, 1]]))
    assert math.isfinite(wrong) and wrong == pytest.approx(-math.log(1e-12), rel=1e-6)
    assert 0 <= right < 1e-11


def test_cost_from_logits_matches_compute_cost_for_moderate_z():
    rng = np.random.default_rng(2)
    Z = rng.uniform(-10, 10, (1, 200))
    Y = (rng.random((1, 200)) > 0.5).astype(float)
    assert nn.cost_from_logits(Z, Y) == pytest.approx(nn.compute_cost(nn.sigmoid(Z), Y),
                                                       rel=1e-10)


def test_cost_from_logits_is_exact_for_large_z():
    Z = np.array([[50.0, -50.0, 800.0, -800.0, 1e5, -1e5, 1e300]])
    Y = np.array([[1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0]])
    # Reference: softplus(z) - z·y, the same loss through np.logaddexp.
    expected = float(np.mean(np.logaddexp(0.0, Z) - Z * Y))
    with no_warnings():
        got = nn.cost_from_logits(Z, Y)
    assert got == pytest.approx(expected, rel=1e-15)
    # Where σ rounds to 0 or 1 the clipped cost is capped; the logits' one is not.
    assert nn.cost_from_logits(Z[:, [3]], Y[:, [3]]) == 800.0
    assert nn.compute_cost(nn.sigmoid(Z[:, [3]]), Y[:, [3]]) < 28


def test_cost_rejects_bad_shapes_and_empty_input():
    Y = np.zeros((1, 3))
    for AL in (np.full(3, 0.5), np.full((2, 3), 0.5), np.full((1, 0), 0.5)):
        with pytest.raises(ValueError):
            nn.compute_cost(AL, Y[:, :AL.shape[-1]] if AL.ndim == 2 else Y)
        with pytest.raises(ValueError):
            nn.cost_from_logits(AL, Y[:, :AL.shape[-1]] if AL.ndim == 2 else Y)
    with pytest.raises(ValueError, match=r"Y must have shape \(1, 3\)"):
        nn.compute_cost(np.full((1, 3), 0.5), np.zeros(3))
    with pytest.raises(ValueError, match="labels"):
        nn.compute_cost(np.full((1, 3), 0.5), np.array([["a", "b", "c"]]))


def test_l2_and_l1_terms_exclude_the_biases():
    rng = np.random.default_rng(3)
    params = random_network([2, 5, 3, 1], seed=4, bias=3.0)
    AL = rng.uniform(0.1, 0.9, (1, 20))
    Y = (rng.random((1, 20)) > 0.5).astype(float)
    base = nn.compute_cost(AL, Y)
    lam, m = 0.7, 20
    sq = sum(float(np.sum(params[f"W{l}"] ** 2)) for l in (1, 2, 3))
    ab = sum(float(np.sum(np.abs(params[f"W{l}"]))) for l in (1, 2, 3))
    l2 = nn.compute_cost(AL, Y, parameters=params, regularization="L2", lambd=lam)
    l1 = nn.compute_cost(AL, Y, parameters=params, regularization="L1", lambd=lam)
    assert l2 - base == pytest.approx(lam / (2 * m) * sq, rel=1e-12)
    assert l1 - base == pytest.approx(lam / m * ab, rel=1e-12)
    other_biases = {**params, **{f"b{l}": params[f"b{l}"] * -7 for l in (1, 2, 3)}}
    assert nn.regularization_cost(other_biases, m, "L2", lam) == pytest.approx(l2 - base)
    assert nn.regularization_cost(params, m, "none", lam) == 0.0
    assert nn.regularization_cost(params, m, "L2", 0.0) == 0.0
    with pytest.raises(ValueError, match="unknown regularization 'L3'"):
        nn.regularization_cost(params, m, "L3", lam)
    with pytest.raises(ValueError, match="λ"):
        nn.compute_cost(AL, Y, parameters=params, regularization="L2", lambd=-1.0)
    with pytest.raises(ValueError, match="λ"):
        nn.compute_cost(AL, Y, parameters=params, regularization="L2", lambd="much")


# --------------------------------------------------------------------------------------
# Backward propagation against finite differences
# --------------------------------------------------------------------------------------


def _gradient_check_setup(hidden_act, depth, seed_base=0, m=12, width=3, min_abs_z=1e-3):
    """Data and parameters where no hidden Z is within ``min_abs_z`` of a kink."""
    dims = [2] + [width] * depth + [1]
    acts = [hidden_act] * depth + ["sigmoid"]
    for seed in range(seed_base, seed_base + 200):
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((2, m))
        Y = (rng.random((1, m)) > 0.5).astype(float)
        params = random_network(dims, seed=seed)
        if hidden_act not in KINKED:
            return X, Y, params, acts
        _, caches = nn.forward_propagation(X, params, acts)
        if min(np.abs(c.Z).min() for c in caches[:-1]) > min_abs_z:
            return X, Y, params, acts
    raise AssertionError("no kink-free setup found")


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
@pytest.mark.parametrize("hidden_act", ACTIVATION_NAMES)
def test_backward_matches_gradient_check(hidden_act, depth):
    X, Y, params, acts = _gradient_check_setup(hidden_act, depth)
    assert nn.gradient_check(X, Y, params, acts) < 1e-7


@pytest.mark.parametrize("regularization", ["L2", "L1"])
@pytest.mark.parametrize("hidden_act", ["tanh", "relu", "sigmoid"])
def test_backward_with_regularization_matches_gradient_check(regularization, hidden_act):
    X, Y, params, acts = _gradient_check_setup(hidden_act, 2, seed_base=50)
    for k in params:  # L1's |w| has a kink at 0: keep every weight away from it
        if k.startswith("W"):
            W = params[k]
            params[k] = np.where(np.abs(W) < 0.05, np.sign(W) * 0.05 + (W == 0) * 0.05, W)
    err = nn.gradient_check(X, Y, params, acts, regularization=regularization, lambd=0.7)
    assert err < 1e-7
    # The penalty's gradient is λ/m·W (L2) or λ/m·sign(W) (L1), and the biases get none.
    AL, caches = nn.forward_propagation(X, params, acts)
    plain = nn.backward_propagation(AL, Y, caches, acts)
    reg = nn.backward_propagation(AL, Y, caches, acts, regularization=regularization, lambd=0.7)
    m = X.shape[1]
    for l in (1, 2, 3):
        W = params[f"W{l}"]
        expected = 0.7 / m * (W if regularization == "L2" else np.sign(W))
        np.testing.assert_allclose(reg[f"dW{l}"] - plain[f"dW{l}"], expected, atol=1e-15)
        np.testing.assert_array_equal(reg[f"db{l}"], plain[f"db{l}"])


def test_gradient_check_detects_a_planted_bug(monkeypatch):
    X, Y, params, acts = _gradient_check_setup("tanh", 2)
    assert nn.gradient_check(X, Y, params, acts) < 1e-7
    tanh = nn.ACTIVATIONS["tanh"]
    wrong = dataclasses.replace(tanh, dg=lambda z: 1 - np.tanh(z), dg_from_a=lambda a: 1 - a)
    monkeypatch.setitem(nn.ACTIVATIONS, "tanh", wrong)
    assert nn.gradient_check(X, Y, params, acts) > 1e-3


def test_gradient_check_detects_a_missing_penalty_gradient(monkeypatch):
    X, Y, params, acts = _gradient_check_setup("tanh", 1)
    real = propagation.backward_propagation
    monkeypatch.setattr(propagation, "backward_propagation",
                        lambda AL, Y, caches, acts, reg="none", lam=0.0:
                        real(AL, Y, caches, acts))  # forgets λ/m·W
    assert nn.gradient_check(X, Y, params, acts, regularization="L2", lambd=5.0) > 1e-3


def test_backward_returns_every_gradient_with_its_shape():
    X, Y, params, acts = _gradient_check_setup("tanh", 2, m=9)
    AL, caches = nn.forward_propagation(X, params, acts)
    grads = nn.backward_propagation(AL, Y, caches, acts)
    for l in (1, 2, 3):
        assert grads[f"dW{l}"].shape == params[f"W{l}"].shape
        assert grads[f"db{l}"].shape == params[f"b{l}"].shape
        assert grads[f"dZ{l}"].shape == caches[l - 1].Z.shape
    assert grads["dA1"].shape == caches[0].A.shape and grads["dA2"].shape == caches[1].A.shape
    np.testing.assert_array_equal(grads["dZ3"], AL - Y)  # sigmoid + cross-entropy
    np.testing.assert_allclose(grads["db3"], np.mean(AL - Y, keepdims=True), rtol=1e-14)


def test_backward_rejects_bad_arguments():
    X, Y, params, acts = _gradient_check_setup("tanh", 1, m=5)
    AL, caches = nn.forward_propagation(X, params, acts)
    with pytest.raises(ValueError, match="unknown activation"):
        nn.backward_propagation(AL, Y, caches, ["foo", "sigmoid"])
    with pytest.raises(ValueError, match="one activation per layer"):
        nn.backward_propagation(AL, Y, caches, ["sigmoid"])
    with pytest.raises(ValueError, match="LayerCache"):
        nn.backward_propagation(AL, Y, [1, 2], acts)
    with pytest.raises(ValueError, match="empty"):
        nn.backward_propagation(AL, Y, [], [])
    with pytest.raises(ValueError, match="labels"):
        nn.backward_propagation(AL, Y.astype(str), caches, acts)
    with pytest.raises(ValueError, match="unknown regularization"):
        nn.backward_propagation(AL, Y, caches, acts, regularization="L3")
    with pytest.raises(ValueError, match="λ"):
        nn.backward_propagation(AL, Y, caches, acts, regularization="L2", lambd="x")


def test_gradient_check_rejects_bad_epsilon():
    X, Y, params, acts = _gradient_check_setup("tanh", 1, m=5)
    for eps in (0.0, -1e-7, float("nan"), "small"):
        with pytest.raises(ValueError, match="epsilon"):
            nn.gradient_check(X, Y, params, acts, epsilon=eps)


# --------------------------------------------------------------------------------------
# Update, predict, accuracy
# --------------------------------------------------------------------------------------


def test_update_parameters_is_one_gradient_step_in_a_new_dict():
    params = random_network([2, 3, 1])
    before = {k: v.copy() for k, v in params.items()}
    grads = {f"d{k}": np.full_like(v, 0.5) for k, v in params.items()}
    new = nn.update_parameters(params, grads, 0.1)
    assert new is not params
    for k in params:
        np.testing.assert_array_equal(params[k], before[k])  # inputs untouched
        np.testing.assert_array_equal(new[k], before[k] - 0.1 * 0.5)
        assert new[k].shape == params[k].shape and new[k].dtype == params[k].dtype


def test_update_parameters_rejects_bad_arguments():
    params = random_network([2, 3, 1])
    grads = {f"d{k}": np.zeros_like(v) for k, v in params.items()}
    with pytest.raises(ValueError, match="dW1 has shape \\(2, 3\\) but W1 has \\(3, 2\\)"):
        nn.update_parameters(params, {**grads, "dW1": np.zeros((2, 3))}, 0.1)
    with pytest.raises(ValueError, match="no db2"):
        nn.update_parameters(params, {k: v for k, v in grads.items() if k != "db2"}, 0.1)
    with pytest.raises(ValueError, match="no b1"):
        nn.update_parameters({"W1": params["W1"]}, grads, 0.1)
    for alpha in (None, float("nan"), float("inf"), "fast", True):
        with pytest.raises(ValueError, match="learning rate"):
            nn.update_parameters(params, grads, alpha)
    with pytest.raises(ValueError, match="W1 must hold floats"):
        nn.update_parameters({**params, "W1": np.ones((3, 2), dtype=int)}, grads, 0.1)


def test_predict_and_accuracy():
    params = random_network([2, 4, 1], seed=5)
    X = np.random.default_rng(5).standard_normal((2, 30))
    AL, _ = nn.forward_propagation(X, params, ["tanh", "sigmoid"])
    pred = nn.predict(X, params, ["tanh", "sigmoid"])
    assert pred.shape == (1, 30) and pred.dtype == np.int64
    np.testing.assert_array_equal(pred, (AL > 0.5).astype(int))
    assert nn.predict(np.zeros((2, 0)), params, ["tanh", "sigmoid"]).shape == (1, 0)
    Y = pred.astype(float)
    assert nn.accuracy(AL, Y) == 1.0
    assert nn.accuracy(AL, 1 - Y) == 0.0
    assert nn.accuracy(np.array([[0.2, 0.7, 0.9, 0.4]]), np.array([[0, 1, 0, 0]])) == 0.75
    assert nn.accuracy(pred, Y) == 1.0  # 0/1 predictions work too
    with pytest.raises(ValueError, match="no examples"):
        nn.accuracy(np.zeros((1, 0)), np.zeros((1, 0)))
    with pytest.raises(ValueError):
        nn.accuracy(np.zeros(3), np.zeros((1, 3)))


# --------------------------------------------------------------------------------------
# The course's numbers
# --------------------------------------------------------------------------------------


@pytest.mark.slow  # 10,000 iterations: 2-6 s, depending on the machine's load
def test_course_one_hidden_layer_of_4_tanh_units_on_the_flower():
    X, Y = course_flower()
    params = nn.initialize_parameters([2, 4, 1], "random", seed=2)
    acts = ["tanh", "sigmoid"]
    AL, caches = nn.forward_propagation(X, params, acts)
    assert nn.cost_from_logits(caches[-1].Z, Y) == pytest.approx(0.6931, abs=1e-3)
    params, cost = train(X, Y, params, acts, alpha=1.2, iterations=10_000)
    AL, _ = nn.forward_propagation(X, params, acts)
    assert nn.accuracy(AL, Y) >= 0.85
    assert cost < 0.35


def test_course_logistic_regression_cannot_separate_the_flower():
    X, Y = course_flower()
    params, _ = train(X, Y, nn.initialize_parameters([2, 1], "zeros"), ["sigmoid"],
                      alpha=1.2, iterations=2000)
    AL, _ = nn.forward_propagation(X, params, ["sigmoid"])
    assert nn.accuracy(AL, Y) < 0.60


# --------------------------------------------------------------------------------------
# Zero and constant initialization (docs/notation.md, "Initialization and symmetry")
# --------------------------------------------------------------------------------------


def unbalanced_flower():
    X, Y = course_flower()
    keep = np.concatenate([np.flatnonzero(Y[0] == 0)[:120], np.flatnonzero(Y[0] == 1)])
    return X[:, keep], Y[:, keep]  # 120 of class 0, 200 of class 1


@pytest.mark.parametrize("hidden_act", ["tanh", "relu", "leaky_relu", "linear"])
def test_zeros_with_g0_equal_0_only_moves_the_output_bias(hidden_act):
    X, Y = unbalanced_flower()
    acts = [hidden_act, hidden_act, "sigmoid"]
    params, _ = train(X, Y, nn.initialize_parameters([2, 4, 3, 1], "zeros"), acts,
                      alpha=1.2, iterations=400)
    for l in (1, 2, 3):
        assert not params[f"W{l}"].any(), f"W{l} moved"
    assert not params["b1"].any() and not params["b2"].any()
    share = float(Y.mean())
    assert params["b3"][0, 0] == pytest.approx(math.log(share / (1 - share)), abs=1e-3)
    AL, _ = nn.forward_propagation(X, params, acts)
    assert np.all(AL == AL[0, 0])  # a flat colour: no boundary at all
    assert AL[0, 0] == pytest.approx(share, abs=1e-3)


@pytest.mark.parametrize("hidden_act", ["tanh", "relu", "leaky_relu", "linear"])
def test_zeros_on_balanced_labels_cost_stays_log_2(hidden_act):
    X, Y = course_flower()  # exactly 200 + 200
    acts = [hidden_act, "sigmoid"]
    params, cost = train(X, Y, nn.initialize_parameters([2, 4, 1], "zeros"), acts,
                         alpha=1.2, iterations=200)
    assert cost == pytest.approx(0.6931, abs=1e-4)
    assert not nn.predict(X, params, acts).any()  # every prediction 0 (ŷ = 0.5, not > 0.5)
    AL, _ = nn.forward_propagation(X, params, acts)
    assert nn.accuracy(AL, Y) == 0.5


def test_zeros_with_sigmoid_units_on_balanced_labels_nothing_moves():
    X, Y = course_flower()
    acts = ["sigmoid", "sigmoid", "sigmoid"]
    start = nn.initialize_parameters([2, 4, 3, 1], "zeros")
    params, _ = train(X, Y, start, acts, alpha=1.2, iterations=300)
    for k in start:
        np.testing.assert_array_equal(params[k], start[k])


def test_zeros_with_sigmoid_units_on_unbalanced_labels_move_as_clones():
    X, Y = unbalanced_flower()
    acts = ["sigmoid", "sigmoid", "sigmoid"]
    params, _ = train(X, Y, nn.initialize_parameters([2, 5, 3, 1], "zeros"), acts,
                      alpha=1.2, iterations=300)
    assert params["W3"].any() and params["W1"].any()
    for l in (1, 2):
        W, b = params[f"W{l}"], params[f"b{l}"]
        assert np.all(W == W[0]) and np.all(b == b[0])
        assert distinct_units(W, b) == 1


@pytest.mark.parametrize("hidden_act", ACTIVATION_NAMES)
def test_constant_init_units_learn_but_stay_exact_clones(hidden_act):
    # Widths 5 and 3: not a multiple of BLAS's 4-row blocks, where rounding used to
    # differ from row to row and let the clones drift apart.
    X, Y = course_flower()
    acts = [hidden_act, hidden_act, "sigmoid"]
    start = nn.initialize_parameters([2, 5, 3, 1], "constant")
    params, _ = train(X, Y, start, acts, alpha=0.5, iterations=300)
    for l in (1, 2):
        W, b = params[f"W{l}"], params[f"b{l}"]
        assert not np.array_equal(W, start[f"W{l}"]), "the weights should change"
        assert np.all(W == W[0]) and np.all(b == b[0]), "rows must stay bit-identical"
        assert distinct_units(W, b) == 1
        assert symmetry_measure(W, b) == 0.0
    assert np.all(params["W3"] == params["W3"][0, 0])  # the output sees clones: equal weights


def test_random_init_gives_distinct_units_and_growing_symmetry_measure():
    X, Y = course_flower()
    acts = ["tanh", "sigmoid"]
    start = nn.initialize_parameters([2, 4, 1], "random", seed=1)
    assert distinct_units(start["W1"], start["b1"]) == 4
    s0 = symmetry_measure(start["W1"], start["b1"])
    params, _ = train(X, Y, start, acts, alpha=1.2, iterations=500)
    assert distinct_units(params["W1"], params["b1"]) == 4
    assert symmetry_measure(params["W1"], params["b1"]) > 10 * s0


# --------------------------------------------------------------------------------------
# Hostile input: a correct result or a ValueError, nothing else, never a RuntimeWarning
# --------------------------------------------------------------------------------------

ODD_FLOATS = st.sampled_from([np.nan, np.inf, -np.inf, 1e308, -1e308, 1e-310, 0.0, -0.0])
DTYPES = st.sampled_from([np.float64, np.float32, np.float16, np.int64, np.bool_,
                          np.complex128, np.uint8, np.dtype("U3"), np.dtype(object)])


@st.composite
def hostile_arrays(draw, max_dims=3, max_side=5):
    dtype = np.dtype(draw(DTYPES))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=max_side))
    if dtype.kind in "fc":
        elements = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64), ODD_FLOATS)
        arr = draw(hnp.arrays(np.float64, shape, elements=elements))
        with np.errstate(all="ignore"):
            return arr.astype(dtype)
    if dtype.kind == "O":
        return np.full(shape, None, dtype=object)
    if dtype.kind == "U":
        return np.full(shape, "ab", dtype=dtype)
    return draw(hnp.arrays(dtype, shape))


@st.composite
def nearly_valid_network(draw):
    """A network whose arrays are each replaced, sometimes, by a hostile one."""
    m = draw(st.integers(0, 6))
    dims = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    dims[-1] = 1
    hidden_act = draw(st.sampled_from(ACTIVATION_NAMES))
    acts = [hidden_act] * (len(dims) - 2) + ["sigmoid"]
    scale = draw(st.sampled_from([0.0, 1.0, 1e3, 1e150, 1e300]))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    X = rng.standard_normal((dims[0], m)) * scale
    Y = (rng.random((1, m)) > 0.5).astype(float)
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1])) * scale
        params[f"b{l}"] = rng.standard_normal((dims[l], 1)) * scale
    targets = ["X", "Y", *params]
    for name in draw(st.lists(st.sampled_from(targets), max_size=2, unique=True)):
        bad = draw(hostile_arrays())
        if name == "X":
            X = bad
        elif name == "Y":
            Y = bad
        else:
            params[name] = bad
    if draw(st.booleans()):
        with np.errstate(all="ignore"):
            X = X.astype(np.float32) if isinstance(X, np.ndarray) and X.dtype.kind == "f" else X
    return X, Y, params, acts


def _only_value_errors(fn, *args, **kwargs):
    with no_warnings():
        try:
            return fn(*args, **kwargs)
        except ValueError:
            return None


HOSTILE = settings(max_examples=150, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@HOSTILE
@given(nearly_valid_network(), st.sampled_from(["none", "L2", "L1"]))
def test_core_functions_on_hostile_input(net, regularization):
    X, Y, params, acts = net
    out = _only_value_errors(nn.forward_propagation, X, params, acts)
    if out is not None:
        AL, caches = out
        assert AL.shape == (1, X.shape[1]) and len(caches) == len(acts)
        assert np.all(np.isnan(AL) | ((AL >= 0) & (AL <= 1)))
        J = _only_value_errors(nn.compute_cost, AL, Y, parameters=params,
                               regularization=regularization, lambd=0.5)
        assert J is None or isinstance(J, float)
        J = _only_value_errors(nn.cost_from_logits, caches[-1].Z, Y)
        assert J is None or isinstance(J, float)
        grads = _only_value_errors(nn.backward_propagation, AL, Y, caches, acts,
                                   regularization=regularization, lambd=0.5)
        if grads is not None:
            for k, v in params.items():
                assert grads[f"d{k}"].shape == v.shape
            new = _only_value_errors(nn.update_parameters, params, grads, 0.1)
            assert new is None or set(new) == set(params)
        acc = _only_value_errors(nn.accuracy, AL, Y)
        assert acc is None or 0.0 <= acc <= 1.0
    pred = _only_value_errors(nn.predict, X, params, acts)
    assert pred is None or pred.shape == (1, X.shape[1])


@HOSTILE
@given(hostile_arrays(), hostile_arrays())
def test_cost_functions_on_hostile_arrays(a, b):
    for fn in (nn.compute_cost, nn.cost_from_logits, nn.accuracy):
        out = _only_value_errors(fn, a, b)
        assert out is None or isinstance(out, float)


@HOSTILE
@given(hostile_arrays(max_dims=2), st.sampled_from(ACTIVATION_NAMES))
def test_activations_on_hostile_arrays(z, name):
    act = nn.ACTIVATIONS[name]
    for fn in (act.g, act.dg):
        out = _only_value_errors(fn, z)
        if out is not None:
            assert np.shape(out) == z.shape
            assert out.dtype.kind == "f"
    a = _only_value_errors(act.g, z)
    if a is not None and act.dg_from_a is not None:  # dg_from_a takes a = g(z)
        with no_warnings():
            assert np.shape(act.dg_from_a(a)) == z.shape


@HOSTILE
@given(st.lists(st.one_of(st.integers(-3, 6), st.floats(-3, 6), st.sampled_from(
    [float("nan"), float("inf"), 2.5, 10**9, 1e300]), st.text(max_size=2), st.none()),
    max_size=4),
       st.one_of(st.sampled_from(list(nn.INITIALIZATIONS)), st.text(max_size=5)),
       st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=2)),
       st.one_of(st.integers(-5, 2**70), st.text(max_size=2), st.none()))
def test_initialize_parameters_on_hostile_input(dims, method, scale, seed):
    out = _only_value_errors(nn.initialize_parameters, dims, method, scale, seed)
    if out is not None:
        assert nn.layer_dims_of(out) == [int(d) for d in dims]


# --------------------------------------------------------------------------------------
# The core on stacks (the stacked trainer, the Trainer's history): each set's numbers
# --------------------------------------------------------------------------------------

HELPER_NETS = [
    ([2, 4, 1], ["tanh", "sigmoid"], "random"),
    ([2, 8, 8, 1], ["relu", "relu", "sigmoid"], "he"),
    ([3, 5, 3, 1], ["gelu", "leaky_relu", "sigmoid"], "xavier"),
    ([2, 1, 6, 1], ["elu", "silu", "sigmoid"], "random"),  # one unit: outer products
    ([2, 4, 3, 1], ["tanh", "sigmoid", "sigmoid"], "constant"),  # clones
    ([2, 1], ["sigmoid"], "random"),  # logistic regression
]


def _net(dims, init, dtype, seed=0, m=37):
    rng = np.random.default_rng(seed)
    X = (rng.standard_normal((dims[0], m)) * 2).astype(dtype)
    params = nn.initialize_parameters(dims, init, 0.8 if init == "random" else None, seed,
                                      dtype=dtype)
    return X, params


def _same(a, b) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _same_numbers(a, b) -> bool:
    """``_same``, except that a NaN equals a NaN whatever its sign bit (NumPy's vector
    and scalar loops may set it differently; a NaN is no number either way)."""
    a, b = np.asarray(a), np.asarray(b)
    nan = np.isnan(a)
    return (a.dtype == b.dtype and a.shape == b.shape and np.array_equal(nan, np.isnan(b))
            and a[~nan].tobytes() == b[~nan].tobytes())


def _stacked(sets):
    return {k: np.array([p[k] for p in sets]) for k in sets[0]}


def _sets(dims, init, dtype):
    """Parameter sets of every kind side by side: random ones, clones (constant and
    zeros), a layer with equal rows by accident, a huge one that overflows."""
    sets = [_net(dims, init, dtype, seed=s)[1] for s in range(4)]
    sets.append(nn.initialize_parameters(dims, "constant", dtype=dtype))
    sets.append(nn.initialize_parameters(dims, "zeros", dtype=dtype))
    odd = {k: v.copy() for k, v in sets[0].items()}
    odd["W1"][:] = odd["W1"][:1]
    sets.append(odd)
    sets.append({k: v * dtype(1e30) for k, v in sets[1].items()})
    return sets


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("regularization, lambd", [("none", 0.0), ("L2", 0.7), ("L1", 0.3)])
@pytest.mark.parametrize("dims, acts, init", HELPER_NETS)
def test_the_core_on_a_stack_is_the_core_for_each_parameter_set(dims, acts, init,
                                                                 regularization, lambd,
                                                                 dtype):
    # The stacked trainer and the Trainer's history rows run the core on K parameter
    # sets stacked along a first axis: every number must be the one of each set alone.
    for m in (37, 1):  # m = 1: dZ·A[l-1]ᵀ is an outer product
        X, _ = _net(dims, init, dtype, m=m)
        X2 = X.copy()
        X2[-1] = X2[0]  # equal rows of X: equal columns of A[0]ᵀ, for every set
        Y = (np.arange(m) % 2 == 0).astype(dtype)[None]
        sets = _sets(dims, init, dtype)
        stack = _stacked(sets)
        for data in (X, X2):
            with np.errstate(all="ignore"):
                AL, caches = propagation.forward_propagation(data, stack, acts)
                J = propagation.compute_cost(caches[-1].Z, Y, stack, regularization, lambd)
                grads = propagation.backward_propagation(AL, Y, caches, acts, regularization,
                                                         lambd)
                new = propagation.update_parameters(stack, grads, 0.3)
                for i, p in enumerate(sets):
                    AL_i, caches_i = propagation.forward_propagation(data, p, acts)
                    grads_i = propagation.backward_propagation(AL_i, Y, caches_i, acts,
                                                               regularization, lambd)
                    assert _same_numbers(AL[i], AL_i)
                    for c, ci in zip(caches, caches_i, strict=True):
                        assert _same_numbers(c.Z[i], ci.Z) and _same_numbers(c.A[i], ci.A)
                    J_i = propagation.compute_cost(caches_i[-1].Z, Y, p, regularization, lambd)
                    assert _same_numbers(np.float64(J[i]), np.float64(J_i)), (i, m)
                    assert grads.keys() == grads_i.keys()
                    for k in grads_i:
                        assert _same_numbers(grads[k][i], grads_i[k]), (i, k, m)
                    new_i = propagation.update_parameters(p, grads_i, 0.3)
                    for k in new_i:
                        assert _same_numbers(new[k][i], new_i[k]), (i, k, m)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_cost_of_a_stack_is_the_cost_of_each_row(dtype):
    rng = np.random.default_rng(3)
    for m in (1, 7, 8, 9, 80, 129, 320, 1000):
        ZL = (rng.standard_normal((6, 1, m)) * 10.0 ** rng.integers(-3, 3, (6, 1, 1))
              ).astype(dtype)
        ZL[4, 0, :3] = [np.inf, -np.inf, np.nan][:min(m, 3)]
        ZL[5] = 800.0  # e^-|z| underflows: losses of exactly 0
        Y = (rng.random((1, m)) > 0.5).astype(dtype)
        Y[0, 0] = 1.0
        with np.errstate(all="ignore"):
            costs = propagation.compute_cost(ZL, Y)
            assert costs.shape == (6,) and costs.dtype == dtype
            for i in range(6):
                one = propagation.compute_cost(ZL[i], Y)
                assert np.float64(one).tobytes() == np.float64(costs[i]).tobytes(), (m, i)
                # np.mean, as a student would write it, to the last bit.
                loss = np.maximum(ZL[i], 0) - ZL[i] * Y + np.log1p(np.exp(-np.abs(ZL[i])))
                assert np.float64(one).tobytes() == np.float64(np.mean(loss)).tobytes()
                if i < 4:
                    assert float(one) == nn.cost_from_logits(ZL[i], Y)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("regularization, lambd", [("L2", 0.7), ("L1", 0.3), ("none", 0.5),
                                                   ("L2", 0.0)])
def test_the_penalty_of_a_stack_is_the_penalty_of_each_set(regularization, lambd, dtype):
    dims = [2, 5, 3, 1]
    sets = [_net(dims, "random", dtype, seed=s)[1] for s in range(6)]
    costs = np.broadcast_to(
        propagation.regularization_cost(_stacked(sets), 37, regularization, lambd), 6)
    for p, c in zip(sets, costs, strict=True):
        one = nn.regularization_cost(p, 37, regularization, lambd)
        # The plain sum a student would write, in Python floats.
        f = np.square if regularization == "L2" else np.abs
        plain = sum(float(np.sum(f(p[f"W{l}"]))) for l in (1, 2, 3))
        plain = 0.0 if regularization == "none" or not lambd else (
            lambd / (2 * 37) * plain if regularization == "L2" else lambd / 37 * plain)
        assert np.float64(c).tobytes() == np.float64(one).tobytes() == np.float64(
            plain).tobytes()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("dims, acts, init", HELPER_NETS)
def test_dot_of_a_stack_is_dot_of_each_matrix_and_else_matmul(dims, acts, init, dtype):
    X, _ = _net(dims, init, dtype)
    sets = _sets(dims, init, dtype)
    L = len(dims) - 1
    with np.errstate(all="ignore"):
        # The output layer's product: a Q of its own per set, A[L-1].
        A = np.array([propagation.forward_propagation(X, p, acts)[1][-1].A_prev
                      for p in sets])
        W = np.array([p[f"W{L}"] for p in sets])
        R = dot(W, A)
        for i in range(len(sets)):
            assert _same(R[i], dot(W[i], A[i])), i
            clones = W[i].shape[0] > 1 and (W[i] == W[i][:1]).all()  # examples: never
            if not clones:
                assert _same(R[i], W[i] @ A[i]), i  # otherwise it is plain matmul
        # A shared Q, and a transposed stack (dA[l-1] = W[l]ᵀ dZ[l]).
        W1 = np.array([p["W1"] for p in sets])
        R = dot(W1, X)
        T = dot(W1.mT, R)
        for i in range(len(sets)):
            assert _same(R[i], dot(W1[i], X)) and _same(T[i], dot(W1[i].T, R[i])), i


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dot_keeps_equal_rows_and_columns_bit_equal(dtype):
    rng = np.random.default_rng(0)
    for n in (2, 3, 5, 7, 9, 17):
        P = np.repeat(rng.standard_normal((1, 13)).astype(dtype), n, axis=0)
        Q = rng.standard_normal((13, 301)).astype(dtype)
        R = dot(P, Q)
        assert (R == R[:1]).all()
        Rc = dot(Q.T, np.repeat(P[:1].T, n, axis=1), clone_columns=True)  # equal columns
        assert (Rc == Rc[:, :1]).all()
        S = dot(np.array([P, P * 2]), Q)
        assert (S == S[:, :1]).all()


def test_equal_rows_corner_test_decides_as_the_full_comparison():
    """The corners only rule matrices out faster: the answer is the full comparison's."""
    from playground.core.clones import equal_rows

    dead = np.zeros((4, 6))
    dead[2:, 1:5] = 1.0  # rows 0 and 1 agree everywhere, corners all 0, the middle differs
    assert not equal_rows(dead)
    assert not equal_rows(np.zeros((3, 5)) + np.eye(3, 5)[::-1])
    assert equal_rows(np.zeros((3, 5)) - 0.0 * np.array([[1.0], [-1.0], [1.0]]))  # -0 == 0
    assert not equal_rows(np.full((3, 4), np.nan))  # NaN equals nothing
    for M in (np.ones((5, 7)), np.ones((7, 5)).T, np.ones((2, 1))):  # views, one column
        assert equal_rows(M) and not equal_rows(np.vstack([M, M[:1] + 1]))
        assert not equal_rows(np.vstack([M[:1], M[:1] * 2, M[:1]]).T.T)


