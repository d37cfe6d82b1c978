"""playground.figures.contour: the line ŷ = 0.5 by marching squares. Checked through the figures'
data (trace types, arrays, layout settings), never through pixels."""

from __future__ import annotations

import numpy as np
import pytest

from playground.figures.contour import contour_line


def test_contour_line_straight_circle_and_saddle():
    xs = np.linspace(-1, 1, 41)
    ys = np.linspace(-1, 1, 31)
    gx, gy = np.meshgrid(xs, ys)
    x, y = contour_line(xs, ys, 1 / (1 + np.exp(-(gx - 0.3) * 5)))
    assert np.all(np.isfinite(x))  # one polyline
    assert np.allclose(x, 0.3, atol=1e-5)
    assert y.min() == pytest.approx(-1) and y.max() == pytest.approx(1)
    # A circle of radius 0.5 is one closed loop.
    x, y = contour_line(xs, ys, np.hypot(gx, gy), level=0.5)
    assert np.all(np.isfinite(x))
    assert (x[0], y[0]) == (x[-1], y[-1])
    assert np.allclose(np.hypot(x, y), 0.5, atol=0.02)
    # A saddle cell gives two separate pieces.
    x, y = contour_line([0.0, 1.0], [0.0, 1.0], np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert np.isnan(x).sum() == 1 and np.isfinite(x).sum() == 4
    # No crossing: empty.
    x, y = contour_line(xs, ys, np.zeros((31, 41)))
    assert x.size == 0 and y.size == 0
