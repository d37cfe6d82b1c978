"""Tests for playground.ui.click_plane's pure part: reading a click event, adding a point."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.ui.click_plane import add_point, parse_click

finite = st.floats(allow_nan=False, allow_infinity=False)


@given(finite, finite, st.text(min_size=1, max_size=20))
def test_parse_click_returns_the_clicked_coordinates_exactly(x, y, cid):
    assert parse_click({"x": x, "y": y, "id": cid}) == (x, y, cid)


@pytest.mark.parametrize("value", [
    None, [], "click", {"x": 1.0, "y": 2.0}, {"x": 1.0, "id": "a"},
    {"x": math.nan, "y": 0.0, "id": "a"}, {"x": 0.0, "y": math.inf, "id": "a"},
    {"x": "1", "y": 2.0, "id": "a"}, {"x": True, "y": 2.0, "id": "a"},
    {"x": 1.0, "y": 2.0, "id": 7},
])
def test_parse_click_ignores_anything_but_a_finite_click(value):
    assert parse_click(value) is None


@given(st.lists(st.tuples(finite, finite, st.sampled_from([0, 1])), min_size=1, max_size=8))
def test_add_point_appends_one_column_per_point_in_order(points):
    user = None
    for k, (x, y, label) in enumerate(points, start=1):
        user = add_point(user, x, y, label)
        X, Y = user
        assert X.shape == (2, k) and Y.shape == (1, k)
        assert X.dtype == np.float64 and Y.dtype == np.float64
        assert (X[0, -1], X[1, -1], Y[0, -1]) == (x, y, float(label))
    np.testing.assert_array_equal(user[0], np.array([[p[0] for p in points],
                                                     [p[1] for p in points]]))


def test_add_point_refuses_a_third_class():
    with pytest.raises(ValueError, match="0 or 1"):
        add_point(None, 0.0, 0.0, 2)
