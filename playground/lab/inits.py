"""The initializations the pages compare side by side: one ``InitChoice`` per option.

*Symmetry breaking* and the *Initialization scale lab* each offer a selection of these
(``playground.lab.symmetry.INIT_CHOICES``, ``playground.lab.init_lab.INIT_CHOICES``); a
key means the same initialization on every page. A choice is an ``nn.INITIALIZATIONS``
method with a scale: ``Config`` (the URL, the JSON export) stores that method and scale,
never these keys, which only name a page's options.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InitChoice:
    """One initialization a page compares: an ``nn.INITIALIZATIONS`` method and a scale."""

    key: str
    label: str  # with "{c}" where the constant goes
    method: str
    scale: float | None  # None: the method's own (or the page's c for "constant")
    formula: str  # W[l] in the course's notation

    def title(self, c: float) -> str:
        """The label with the page's constant c filled in: ``"constant c = 0.5"``."""
        return self.label.format(c=f"{c:g}")


_RANDN = "randn(n[l], n[l−1])"

INIT_CHOICES: dict[str, InitChoice] = {
    ch.key: ch
    for ch in (
        InitChoice("zeros", "zeros", "zeros", None, "W[l] = 0"),
        InitChoice("constant", "constant c = {c}", "constant", None, "W[l] = c (every entry)"),
        InitChoice("random_0.01", "random × 0.01", "random", 0.01, f"W[l] = {_RANDN} × 0.01"),
        InitChoice("random_1", "random × 1", "random", 1.0, f"W[l] = {_RANDN}"),
        InitChoice("random_10", "random × 10", "random", 10.0, f"W[l] = {_RANDN} × 10"),
        InitChoice("xavier", "Xavier", "xavier", None, f"W[l] = {_RANDN} × √(1/n[l−1])"),
        InitChoice("he", "He", "he", None, f"W[l] = {_RANDN} × √(2/n[l−1])"),
    )
}
"""Every initialization a page may compare, by key."""


def selection(*keys: str) -> dict[str, InitChoice]:
    """A page's options: the choices of ``keys``, in that order."""
    return {k: INIT_CHOICES[k] for k in keys}
