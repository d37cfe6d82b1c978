"""playground.core.text: how every page, chart and file writes a number."""

import ast
import math
from pathlib import Path

import numpy as np
import pytest

from playground.core import text

NAN, INF = float("nan"), float("inf")


def test_text_imports_the_standard_library_only():
    tree = ast.parse(Path(text.__file__).read_text(encoding="utf-8"))
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
             for a in n.names}
    names |= {n.module.split(".")[0] for n in ast.walk(tree)
              if isinstance(n, ast.ImportFrom) and n.module}
    assert names <= {"__future__", "math", "numbers"}


@pytest.mark.parametrize("v, digits, out", [
    (0.0, 4, "0"), (-0.0, 4, "0"), (0, 4, "0"),
    (0.25, 4, "0.25"), (1.0, 4, "1"), (0.5, 4, "0.5"), (0.76159, 4, "0.7616"),
    (-0.278464, 3, "−0.278"), (-1, 4, "−1"),
    (1.2e-5, 4, "1.2·10⁻⁵"), (-2.5e-7, 2, "−2.5·10⁻⁷"), (1e-10, 2, "1·10⁻¹⁰"),
    (123456.0, 3, "1.23·10⁵"), (3e6, 4, "3·10⁶"), (1e300, 4, "1·10³⁰⁰"),
    (12.0, 2, "12"), (0.0123, 2, "0.012"), (5.1e9, 2, "5.1·10⁹"),
    (NAN, 4, "not a number"), (INF, 4, "infinite"), (-INF, 4, "−infinite"),
    (np.float32(0.5), 4, "0.5"), (np.float64(-3.0), 4, "−3"), (np.int64(7), 4, "7"),
])
def test_number(v, digits, out):
    assert text.number(v, digits) == out


def test_number_default_is_four_significant_digits():
    assert text.number(math.pi) == "3.142"


@pytest.mark.parametrize("v, out", [
    (0.0, "0"), (-0.0, "0"), (0.61, "0.61"), (0.010234, "0.01023"), (1.2e-10, "1.2e-10"),
    (-5.0, "−5"), (-3.1e-5, "−3.1e-05"), (123456.0, "1.235e+05"),
    (NAN, "not a number"), (INF, "infinite"), (-INF, "−infinite"),
])
def test_spoken(v, out):
    assert text.spoken(v) == out


@pytest.mark.parametrize("J, out", [
    (0.0, "0.0000"), (0.693147, "0.6931"), (0.28701, "0.2870"), (999.99, "999.9900"),
    (1000.0, "1e+03"), (12345.6, "1.23e+04"), (-0.5, "-0.5000"),
    (NAN, "not a number"), (INF, "infinite"), (-INF, "−infinite"),
])
def test_cost(J, out):
    assert text.cost(J) == out


@pytest.mark.parametrize("v, decimals, out", [
    (0.875, 1, "87.5%"), (1.0, 1, "100.0%"), (0.0, 1, "0.0%"), (0.4975, 0, "50%"),
    (0.91, 0, "91%"), (-0.1, 1, "-10.0%"), (12.0, 0, "1200%"),
    (None, 1, "—"), (NAN, 1, "—"), (INF, 1, "—"), (-INF, 0, "—"),
])
def test_percent(v, decimals, out):
    assert text.percent(v, decimals) == out


def test_percent_default_is_one_decimal():
    assert text.percent(0.9104) == "91.0%"


@pytest.mark.parametrize("v, out", [
    (0.0, "0%"), (0.001, "<1%"), (0.0049, "<1%"), (0.005, "0%"), (0.006, "1%"),
    (0.37, "37%"), (0.995, "100%"), (0.996, ">99%"), (0.9999, ">99%"), (1.0, "100%"),
])
def test_share(v, out):
    assert text.share(v) == out


@pytest.mark.parametrize("p, out", [
    (0.5, "0.500"), (0.112, "0.112"), (0.402, "0.402"), (0.9999, "1.000"), (0.0, "0.000"),
    (0.5003, "0.500300"), (0.49997, "0.4999700"), (0.50031, "0.500310"),
    (0.5 + 1e-12, "0.50000000"), (0.5 - 1e-12, "0.50000000"), (0.5006, "0.501"),
])
def test_probability(p, out):
    assert text.probability(p) == out


@pytest.mark.parametrize("n, out", [
    (0, "0"), (7, "7"), (1200, "1,200"), (10_000_000, "10,000,000"), (-4500, "-4,500"),
    (np.int64(20_001), "20,001"), (True, "1"), (3.0, "3"),
])
def test_count(n, out):
    assert text.count(n) == out


@pytest.mark.parametrize("s, out", [
    (0.0, "0 s"), (4.4, "4 s"), (45.0, "45 s"), (89.4, "89 s"), (90.0, "2 min"),
    (150.0, "2 min"), (180.0, "3 min"), (3600.0, "60 min"),
])
def test_duration(s, out):
    assert text.duration(s) == out


@pytest.mark.parametrize("v, out", [
    (0.0, "0"), (-0.0, "0"), (1.18, "1.18"), (-0.1234, "-0.123"), (1.7349e-5, "1.73e-5"),
    (-2.5e-7, "-2.50e-7"), (12345.0, "1.23e4"), (9999.0, "1e+04"), (1e-3, "0.001"),
    (1e300, "1.00e300"), (NAN, "nan"), (INF, "inf"), (-INF, "-inf"),
])
def test_cell(v, out):
    assert text.cell(v) == out


@pytest.mark.parametrize("v, out", [
    (0, "0"), (12, "12"), (-3, "-3"), (np.int64(40), "40"), (True, "1"), (False, "0"),
    (0.01, "0.01"), (1.0, "1"), (2.0, "2"), (-0.0, "-0"), (1.5, "1.5"), (1e-05, "1e-05"),
    (0.1 + 0.2, "0.30000000000000004"), (1e16, "1e+16"), (123456789.0, "123456789"),
    (np.float32(0.1), "0.10000000149011612"), (np.float64(0.25), "0.25"),
    (NAN, "nan"), (INF, "inf"), (-INF, "-inf"),
])
def test_exact(v, out):
    assert text.exact(v) == out


@pytest.mark.parametrize("v", [0.1, 1 / 3, 1e-300, 5e-324, 1.7976931348623157e308, 2.0, -7.25,
                               123456789.0, 1e22])
def test_exact_reads_back_the_same_float(v):
    assert float(text.exact(v)) == v
