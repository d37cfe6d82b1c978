"""AppTest tests of the Playground's Network tab (distinct units) and "Your points" tab
(issue 13, items 3 and 6)."""

from __future__ import annotations

import re

import apptest
from streamlit.testing.v1 import AppTest

PAGE = "pages/playground.py"


def _button(at: AppTest, pattern: str):
    for b in at.button:
        if re.fullmatch(pattern, b.label):
            return b
    raise AssertionError(f"no button {pattern!r}: {[b.label for b in at.button]}")


def _distinct_line(at: AppTest) -> str:
    lines = [m.value for m in at.markdown if m.value.startswith("**Distinct units")]
    assert len(lines) == 1, [m.value for m in at.markdown]
    return lines[0]


# ---- Network tab: distinct units, counted from the weights --------------------------------


def test_network_tab_counts_clones_of_a_constant_initialization():
    """The lesson "Identical weights stay clones" points at this count."""
    at = apptest.open_page(PAGE, query={"init": "constant", "init_scale": "0.5"})
    assert _distinct_line(at) == ("**Distinct units at iteration 0**: layer 1: 4 units, "
                                  "1 distinct (all clones: the layer acts as one unit).")
    _button(at, r"Step ×10").click().run()
    assert "iteration 10**: layer 1: 4 units, 1 distinct (all clones" in _distinct_line(at)


def test_network_tab_counts_distinct_units_of_a_random_network_per_layer():
    at = apptest.open_page(PAGE, query={"hidden": "4,3", "activations": "tanh,relu"})
    assert _distinct_line(at).endswith(
        "layer 1: 4 units, 4 distinct; layer 2: 3 units, 3 distinct.")


def test_editing_one_weight_of_a_clone_splits_it_off():
    """The count follows the weights, not the initialization's name."""
    at = apptest.open_page(PAGE, query={"init": "constant", "init_scale": "0.5"})
    at.number_input(key="edit_W[1]1,1_0").set_value(2.0)
    _button(at, "Apply").click().run()
    assert "layer 1: 4 units, 2 distinct (clones: the layer acts as 2 units)" in \
        _distinct_line(at)


def test_logistic_regression_has_no_distinct_units_line():
    at = apptest.open_page(PAGE, query={"hidden": ""})
    assert "`2 → 1`" in " ".join(m.value for m in at.sidebar.markdown)
    assert not [m for m in at.markdown if m.value.startswith("**Distinct units")]
