"""Tests for playground.core.diagnostics: the symmetry measure, distinct units, saturation,
dead units, and the network over a grid of the input plane."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from playground.core import nn
from playground.core.datasets import make_dataset
from playground.core.diagnostics import (
    DISTINCT_TOL,
    MAX_GRID_RESOLUTION,
    _distinct_of,
    _distinct_stack,
    _layers_symmetry,
    _symmetry_of,
    _symmetry_stack,
    dead_units,
    distinct_units,
    distinct_units_lines,
    grid_activations,
    hidden_layer_symmetry,
    make_grid,
    probability_grid,
    saturation_fraction,
    saturation_threshold,
    symmetry_measure,
    unit_vectors,
)
from playground.engine.trainer import Trainer

# ---- symmetry -------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 5, 7, 16])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_symmetry_measure_is_exactly_zero_for_clones(n, dtype):
    rng = np.random.default_rng(n)
    row = rng.standard_normal((1, 6)) * 10 ** rng.uniform(-3, 3)
    W = np.repeat(row, n, axis=0).astype(dtype)
    b = np.full((n, 1), rng.standard_normal(), dtype=dtype)
    assert symmetry_measure(W, b) == 0.0
    assert distinct_units(W, b) == 1


def test_symmetry_measure_is_the_rms_distance_from_the_mean_unit():
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 1))
    U = np.hstack([W, b])
    expected = np.sqrt(np.mean(np.sum((U - U.mean(axis=0)) ** 2, axis=1)))
    assert symmetry_measure(W, b) == pytest.approx(expected, rel=1e-14)
    assert symmetry_measure(W, b) > 0
    W2 = np.zeros((3, 2))
    b2 = np.array([[0.0], [0.0], [1e-9]])  # one bias differs: no longer clones
    assert symmetry_measure(W2, b2) > 0
    np.testing.assert_array_equal(unit_vectors(W, b), U)


def test_distinct_units_with_tolerance():
    W = np.array([[1.0, 2.0], [1.0, 2.0 + 1e-13], [1.0, 2.5], [1.0, 2.5], [3.0, 0.0]])
    b = np.zeros((5, 1))
    assert DISTINCT_TOL == 1e-12
    assert distinct_units(W, b) == 3
    assert distinct_units(W, b, tol=0.0) == 4
    assert distinct_units(W, b, tol=0.6) == 2
    assert distinct_units(W, b, tol=10.0) == 1
    assert distinct_units(W[:1], b[:1]) == 1
    assert distinct_units(W[:0], b[:0]) == 0
    b2 = b.copy()
    b2[1] = 1.0  # the bias is part of the unit
    assert distinct_units(W, b2) == 4


def test_distinct_units_groups_greedily_by_the_first_representative():
    # 0 ~ 1 and 1 ~ 2 but 0 !~ 2: unit 2 is compared with the representative 0 only.
    W = np.array([[0.0], [0.6], [1.2]])
    assert distinct_units(W, np.zeros((3, 1)), tol=0.7) == 2


def test_non_finite_weights_without_warnings():
    W = np.array([[np.inf, 1.0], [np.inf, 1.0], [np.nan, 0.0], [-1e308, 1e308]])
    b = np.zeros((4, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = symmetry_measure(W, b)
        d = distinct_units(W, b)
        hidden_layer_symmetry({"W1": W, "b1": b, "W2": np.ones((1, 4)), "b2": np.zeros((1, 1))})
    assert np.isnan(s) or np.isinf(s)
    assert 2 <= d <= 4


def test_hidden_layer_symmetry():
    params = nn.initialize_parameters([2, 4, 3, 1], "constant")
    assert hidden_layer_symmetry(params) == [(0.0, 1), (0.0, 1)]
    params = nn.initialize_parameters([2, 4, 3, 1], "random", seed=0)
    sym = hidden_layer_symmetry(params)
    assert [d for _, d in sym] == [4, 3] and all(s > 0 for s, _ in sym)
    assert hidden_layer_symmetry(nn.initialize_parameters([2, 1])) == []


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_distinct_units_lines_count_clones_as_the_weights_say(dtype):
    """Against an independent count: np.unique of the rows of [W | b] (exact clones)."""
    rng = np.random.default_rng(3)
    base = rng.standard_normal((2, 3))  # two different units of 2 inputs + bias
    layer1 = base[[0, 0, 1, 0]]  # 4 units, 2 distinct
    layer2 = np.repeat(rng.standard_normal((1, 5)), 3, axis=0)  # 3 clones of 4 inputs
    params = {"W1": layer1[:, :2], "b1": layer1[:, 2:], "W2": layer2[:, :4],
              "b2": layer2[:, 4:], "W3": rng.standard_normal((1, 3)), "b3": np.zeros((1, 1))}
    params = {k: v.astype(dtype) for k, v in params.items()}
    for l, U in ((1, layer1), (2, layer2)):
        assert len(np.unique(U.astype(dtype), axis=0)) == (2, 1)[l - 1]
    assert distinct_units_lines(params) == [
        "layer 1: 4 units, 2 distinct (clones: the layer acts as 2 units)",
        "layer 2: 3 units, 1 distinct (all clones: the layer acts as one unit)"]
    params["W2"] = rng.standard_normal((3, 4)).astype(dtype)
    assert distinct_units_lines(params)[1] == "layer 2: 3 units, 3 distinct"


def test_distinct_units_lines_of_trained_networks():
    X, Y = make_dataset("flower", n_samples=100, seed=0)
    clones = Trainer(X, Y, hidden=(4,), activations=("tanh",), init="constant", init_scale=0.5)
    clones.step(200)
    assert distinct_units_lines(clones.parameters) == [
        "layer 1: 4 units, 1 distinct (all clones: the layer acts as one unit)"]
    random = Trainer(X, Y, hidden=(4, 1), activations=("tanh", "relu"), init="random")
    random.step(50)
    assert distinct_units_lines(random.parameters) == ["layer 1: 4 units, 4 distinct",
                                                       "layer 2: 1 unit"]
    assert distinct_units_lines(nn.initialize_parameters([2, 1])) == []


# ---- saturation and dead units ----------------------------------------------------------


def test_saturation_fraction():
    Z = np.array([[0.0, 0.1, 10.0, -10.0], [5.0, -5.0, 0.0, 0.2]])
    assert saturation_fraction(Z, "tanh") == 4 / 8  # |1 - tanh²| < 0.05 for |z| ≥ ~2.2
    assert saturation_fraction(Z, "sigmoid") == 4 / 8
    assert saturation_fraction(Z, "relu") == 4 / 8  # z ≤ 0 is off
    assert saturation_fraction(Z, "linear") == 0.0
    # g' = 0.01 < 0.05 on a leaky ReLU's left side, but that is its leak, by design: the
    # unit keeps learning there. Not saturated (diagnostics.saturation_threshold).
    assert saturation_fraction(Z, "leaky_relu") == 0.0
    assert saturation_fraction(Z, "leaky_relu", threshold=1.01) == 0.0
    assert saturation_threshold("leaky_relu") == 0.0
    assert saturation_threshold("relu") == saturation_threshold("tanh") == 0.05
    assert saturation_fraction(Z, "tanh", threshold=1.01) == 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert saturation_fraction(np.array([[np.inf, -np.inf, np.nan]]), "tanh") == 2 / 3


def test_dead_units():
    Z = np.array([[-1.0, -2.0, 0.0], [1.0, -1.0, -3.0], [-0.5, -0.1, -9.0]])
    assert dead_units(Z, "relu") == 2
    assert dead_units(Z, "leaky_relu") == 0
    assert dead_units(Z, "tanh") == 0


# ---- grids ------------------------------------------------------------------------------


def test_make_grid_covers_the_points_with_equal_spans():
    X = np.array([[-3.0, 5.0, 0.0], [1.0, 2.0, 1.5]])
    g = make_grid(X, resolution=40, margin=0.1)
    assert g.xs.shape == g.ys.shape == (40,) and g.shape == (40, 40)
    assert g.X.shape == (2, 1600) and g.X.dtype == np.float32
    span_x, span_y = g.xs[-1] - g.xs[0], g.ys[-1] - g.ys[0]
    assert span_x == pytest.approx(span_y, rel=1e-6)  # a circle looks round
    assert span_x == pytest.approx(8.0 * 1.2, rel=1e-6)
    assert g.xs[0] < -3 and g.xs[-1] > 5 and g.ys[0] < 1 and g.ys[-1] > 2
    assert g.xs.mean() == pytest.approx(1.0) and g.ys.mean() == pytest.approx(1.5)
    # Row-major, y slowest: the first nx points share y = ys[0].
    np.testing.assert_array_equal(g.X[0, :40], g.xs)
    np.testing.assert_array_equal(g.X[1, :40], np.full(40, g.ys[0]))


def test_make_grid_caps_the_resolution_and_handles_degenerate_input():
    X = make_dataset("moons", n_samples=50)[0]
    assert make_grid(X, resolution=10_000).shape == (MAX_GRID_RESOLUTION, MAX_GRID_RESOLUTION)
    assert make_grid(X, resolution=0).shape == (2, 2)
    assert make_grid(X, dtype=np.float64).X.dtype == np.float64
    empty = make_grid(np.zeros((2, 0)), resolution=5)
    assert empty.xs[0] < -1 and empty.xs[-1] > 1
    point = make_grid(np.ones((2, 3)), resolution=5)  # zero span: still a grid
    assert np.all(np.isfinite(point.X)) and point.xs[0] <= 1 <= point.xs[-1]


@pytest.mark.parametrize("features", [("x1", "x2"), ("x1", "x2", "x1sq", "x2sq", "sin_x1")])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_grid_activations_last_layer_is_predict_proba(features, dtype):
    X, Y = make_dataset("moons", n_samples=80)
    tr = Trainer(X, Y, hidden=(5, 3), activations=("relu", "tanh"), features=features,
                 init="xavier", learning_rate=0.5, dtype=dtype)
    tr.step(50)
    grid = make_grid(X, resolution=23)
    layers = grid_activations(grid, tr.parameters, tr.activations, features)
    dims = [len(features), 5, 3, 1]
    assert [a.shape for a in layers] == [(n, 23, 23) for n in dims]
    assert all(a.dtype == dtype for a in layers)
    expected = tr.predict_proba(grid.X).reshape(23, 23)
    np.testing.assert_array_equal(layers[-1][0], expected)
    np.testing.assert_array_equal(probability_grid(grid, tr.parameters, tr.activations,
                                                   features), expected)
    np.testing.assert_array_equal(layers[0][0], grid.X[0].reshape(23, 23).astype(dtype))


# ---- the fast paths of the symmetry read-outs -----------------------------------------


def pairwise_distinct(U: np.ndarray, tol: float) -> int:
    """distinct_units the NumPy way, every pair at once: |U[i] - U[j]| <= tol in U's
    dtype (NumPy casts a Python float tol to U's dtype), greedy representatives."""
    close = (np.abs(U[:, None, :] - U[None, :, :]).max(axis=2) <= tol).tolist()
    reps: list[int] = []
    for i in range(U.shape[0]):
        if not any(close[i][r] for r in reps):
            reps.append(i)
    return len(reps)


def adversarial_layers(dtype, count=400, seed=0):
    """Layers [W | b] whose units sit around the tolerance from each other (in float32
    right at its rounding), clones, near-clones, NaN, ±inf, ±0 and huge numbers."""
    rng = np.random.default_rng(seed)
    t32 = float(np.float32(DISTINCT_TOL))
    for _ in range(count):
        n, k = int(rng.integers(1, 17)), int(rng.integers(2, 18))
        base = rng.standard_normal(k) * 10.0 ** rng.integers(-14, 3)
        U = np.repeat(base[None], n, axis=0)
        kind = rng.integers(0, 6)
        if kind == 1:  # steps of about the tolerance, in a few entries
            steps = rng.choice([0.5, 0.999, 1.0, 1.001, 2.0, 3.0], size=(n, k)) * t32
            U = U + steps * (rng.random((n, k)) < 0.3) * rng.choice([-1, 1], size=(n, k))
        elif kind == 2:  # one ulp apart
            U = np.nextafter(U.astype(dtype), np.inf * rng.choice([-1, 1], size=(n, k)),
                             where=rng.random((n, k)) < 0.2, out=U.astype(dtype).copy())
        elif kind == 3:  # special values
            specials = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 3e38, -3e38, 1e-45])
            mask = rng.random((n, k)) < 0.2
            U = np.where(mask, rng.choice(specials, size=(n, k)), U)
        elif kind == 4:  # random units
            U = rng.standard_normal((n, k)) * 10.0 ** rng.integers(-13, 3)
        elif kind == 5:  # entries with very different magnitudes
            U = U * 10.0 ** rng.integers(-30, 30, size=(n, k))
        yield np.asarray(U, dtype=dtype)


def near_tolerance_pairs(dtype):
    """Two-unit layers whose entries differ by about the tolerance: multiples of it, one
    ulp either side, next to subnormals and zeros (where a float32 difference rounds)."""
    t = dtype(DISTINCT_TOL)
    pool = [dtype(0), dtype(-0.0), np.finfo(dtype).smallest_subnormal, t]
    for f in (0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 1e3):
        v = dtype(f) * t
        pool += [v, np.nextafter(v, dtype(0)), np.nextafter(v, dtype(1))]
    pool = np.array(pool + [-x for x in pool], dtype=dtype)
    for x in pool:
        for y in pool:
            yield np.array([[x, y], [y, x]], dtype=dtype)
            yield np.array([[x, 1], [x + y, 1]], dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_distinct_units_in_python_floats_decides_like_numpy(dtype):
    with np.errstate(all="ignore"):
        for U in adversarial_layers(dtype):
            for tol in (DISTINCT_TOL, 0.0, float(np.float32(DISTINCT_TOL)), 1e-6, 0.6):
                expected = pairwise_distinct(U, tol)
                assert _distinct_of(U, tol) == expected, (U, tol)
                assert distinct_units(U[:, :-1], U[:, -1:], tol) == expected
        for U in near_tolerance_pairs(dtype):
            assert _distinct_of(U, DISTINCT_TOL) == pairwise_distinct(U, DISTINCT_TOL), U


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_stacked_symmetry_and_distinct_units_are_the_single_ones(dtype):
    layers = list(adversarial_layers(dtype, count=300, seed=1))
    by_shape: dict[tuple, list] = {}
    for U in layers:
        by_shape.setdefault(U.shape, []).append(U)
    with np.errstate(all="ignore"):
        for group in by_shape.values():
            S = np.array(group)
            sym = _symmetry_stack(S)
            expected = [_symmetry_of(U) for U in group]
            assert np.array(sym).tobytes() == np.array(expected).tobytes()
            assert _distinct_stack(S) == [_distinct_of(U, DISTINCT_TOL) for U in group]
        # several layers of a network at once, equal shapes measured together
        Us = layers[:40] + [layers[0]] * 3
        sym, distinct = _layers_symmetry(Us)
        assert np.array(sym).tobytes() == np.array([_symmetry_of(U) for U in Us]).tobytes()
        assert distinct == [_distinct_of(U, DISTINCT_TOL) for U in Us]


def test_numpy_reduces_a_stack_like_each_of_its_matrices():
    # What _symmetry_stack relies on: reductions of a C-contiguous (K, n, k) stack along
    # the units (axis 1) and along the rows (axis 2), then of (K, n) along axis 1, give
    # each matrix's own sums bit for bit (the order depends on the matrix only).
    rng = np.random.default_rng(2)
    for _ in range(300):
        K, n, k = (int(v) for v in rng.integers([1, 1, 2], [30, 17, 18]))
        S = rng.choice([1e16, -1e16, 1.0, 3.0, 1e-3, -7.5], size=(K, n, k)) * rng.random(
            (K, n, k)) ** 3
        cols = np.add.reduce(S, axis=1, keepdims=True)
        rows = np.add.reduce(S, axis=2)
        total = np.add.reduce(rows, axis=1)
        for i in range(K):
            U = S[i].copy()
            assert cols[i].tobytes() == np.add.reduce(U, axis=0, keepdims=True).tobytes()
            assert rows[i].tobytes() == np.add.reduce(U, axis=1).tobytes()
            assert total[i] == np.add.reduce(rows[i].copy(), axis=None)


def test_hidden_layer_symmetry_of_a_deep_network_groups_equal_layers():
    params = nn.initialize_parameters([2, 8, 8, 8, 3, 8, 1], "random", seed=4)
    params["W3"] = np.repeat(params["W3"][:1], 8, axis=0)  # clones in layer 3
    params["b3"] = np.zeros((8, 1))
    out = hidden_layer_symmetry(params)
    for l, (s, d) in enumerate(out, start=1):
        assert s == symmetry_measure(params[f"W{l}"], params[f"b{l}"])
        assert d == distinct_units(params[f"W{l}"], params[f"b{l}"])
    assert out[2] == (0.0, 1)
