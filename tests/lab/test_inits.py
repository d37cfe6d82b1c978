"""playground.lab.inits: the one InitChoice registry both comparison pages select from."""

import numpy as np
import pytest

from playground.core import nn
from playground.lab import init_lab, inits, symmetry
from playground.lab.inits import INIT_CHOICES, InitChoice


def test_every_choice_is_a_method_with_its_scale():
    for key, ch in INIT_CHOICES.items():
        assert ch.key == key
        assert ch.method in nn.INITIALIZATIONS
        assert ch.formula.startswith("W[l] = ")
        if ch.method == "random":
            assert ch.scale is not None and key == f"random_{ch.scale:g}"
        else:
            assert ch.scale is None and key == ch.method


def test_both_pages_select_from_the_one_registry():
    assert symmetry.InitChoice is init_lab.InitChoice is InitChoice
    for page in (symmetry.INIT_CHOICES, init_lab.INIT_CHOICES):
        assert all(page[k] is INIT_CHOICES[k] for k in page)
    assert list(symmetry.INIT_CHOICES) == ["zeros", "constant", "random_0.01", "random_10",
                                           "xavier", "he"]
    assert list(init_lab.INIT_CHOICES) == ["random_0.01", "random_1", "xavier", "he"]
    assert set(symmetry.DEFAULT_CHOICES) <= set(symmetry.INIT_CHOICES)


def test_selection_keeps_the_order_given_and_rejects_unknown_keys():
    assert list(inits.selection("he", "zeros")) == ["he", "zeros"]
    with pytest.raises(KeyError):
        inits.selection("ones")


@pytest.mark.parametrize("key, c, title", [
    ("constant", 0.5, "constant c = 0.5"), ("constant", -1.25, "constant c = -1.25"),
    ("random_0.01", 0.5, "random × 0.01"), ("random_1", 3.0, "random × 1"),
    ("random_10", 0.5, "random × 10"), ("xavier", 0.5, "Xavier"), ("zeros", 2.0, "zeros"),
])
def test_title(key, c, title):
    assert INIT_CHOICES[key].title(c) == title


def test_a_choice_initializes_with_its_method_and_scale():
    X, Y = init_lab.input_cloud(50, 0)
    report = init_lab.signal_at_init(X, Y, 1, 4, "tanh", "random_0.01", seed=1)
    W1 = nn.initialize_parameters([2, 4, 1], "random", 0.01, 1)["W1"]
    np.testing.assert_array_equal(report.Z[0], W1 @ X)
