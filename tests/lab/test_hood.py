"""Under the hood's logic: equations with shapes, the gradient check, the sources."""

import re

import numpy as np
import pytest

from playground.core import nn, propagation
from playground.engine.trainer import trainer_from_config
from playground.lab import hood
from playground.lab.config import Config
from playground.lab.lessons import lesson_data

DIMS = [2, 4, 1]
ACTS = ["tanh", "sigmoid"]


def all_text(sections):
    return "\n".join(s.text() for s in sections)


def shapes_of(sections):
    """{equation text: its shapes} over the sections."""
    return {e.text: e.shapes for s in sections for e in s.equations}


def test_forward_shapes_default_network():
    s = hood.forward_sections(DIMS, ACTS, 320)
    assert [x.title for x in s] == ["Layer 1", "Layer 2 (output)"]
    z1, a1 = s[0].equations
    assert z1.text == "Z[1] = W[1] · X + b[1]"
    assert z1.shapes == "(4, 320) = (4, 2) · (2, 320) + (4, 1)"
    assert a1.text == "A[1] = tanh(Z[1])" and a1.shapes == "(4, 320)"
    z2, a2 = s[1].equations
    assert z2.shapes == "(1, 320) = (1, 4) · (4, 320) + (1, 1)"
    assert a2.text == "Ŷ = A[2] = σ(Z[2])"


def test_backward_shapes_deep_network():
    dims, acts = [4, 8, 3, 1], ["relu", "leaky_relu", "sigmoid"]
    sections = hood.backward_sections(dims, acts, 50)
    assert [s.title for s in sections] == ["Layer 3", "Layer 2", "Layer 1"]
    sh = shapes_of(sections)
    assert sh["dZ[3] = A[3] − Y"] == "(1, 50) = (1, 50) − (1, 50)"
    assert sh["dW[3] = (1/m) dZ[3] · A[2]ᵀ"] == "(1, 3) = (1, 50) · (50, 3)"
    assert sh["dA[2] = W[3]ᵀ · dZ[3]"] == "(3, 50) = (3, 1) · (1, 50)"
    assert sh["dZ[2] = dA[2] * g′[2](Z[2])"] == "(3, 50) = (3, 50) * (3, 50)"
    assert sh["g′[2](Z[2]) = 1 where Z[2] > 0, else 0.01   (leaky ReLU)"] == "(3, 50)"
    assert "g′[1](Z[1]) = 1 where Z[1] > 0, else 0   (ReLU)" in sh
    assert sh["dW[1] = (1/m) dZ[1] · Xᵀ"] == "(8, 4) = (8, 50) · (50, 4)"
    assert sh["db[1] = (1/m) Σ_columns dZ[1]"] == "(8, 1) = Σ_columns (8, 50)"
    assert "dA[0]" not in all_text(sections)  # nothing below layer 1 needs it


def test_backward_derivatives_per_activation():
    text = all_text(hood.backward_sections([2, 3, 3, 1], ["sigmoid", "tanh", "sigmoid"], 10))
    assert "g′[1](Z[1]) = A[1] * (1 − A[1])   (sigmoid)" in text
    assert "g′[2](Z[2]) = 1 − A[2]²   (tanh)" in text
    lin = all_text(hood.backward_sections([2, 3, 1], ["linear", "sigmoid"], 10))
    assert "g′[1](Z[1]) = 1   (linear)" in lin


def test_regularization_terms():
    cost = hood.cost_section(10, 2, "L2", 0.7).text()
    assert "(λ/2m) Σ_l ||W[l]||²" in cost and "0.7" in cost
    back = all_text(hood.backward_sections(DIMS, ACTS, 10, "L2", 0.7))
    assert "dW[2] = (1/m) dZ[2] · A[1]ᵀ + (λ/m) W[2]" in back
    back1 = all_text(hood.backward_sections(DIMS, ACTS, 10, "L1", 0.7))
    assert "+ (λ/m) sign(W[1])" in back1
    assert "λ" not in hood.cost_section(10, 2).text()


def test_update_section():
    s = hood.update_section(DIMS, 1.2)
    assert s.title == "Update (α = 1.2)"
    assert s.equations[0].text == "W[1] := W[1] − α · dW[1]" and s.equations[0].shapes == "(4, 2)"
    assert len(s.equations) == 4


def test_text_is_aligned():
    section = hood.forward_sections(DIMS, ACTS, 320)[0]
    lines = section.text().splitlines()
    starts = {line.rindex(e.shapes) for line, e in zip(lines, section.equations, strict=True)}
    assert len(starts) == 1


def test_joined_listing_and_block():
    sections = hood.forward_sections([2, 8, 8, 1], ["tanh", "tanh", "sigmoid"], 50)
    text = hood.join_text(sections)
    assert text.startswith("# Layer 1\n") and "\n\n# Layer 3 (output)\n" in text
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    eqs = [e for s in sections for e in s.equations]
    assert len({ln.rindex(e.shapes) for ln, e in zip(lines, eqs, strict=True)}) == 1
    tex = hood.join_latex(sections)
    assert tex.startswith(r"\begin{aligned}") and tex.count(r"\\[8pt]") == 2


def test_continuation_line_aligns_under_the_right_hand_side():
    tex = hood.cost_section(10, 2, "L2", 0.5).latex()
    assert r"\\ &\quad + \tfrac{\lambda}{2m}" in tex and r"\lambda = 0.5)" in tex


def test_latex_is_well_formed():
    sections = (hood.forward_sections([2, 3, 3, 1], ["relu", "tanh", "sigmoid"], 9)
                + [hood.cost_section(9, 3, "L2", 0.1)]
                + hood.backward_sections([2, 3, 3, 1], ["relu", "tanh", "sigmoid"], 9, "L1", 1)
                + [hood.update_section([2, 3, 3, 1], 0.1)])
    for s in sections:
        tex = s.latex()
        assert tex.count("{") == tex.count("}"), tex
        assert not re.search(r"\^\{[^{}]*\}\^", tex), tex  # no double superscript A^{[1]}^T
        assert "·" not in tex and "−" not in tex and "ᵀ" not in tex, tex


@pytest.fixture(scope="module")
def default_trainer():
    cfg = Config()
    return trainer_from_config(cfg, *lesson_data(cfg), dtype=np.float32)


def test_gradient_check_default_network_is_great(default_trainer):
    t = default_trainer
    r = hood.run_gradient_check(t.X_train, t.Y_train, t.parameters, t.activations)
    assert r.diff < 1e-7 and r.verdict.level == "great"
    assert r.m_used == 200 and r.m_total == t.m and r.n_parameters == 17
    assert t.parameters["W1"].dtype == np.float32  # the trainer's copy is untouched


def test_gradient_check_catches_a_bug(default_trainer, monkeypatch):
    real = propagation.backward_propagation

    def buggy(*args, **kwargs):
        grads = real(*args, **kwargs)
        grads["dW1"] = grads["dW1"] * 2  # a missing 1/2 somewhere
        return grads

    monkeypatch.setattr(propagation, "backward_propagation", buggy)
    t = default_trainer
    r = hood.run_gradient_check(t.X_train, t.Y_train, t.parameters, t.activations)
    assert r.diff > 1e-3 and r.verdict.level == "bug"


def test_gradient_check_passes_regularization(monkeypatch):
    cfg = Config(regularization="L2", lambd=5.0)
    t = trainer_from_config(cfg, *lesson_data(cfg))
    t.step(50)
    seen = {}
    real = nn.gradient_check

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(nn, "gradient_check", spy)
    r = hood.run_gradient_check(t.X_train, t.Y_train, t.parameters, t.activations,
                                regularization="L2", lambd=5.0)
    assert seen == {"regularization": "L2", "lambd": 5.0}
    assert r.verdict.level == "great"
    assert r.J > nn.compute_cost(nn.forward_propagation(
        r_X := t.X_train[:, :200], t.parameters, t.activations)[0], t.Y_train[:, :200])
    assert r_X.shape[1] == r.m_used


def test_kinks_explain_deep_tiny_relu():
    cfg = Config(hidden=(16, 16, 16), activations=("relu",) * 3)
    t = trainer_from_config(cfg, *lesson_data(cfg))
    r = hood.run_gradient_check(t.X_train, t.Y_train, t.parameters, t.activations)
    assert r.kinks > 0 and r.verdict.level == "kink"


@pytest.mark.parametrize("diff, level", [(1e-9, "great"), (5e-5, "check"), (0.2, "bug"),
                                         (float("nan"), "bug")])
def test_verdict_thresholds(diff, level):
    assert hood.verdict(diff).level == level


def test_verdict_resolution_and_kink():
    assert hood.verdict(1e-6, floor=1e-6).level == "resolution"
    assert hood.verdict(1e-2, near_kinks=3).level == "kink"
    assert hood.verdict(1e-8, near_kinks=3).level == "great"


def test_roundoff_floor():
    f = hood.roundoff_floor(J=0.7, grad_norm=1e-3, n_parameters=100, epsilon=1e-7)
    assert f == pytest.approx(10 * 2.22e-16 * 0.7 / 1e-7 / 2e-3, rel=0.01)
    assert hood.roundoff_floor(0.7, 0.0, 10, 1e-7) == float("inf")


def test_layer_numbers(default_trainer):
    t = default_trainer
    grads = t.gradients()
    rows = hood.layer_numbers(t.parameters, grads, t.activations)
    assert [r.W_shape for r in rows] == [(4, 2), (1, 4)]
    assert rows[0].dW_norm == pytest.approx(float(np.linalg.norm(grads["dW1"])), rel=1e-5)
    assert rows[1].activation == "sigmoid"


def test_core_sources():
    src = dict(hood.core_sources(["tanh", "relu", "sigmoid"]))
    # The functions that ran, with their layer loops, not wrappers around them.
    forward, backward = src["Forward propagation"], src["Backward propagation"]
    assert forward.startswith("def forward_propagation(")
    assert "for l in range(1, len(activations) + 1):" in forward
    assert "Z = dot(W, A_prev) + b" in forward and "A = g(Z)" in forward
    assert backward.startswith("def backward_propagation(")
    assert "for l in range(L, 0, -1):" in backward
    for line in ("dZ = AL - Y", "dW = (1 / m) * dot(dZ, A_prev.mT, clone_columns=True)",
                 "(1 / m) * dZ.sum(axis=-1, keepdims=True)", "dA_prev = dot(W.mT, dZ)",
                 "dZ = dA_prev * g.prime(prev.Z, prev.A)"):
        assert line in backward, line
    assert "def gradient_check(" in src["Gradient check"]
    assert "def _loop(" in src["The training loop (what Step and Play run)"]
    assert "def compute_cost(" in src["Cost"] and "def regularization_cost(" in src["Cost"]
    assert "def update_parameters(" in src["Update"]
    assert "def dot(" in src["The matrix product (keeps clone units exact)"]
    # What Trainer.step runs is what is shown.
    from playground.engine import trainer as training

    loop = src["The training loop (what Step and Play run)"]
    assert training.forward_propagation is propagation.forward_propagation
    assert training.backward_propagation is propagation.backward_propagation
    assert training.update_parameters is propagation.update_parameters
    assert "forward_propagation(X, params, acts)" in loop
    assert "backward_propagation(AL, Y, caches, acts, reg, lambd)" in loop
    assert "update_parameters(params, grads, float(alpha))" in loop
    for name in ("tanh", "relu", "sigmoid"):
        act = nn.ACTIVATIONS[name]
        body = src[f"Activation: {act.label}"]
        assert body.startswith(f"# g = {act.label}")
        assert hood.source_of(act.g) in body and hood.source_of(act.dg) in body
    assert "NumPy's own compiled function" in hood.source_of(np.tanh)
    assert len([k for k in src if k.startswith("Activation")]) == 3


def test_lambda_source_is_trimmed():
    square = lambda a: a * a  # noqa: E731
    assert hood._lambda_source(square) == "lambda a: a * a  # noqa: E731"
