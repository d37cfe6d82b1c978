"""The course notebooks' data, initial weights and cost, made as the notebooks make them
(issue 15, part 4): compared with the notebooks' own code (tests/core/course_reference.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.core import course, text
from tests.core import course_reference as ref


def test_the_planar_flower_is_load_planar_datasets():
    X, Y = course.planar_dataset()
    X_nb, Y_nb = ref.load_planar_dataset()
    assert X.shape == (2, 400) and Y.shape == (1, 400) and X.dtype == np.float64
    np.testing.assert_array_equal(X, X_nb)
    np.testing.assert_array_equal(Y, Y_nb)
    assert Y[0, :200].sum() == 0 and Y[0, 200:].sum() == 200  # class 0, then class 1


def test_the_circles_are_the_initialization_assignments():
    got = course.circles_dataset()
    want = ref.load_circles_dataset()
    assert [a.shape for a in got] == [(2, 300), (1, 300), (2, 100), (1, 100)]
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)


def test_the_global_generator_is_left_alone():
    np.random.seed(123)  # noqa: NPY002 (the generator the notebooks seed)
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    course.planar_dataset()
    course.circles_dataset()
    course.initial_parameters([2, 10, 5, 1], "he", None, 3)
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_the_planar_assignments_initial_weights():
    got = course.initial_parameters([2, 4, 1], "random", 0.01, 2)
    want = ref.planar_initialize_parameters(2, 4, 1)
    assert set(got) == set(want)
    for k in want:
        np.testing.assert_array_equal(got[k], want[k])


@pytest.mark.parametrize("how,scale", [("zeros", None), ("random", 10.0), ("he", None)])
def test_the_initialization_assignments_initial_weights(how, scale):
    got = course.initial_parameters([2, 10, 5, 1], how, scale, 3)
    want = ref.initialization_parameters([2, 10, 5, 1], how)
    for k in want:
        np.testing.assert_array_equal(got[k], want[k])


def test_the_notebooks_costs():
    AL = np.array([[0.9, 0.2, 0.5, 0.7]])
    Y = np.array([[1.0, 0.0, 1.0, 0.0]])
    J = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    assert course.notebook_cost(AL, Y, "planar") == pytest.approx(J, rel=1e-15)
    assert course.notebook_cost(AL, Y, "initialization") == pytest.approx(J, rel=1e-15)
    # A ŷ that rounded to 1 for a y = 0: log(1 - 1) = -inf, and the notebook prints inf.
    saturated = np.array([[1.0, 0.5]])
    assert course.notebook_cost(saturated, np.array([[0.0, 1.0]]), "initialization") == math.inf
    with pytest.raises(ValueError, match="unknown cost formula"):
        course.notebook_cost(AL, Y, "lecture")


def test_lines_as_the_notebooks_print_them():
    assert (text.notebook_line(1000, 0.28808329356901846, "%f")
            == "Cost after iteration 1000: 0.288083"
            == "Cost after iteration %i: %f" % (1000, 0.28808329356901846))  # noqa: UP031
    assert (text.notebook_line(0, np.float64(0.8830537463419761), "{}")
            == "Cost after iteration 0: 0.8830537463419761"
            == "Cost after iteration {}: {}".format(0, 0.8830537463419761))  # noqa: UP032
    assert text.notebook_line(0, math.inf, "{}") == "Cost after iteration 0: inf"
    with pytest.raises(ValueError, match="unknown notebook style"):
        text.notebook_line(0, 0.5, "%.4f")
