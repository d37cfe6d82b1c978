"""playground.figures.matrix: small matrices as heatmaps: W[l], dW[l] and the confusion matrix.
Checked through the figures' data (trace types, arrays, layout settings), never through pixels."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.text import cell
from playground.figures.matrix import (
    confusion_matrix,
    make_confusion_figure,
    make_matrix_heatmap_figure,
)


def test_matrix_heatmap(trainer):
    W = trainer.parameters["W1"].copy()
    W[0, 0] = 0.0
    W[1, 1] = 3e-6
    fig = make_matrix_heatmap_figure(W)
    hm = fig.data[0]
    assert hm.type == "heatmap" and hm.z.shape == (4, 2)
    assert np.allclose(hm.z, W, rtol=1e-6)
    text = np.array(hm.text)
    assert text.shape == (4, 2)
    assert text[0, 0] == "0" and text[1, 1] == "3.00e-6"
    for r in range(4):
        for c in range(2):
            assert text[r, c] == cell(W[r, c])
            if W[r, c]:
                assert float(text[r, c]) == pytest.approx(W[r, c], rel=5e-3)
    assert hm.texttemplate == "%{text}"
    assert list(hm.y) == ["unit 1", "unit 2", "unit 3", "unit 4"]
    assert list(hm.x) == ["from x₁", "from x₂"]
    assert fig.layout.yaxis.autorange == "reversed"  # unit 1 on top
    assert hm.zmin == -hm.zmax == -np.abs(W).max()
    assert hm.colorbar.title.text == "W[1]"
    fig2 = make_matrix_heatmap_figure(trainer.gradients()["dW2"], symbol="dW", layer=2,
                                      zmax=1.0, title="dW[2]")
    assert list(fig2.data[0].x) == [f"from a[1]{s}" for s in "₁₂₃₄"]
    assert fig2.data[0].zmax == 1.0 and fig2.layout.title.text == "dW[2]"
    zero = make_matrix_heatmap_figure(np.zeros((2, 2)))
    assert zero.data[0].zmax == 1.0 and np.all(np.array(zero.data[0].text) == "0")

def test_confusion_matrix_counts():
    Y = np.array([[0, 0, 1, 1, 1, 0]])
    Yhat = np.array([[0, 1, 1, 1, 0, 0]])
    C = confusion_matrix(Y, Yhat)
    assert C.tolist() == [[2, 1], [1, 2]] and C.dtype == np.int64
    assert confusion_matrix(Y, np.array([[0.2, 0.7, 0.9, 0.51, 0.5, 0.1]])).tolist() == [
        [2, 1], [1, 2]]
    with pytest.raises(ValueError):
        confusion_matrix(Y, Yhat[:, :3])

def test_confusion_figure(trainer, data):
    X, Y = data[0], data[1]
    Yhat = trainer.predict_proba(X)
    fig = make_confusion_figure(Y, Yhat, title="train set")
    hm = fig.data[0]
    C = confusion_matrix(Y, Yhat)
    assert np.array_equal(hm.z, C)
    assert C.sum() == X.shape[1]
    assert C.trace() == round(trainer.metrics().train_accuracy * X.shape[1])
    assert list(hm.y) == ["true 0", "true 1"] and list(hm.x) == ["predicted 0", "predicted 1"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert np.array(hm.text)[1, 1].startswith(str(C[1, 1]))
    assert fig.layout.title.text == "train set"
