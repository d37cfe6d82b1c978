"""playground.lab.landscape: the plane's directions, the projection, J on the grid and
what the path shows (issue 15, part 2)."""

import numpy as np
import pytest

from playground.core.datasets import make_dataset, train_test_split
from playground.core.propagation import compute_cost, forward_propagation
from playground.engine.trainer import MAX_RECENT, Trainer
from playground.lab import landscape as LS


@pytest.fixture(scope="module")
def flower():
    X, Y = make_dataset("flower", 400, None, 0)
    return train_test_split(X, Y, 0.2, 0)


def trained(data, n=60, **kw) -> Trainer:
    t = Trainer(*data, **kw)
    t.step(n)
    return t


# ---- θ as a vector -------------------------------------------------------------------------


def test_flatten_and_unflatten_are_inverse(flower):
    t = trained(flower, 5, hidden=(4, 3), activations=("tanh", "relu"))
    theta = LS.flatten(t.parameters)
    assert theta.shape == (4 * 2 + 4 + 3 * 4 + 3 + 3 + 1,)
    back = LS.unflatten(theta, t.layer_dims)
    for k, v in t.parameters.items():
        np.testing.assert_array_equal(back[k], v)
    stack = LS.unflatten(np.stack([theta, 2 * theta]), t.layer_dims)
    assert stack["W2"].shape == (2, 3, 4) and stack["b3"].shape == (2, 1, 1)
    np.testing.assert_array_equal(stack["W2"][1], 2 * t.parameters["W2"])
    with pytest.raises(ValueError, match="parameters"):
        LS.unflatten(theta[:-1], t.layer_dims)


# ---- the directions --------------------------------------------------------------------------


def test_pca_directions_are_orthonormal_and_span_a_planar_path():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal(30), rng.standard_normal(30)
    u = np.linspace(0, 1, 40)
    path = 3 + np.outer(u, a) + np.outer(np.sin(5 * u), b)  # in a plane through 3
    V, s = LS.pca_directions(path)
    assert V.shape == (2, 30) and s.shape == (2,)  # the path's plane: exactly two
    np.testing.assert_allclose(V @ V.T, np.eye(2), atol=1e-12)
    for x in (a, b):  # a and b lie in the span of V
        np.testing.assert_allclose(V.T @ (V @ x), x, atol=1e-10)
    # Oriented from the start of the path towards its end.
    assert V[0] @ (path[-1] - path[0]) > 0


def test_pca_of_a_path_that_does_not_move_has_no_direction():
    V, s = LS.pca_directions(np.ones((7, 5)))
    assert V.shape == (0, 5) and s.size == 0
    line = np.outer(np.arange(6.0), np.arange(5.0))
    assert LS.pca_directions(line)[0].shape == (1, 5)


def test_choose_directions_for_a_trained_network(flower):
    t = trained(flower, 200)
    its, path = LS.trajectory(t)
    dirs = LS.choose_directions(path, t.layer_dims, "pca")
    assert dirs.kind == "pca" and dirs.orthonormal and not dirs.note
    np.testing.assert_allclose(dirs.d @ dirs.d.T, np.eye(2), atol=1e-12)
    assert 0 < dirs.explained[1] <= dirs.explained[0] <= 1
    with pytest.raises(ValueError, match="directions"):
        LS.choose_directions(path, t.layer_dims, "sideways")


def test_filter_normalization_scales_each_row_to_thetas_row_and_zeroes_biases(flower):
    t = trained(flower, 50, hidden=(5, 3), activations=("tanh", "tanh"))
    theta = LS.flatten(t.parameters)
    d, zero_rows = LS.random_directions(theta, t.layer_dims, seed=4)
    assert d.shape == (2, theta.size) and zero_rows == 0
    T = LS.unflatten(theta, t.layer_dims)
    for k in range(2):
        D = LS.unflatten(d[k], t.layer_dims)
        for l in range(1, t.L + 1):
            np.testing.assert_allclose(np.linalg.norm(D[f"W{l}"], axis=1),
                                       np.linalg.norm(T[f"W{l}"], axis=1), rtol=1e-12)
            assert not np.any(D[f"b{l}"])
    # Each row is the random row, rescaled: same direction.
    raw = np.random.default_rng(4).standard_normal(theta.size)
    R, D = LS.unflatten(raw, t.layer_dims), LS.unflatten(d[0], t.layer_dims)
    row, drow = R["W1"][2], D["W1"][2]
    np.testing.assert_allclose(drow / np.linalg.norm(drow), row / np.linalg.norm(row),
                               rtol=1e-12)


def test_filter_normalization_keeps_zero_rows_of_theta_at_length_one(flower):
    t = Trainer(*flower, init="zeros")
    theta = LS.flatten(t.parameters)
    d, zero_rows = LS.random_directions(theta, t.layer_dims)
    assert zero_rows == 4 + 1  # every row of W[1] and W[2]
    D = LS.unflatten(d[1], t.layer_dims)
    np.testing.assert_allclose(np.linalg.norm(D["W1"], axis=1), LS.ZERO_ROW_NORM)


# ---- the projection ----------------------------------------------------------------------------


@pytest.mark.parametrize("asked", ["pca", "random"])
def test_projection_gives_a_points_coordinates_and_theta_the_centre(flower, asked):
    t = trained(flower, 150)
    its, path = LS.trajectory(t)
    theta = path[-1]
    d = LS.choose_directions(path, t.layer_dims, asked).d
    coords = np.array([[0.3, -1.2], [2.0, 0.5]])
    points = theta + coords @ d
    np.testing.assert_allclose(LS.project(points, theta, d), coords, atol=1e-10)
    np.testing.assert_allclose(LS.project(theta, theta, d), [[0.0, 0.0]], atol=1e-12)
    ls = LS.landscape(t, asked)
    # The path's last point is θ now: the centre of the map, and J there is J now.
    assert ls.iterations[-1] == t.iteration == 150
    np.testing.assert_array_equal(ls.path[-1], [0.0, 0.0])
    np.testing.assert_array_equal(path[-1], LS.flatten(t.parameters))
    assert ls.current_cost == pytest.approx(t.metrics().train_cost, rel=1e-12)
    assert ls.s[len(ls.s) // 2] == 0 and ls.t[len(ls.t) // 2] == 0
    assert np.abs(ls.path).max() <= ls.s[-1]  # the whole path is on the map


def test_the_path_records_the_latest_iterations_one_by_one(flower):
    t = trained(flower, 300)
    its, _ = LS.trajectory(t)
    assert list(its[-MAX_RECENT:]) == list(range(300 - MAX_RECENT + 1, 301))
    assert its[0] == 0 and np.all(np.diff(its) > 0)


# ---- J on the grid -----------------------------------------------------------------------------


@pytest.mark.parametrize("reg", [("none", 0.0), ("L2", 0.7)])
def test_grid_costs_equal_the_cores_compute_cost(flower, reg):
    t = trained(flower, 80, hidden=(5,), regularization=reg[0], lambd=reg[1])
    _, path = LS.trajectory(t)
    theta = path[-1]
    d, _ = LS.random_directions(theta, t.layer_dims)
    s, tt = np.linspace(-1, 1, 41), np.linspace(-0.8, 1.3, 37)
    J = LS.grid_costs(theta, d, s, tt, t.X_train, t.Y_train, t.layer_dims, t.activations,
                      *reg, chunk=100)  # chunks that do not divide the grid
    assert J.shape == (37, 41) and J.dtype == np.float64
    rng = np.random.default_rng(0)
    for i, j in [(0, 0), (36, 40), (18, 20), *zip(rng.integers(0, 37, 12),
                                                  rng.integers(0, 41, 12), strict=True)]:
        p = LS.unflatten(theta + s[j] * d[0] + tt[i] * d[1], t.layer_dims)
        _, caches = forward_propagation(t.X_train, p, t.activations)
        want = float(compute_cost(caches[-1].Z, t.Y_train, p, *reg))
        assert abs(J[i, j] - want) <= 1e-12 * max(1.0, abs(want)), (i, j)


# ---- what the path shows ------------------------------------------------------------------------


def test_zero_initialization_path_does_not_move(flower):
    t = trained(flower, 200, init="zeros")
    its, path = LS.trajectory(t)
    assert len(path) > 2 and np.all(path == path[0])
    ls = LS.landscape(t, "pca")
    assert np.all(ls.path == 0)  # every recorded point is θ now
    # PCA is undefined: random directions, and the page says why.
    assert ls.directions.kind == "random" and "has not moved" in ls.directions.note
    stuck = [x for x in ls.lessons if x.kind == "stuck"]
    assert stuck and "iteration 200 is exactly θ at iteration 0" in stuck[0].sentence


def test_no_path_yet_at_iteration_zero(flower):
    ls = LS.landscape(Trainer(*flower), "pca")
    assert ls.directions.kind == "random" and "Nothing is recorded yet" in ls.directions.note
    assert ls.lessons == []


def test_a_large_alpha_bounces_and_a_small_one_does_not(flower):
    big = LS.landscape(trained(flower, 300, learning_rate=5.0), "pca")
    assert [x.kind for x in big.lessons] == ["bouncing"]
    reversals, pairs = LS.step_reversals(*LS.trajectory(trained(flower, 300,
                                                                learning_rate=5.0)))
    assert pairs >= MAX_RECENT - 2 and reversals == pairs
    assert f"{reversals} of the {pairs} pairs" in big.lessons[0].sentence
    small = LS.landscape(trained(flower, 300, learning_rate=0.3), "pca")
    assert not small.lessons


def test_constant_initialization_stays_on_the_symmetric_subspace(flower):
    t = trained(flower, 300, init="constant", init_scale=0.5)
    ls = LS.landscape(t, "pca")
    sym = [x for x in ls.lessons if x.kind == "symmetric"]
    assert sym and "every point of this map is a network of clones" in sym[0].sentence
    _, path = LS.trajectory(t)
    assert LS.symmetric_points(path, t.layer_dims) == len(path)
    rnd = LS.landscape(t, "random")
    sym = [x for x in rnd.lessons if x.kind == "symmetric"]
    assert sym and "do not keep the units clones" in sym[0].sentence
    # Random initialization: no symmetric point at all.
    _, path = LS.trajectory(trained(flower, 50))
    assert LS.symmetric_points(path, t.layer_dims) == 0


def test_zoom_draws_the_last_iterations_and_keeps_the_whole_paths_lessons(flower):
    t = trained(flower, 300, learning_rate=5.0)
    whole, zoomed = LS.landscape(t, "pca"), LS.landscape(t, "pca", zoom=True)
    assert list(zoomed.iterations) == list(range(301 - MAX_RECENT, 301))
    assert zoomed.s[-1] < whole.s[-1]  # a closer look
    assert np.abs(zoomed.path).max() <= zoomed.s[-1]
    assert [x.kind for x in zoomed.lessons] == [x.kind for x in whole.lessons] == ["bouncing"]
    assert zoomed.moved and not LS.landscape(trained(flower, 20, init="zeros")).moved
