"""Tests for playground.core.features: the registry of input features and A[0]."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.features import DEFAULT_FEATURES, FEATURES, check_features, feature_matrix

X = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])


def test_registry():
    assert list(FEATURES) == ["x1", "x2", "x1sq", "x2sq", "x1x2", "sin_x1", "sin_x2"]
    assert DEFAULT_FEATURES == ("x1", "x2")
    for name, f in FEATURES.items():
        assert f.name == name and f.label and callable(f.fn)


def test_feature_values():
    x1, x2 = X
    expected = {"x1": x1, "x2": x2, "x1sq": x1 * x1, "x2sq": x2 * x2, "x1x2": x1 * x2,
                "sin_x1": np.sin(x1), "sin_x2": np.sin(x2)}
    for name, values in expected.items():
        np.testing.assert_array_equal(feature_matrix(X, [name])[0], values)


def test_feature_matrix_shape_order_and_dtype():
    A0 = feature_matrix(X, ["x2sq", "x1", "x1sq", "x2"])
    assert A0.shape == (4, 3)  # n[0] = number of features
    # Rows in registry order, whatever the order asked for.
    np.testing.assert_array_equal(A0, np.stack([X[0], X[1], X[0] ** 2, X[1] ** 2]))
    assert feature_matrix(X) is X  # the default features are the raw points
    assert feature_matrix(X, ("x2", "x1")) is X
    X32 = X.astype(np.float32)
    assert feature_matrix(X32, list(FEATURES)).dtype == np.float32
    assert feature_matrix(np.zeros((2, 0)), ["x1sq"]).shape == (1, 0)


def test_integer_points_become_floats():
    Xi = np.array([[1, 2], [3, 4]])
    A0 = feature_matrix(Xi, ["sin_x1", "x1sq"])  # rows in registry order: x1², sin x1
    assert A0.dtype == np.float64
    np.testing.assert_array_equal(A0[0], [1.0, 4.0])
    np.testing.assert_allclose(A0[1], np.sin([1.0, 2.0]))  # not truncated to 0
    assert feature_matrix(Xi).dtype == np.float64


def test_check_features():
    assert check_features(["x2", "x1", "x2"]) == ("x1", "x2")  # no repeats
    assert check_features("x1x2") == ("x1x2",)  # one name, not its letters
    with pytest.raises(ValueError, match="at least one"):
        check_features([])
    with pytest.raises(ValueError, match="unknown input feature.*'x3'.*choose from"):
        check_features(["x1", "x3"])


def test_bad_points():
    with pytest.raises(ValueError, match=r"\(2, m\)"):
        feature_matrix(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"\(2, m\)"):
        feature_matrix(np.zeros(4))
    with pytest.raises(ValueError, match="numbers"):
        feature_matrix(np.array([["a"], ["b"]]), ["x1sq"])
