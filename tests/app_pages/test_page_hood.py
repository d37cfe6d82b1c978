"""Under the hood, run through the app with Streamlit's AppTest."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGE = "app_pages/under_the_hood.py"


def open_hood(**query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def at():
    return open_hood()


def latex_text(at) -> str:
    return "\n".join(el.value for el in at.latex)


def test_equations_with_shapes(at):
    assert at.title[0].value == "Under the hood"
    tex = latex_text(at)
    assert r"Z^{[1]} &= W^{[1]} X + b^{[1]}" in tex
    assert r"(4, 320) = (4, 2) \cdot (2, 320) + (4, 1)" in tex
    assert r"dZ^{[2]} &= A^{[2]} - Y" in tex
    assert r"dW^{[1]} &= \tfrac{1}{m}\, dZ^{[1]} X^T" in tex
    assert r"dA^{[1]} &= W^{[2]T} dZ^{[2]}" in tex


def test_plain_text_toggle(at):
    at.toggle(key="hood_plain").set_value(True).run()
    assert not at.exception
    code = "\n".join(c.value for c in at.code)
    assert re.search(r"Z\[1\] = W\[1\] · X \+ b\[1\] +\(4, 320\) = \(4, 2\) · \(2, 320\) "
                     r"\+ \(4, 1\)", code)
    assert "g′[1](Z[1]) = 1 − A[1]²   (tanh)" in code
    assert "# Layer 2 (output)" in code
    at.toggle(key="hood_plain").set_value(False).run()


def test_numbers_and_norms(at):
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Iteration"] == "0" and metrics["Cost J"].startswith("0.693")
    table = at.table[0].value
    assert list(table["layer l"]) == [1, 2]
    assert list(table["W[l] shape"]) == ["(4, 2)", "(1, 4)"]
    assert all(float(v) > 0 for v in table["‖dW[l]‖"])


def test_gradient_check_is_great(at):
    at.button(key="hood_gradcheck").click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["Relative difference"]) < 1e-7
    assert at.success and at.success[0].value.startswith("Great")
    assert any("first 200 of the 320 training examples" in m.value for m in at.markdown)


def test_sources_in_expanders(at):
    labels = [e.label for e in at.expander]
    for title in ("Forward propagation", "Backward propagation", "Update", "Cost",
                  "Gradient check", "Activation: tanh", "Activation: sigmoid"):
        assert title in labels
    code = "\n".join(c.value for c in at.code)
    assert "def forward_propagation(" in code and "def backward_propagation(" in code
    assert "for l in range(1, len(activations) + 1):" in code  # the layer loops
    assert "for l in range(L, 0, -1):" in code
    assert "def gradient_check(" in code


def test_follows_the_playgrounds_network():
    """A deeper ReLU network with L2 from the URL: its shapes and λ show up."""
    at = open_hood(hidden="8,3", activations="relu", regularization="L2", lambd="0.5")
    tex = latex_text(at)
    assert r"(8, 320) = (8, 2) \cdot (2, 320) + (8, 1)" in tex
    assert r"(3, 320) = (3, 8) \cdot (8, 320) + (3, 1)" in tex
    assert r"\mathrm{ReLU}" in tex and r"\lambda = 0.5" in tex
    labels = [e.label for e in at.expander]
    assert "Activation: ReLU" in labels
    assert len(at.table[0].value) == 3


def test_uses_the_playgrounds_trainer():
    """After training on the Playground, this page shows that trainer's iteration."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("app_pages/playground.py").run()
    assert not at.exception
    at.session_state["trainer"].step(25)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Iteration"] == "25"


def test_mini_batches_use_the_batch_size_for_m():
    at = open_hood(batch_size="64")
    assert r"(4, 64) = (4, 2) \cdot (2, 64) + (4, 1)" in latex_text(at)
    assert any("mini-batches of 64" in i.value for i in at.info)
