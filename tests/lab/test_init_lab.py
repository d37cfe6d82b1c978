"""The initialization scale lab's logic: the signal's scale through depth at iteration 0."""

import numpy as np
import pytest

from playground.core import nn
from playground.lab import init_lab as lab


@pytest.fixture(scope="module")
def cloud():
    return lab.input_cloud()


def test_input_cloud_shapes_and_labels():
    X, Y = lab.input_cloud(500, seed=3)
    assert X.shape == (2, 500) and Y.shape == (1, 500)
    assert set(np.unique(Y)) == {0.0, 1.0}
    np.testing.assert_array_equal(Y[0] == 1, X[0] * X[1] > 0)
    assert abs(X.std() - 1) < 0.1  # standard normal


def test_lab_inputs_dataset():
    X, Y = lab.lab_inputs("flower")
    assert X.shape == (2, lab.DATASET_POINTS) and Y.shape == (1, lab.DATASET_POINTS)


def test_report_shapes(cloud):
    X, Y = cloud
    r = lab.signal_at_init(X, Y, depth=3, width=8, activation="tanh", choice="xavier")
    assert r.layer_dims == (2, 8, 8, 8, 1) and r.L == 4
    assert [z.shape for z in r.Z] == [(8, 1000)] * 3 + [(1, 1000)]
    assert len(r.hidden_A) == 3 and r.std_A.shape == (3,) and r.saturation.shape == (3,)
    assert r.dW_norms.shape == (4,) and np.all(r.dW_norms > 0)


def test_uses_the_core_initialization(cloud):
    """Layer 1's Z is exactly W[1]·X with the core's W[1] for that method and seed."""
    X, Y = cloud
    r = lab.signal_at_init(X, Y, 2, 16, "relu", "he", seed=5)
    W1 = nn.initialize_parameters([2, 16, 16, 1], "he", None, 5)["W1"]
    np.testing.assert_allclose(r.Z[0], W1 @ X)


def test_he_keeps_relu_scale(cloud):
    X, Y = cloud
    r = lab.signal_at_init(X, Y, 6, 64, "relu", "he")
    s = r.std_A
    assert s.max() / s.min() < 2, s


def test_small_weights_vanish(cloud):
    X, Y = cloud
    for act in ("tanh", "relu"):
        s = lab.signal_at_init(X, Y, 6, 64, act, "random_0.01").std_A
        assert s[-1] < s[0] * 1e-4, (act, s)  # orders of magnitude
        assert np.all(np.diff(s) < 0)  # layer by layer


def test_unit_scale_saturates_tanh(cloud):
    X, Y = cloud
    sat = lab.signal_at_init(X, Y, 6, 64, "tanh", "random_1").saturation
    assert sat[-1] > 0.5, sat
    assert lab.signal_at_init(X, Y, 6, 64, "tanh", "xavier").saturation[-1] < 0.05


def test_xavier_keeps_tanh_scale_roughly(cloud):
    X, Y = cloud
    s = lab.signal_at_init(X, Y, 6, 64, "tanh", "xavier").std_A
    assert s[-1] > s[0] / 4, s  # a slow drift, nothing like the ×0.01 collapse


def test_run_lab_order_and_selection(cloud):
    X, Y = cloud
    reports = lab.run_lab(X, Y, 2, 8, "tanh", ["he", "random_0.01"])
    assert [r.choice.key for r in reports] == ["random_0.01", "he"]


def test_describe(cloud):
    X, Y = cloud
    text = lab.describe(lab.signal_at_init(X, Y, 6, 64, "tanh", "random_0.01"))
    assert "shrinks" in text and "layer 6" in text
    text = lab.describe(lab.signal_at_init(X, Y, 6, 64, "relu", "he"))
    assert "keeps its scale" in text and "off (z ≤ 0)" in text
    text = lab.describe(lab.signal_at_init(X, Y, 1, 8, "linear", "xavier"))
    assert text.startswith("std of A[1]")


@pytest.mark.parametrize("depth", [0, 7])
def test_depth_is_checked(cloud, depth):
    with pytest.raises(ValueError, match="depth"):
        lab.signal_at_init(*cloud, depth, 8, "tanh", "he")


def test_describe_leaky_relu(cloud):
    X, Y = cloud
    text = lab.describe(lab.signal_at_init(X, Y, 2, 16, "leaky_relu", "he"))
    assert "on the 0.01 slope (z < 0)" in text
