# ruff: noqa: NPY002  (the notebooks use NumPy's legacy global generator: this is their code)
"""The course notebooks' own code, as the assignments run it (global ``np.random.seed``),
for the tests to compare the app with. Not the app's: kept as the notebooks write it."""

from __future__ import annotations

import numpy as np
import sklearn.datasets


def _global_seed(seed: int):
    """The notebooks seed NumPy's global generator: the tests put its state back after."""
    state = np.random.get_state()
    np.random.seed(seed)
    return state


def load_planar_dataset():
    """planar_utils.load_planar_dataset()."""
    state = _global_seed(1)
    try:
        m = 400
        N = int(m / 2)
        D = 2
        X = np.zeros((m, D))
        Y = np.zeros((m, 1), dtype="uint8")
        a = 4
        for j in range(2):
            ix = range(N * j, N * (j + 1))
            t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
            r = a * np.sin(4 * t) + np.random.randn(N) * 0.2
            X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
            Y[ix] = j
        return X.T, Y.T
    finally:
        np.random.set_state(state)


def load_circles_dataset():
    """init_utils.load_dataset() (without its plot)."""
    state = _global_seed(1)
    try:
        train_X, train_Y = sklearn.datasets.make_circles(n_samples=300, noise=.05)
        np.random.seed(2)
        test_X, test_Y = sklearn.datasets.make_circles(n_samples=100, noise=.05)
    finally:
        np.random.set_state(state)
    return (train_X.T, train_Y.reshape((1, train_Y.shape[0])), test_X.T,
            test_Y.reshape((1, test_Y.shape[0])))


def planar_initialize_parameters(n_x, n_h, n_y):
    """The one-hidden-layer assignment's initialize_parameters."""
    state = _global_seed(2)
    try:
        W1 = np.random.randn(n_h, n_x) * 0.01
        b1 = np.zeros((n_h, 1))
        W2 = np.random.randn(n_y, n_h) * 0.01
        b2 = np.zeros((n_y, 1))
    finally:
        np.random.set_state(state)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def initialization_parameters(layers_dims, how):
    """The initialization assignment's initialize_parameters_zeros / _random / _he."""
    parameters = {}
    L = len(layers_dims)
    if how == "zeros":
        for l in range(1, L):
            parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
            parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
        return parameters
    state = _global_seed(3)
    try:
        for l in range(1, L):
            factor = 10 if how == "random" else np.sqrt(2. / layers_dims[l - 1])
            parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * factor
            parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    finally:
        np.random.set_state(state)
    return parameters


def planar_nn_model(X, Y, num_iterations=10000, divide_by_m=False):
    """nn_model(X, Y, n_h=4, num_iterations, print_cost=True): the costs it prints, as
    (i, cost) every 1,000. ``divide_by_m``: dW2 written ``np.dot(dZ2, A1.T) / m`` instead
    of ``(1 / m) * np.dot(dZ2, A1.T)``, the same math rounded differently."""
    p = planar_initialize_parameters(X.shape[0], 4, Y.shape[0])
    W1, b1, W2, b2 = p["W1"], p["b1"], p["W2"], p["b2"]
    m = X.shape[1]
    printed = []
    for i in range(num_iterations):
        Z1 = np.dot(W1, X) + b1
        A1 = np.tanh(Z1)
        Z2 = np.dot(W2, A1) + b2
        A2 = 1 / (1 + np.exp(-Z2))
        logprobs = np.multiply(np.log(A2), Y) + np.multiply((1 - Y), np.log(1 - A2))
        cost = float(np.squeeze(-np.sum(logprobs) / m))
        dZ2 = A2 - Y
        dW2 = np.dot(dZ2, A1.T) / m if divide_by_m else (1 / m) * np.dot(dZ2, A1.T)
        db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
        dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
        dW1 = (1 / m) * np.dot(dZ1, X.T)
        db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
        W1, b1, W2, b2 = W1 - 1.2 * dW1, b1 - 1.2 * db1, W2 - 1.2 * dW2, b2 - 1.2 * db2
        if i % 1000 == 0:
            printed.append((i, cost))
    return printed
