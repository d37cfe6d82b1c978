"""Pure logic of "Under the hood": the course's equations with the network's real shapes,
the gradient check and its verdict, and the source code of the core that ran.

The equations are written in ``docs/notation.md``'s notation (``Z[l] = W[l] · A[l−1] +
b[l]``), once as plain text and once as LaTeX (``Z^{[l]} = W^{[l]} A^{[l-1]} + b^{[l]}``),
each with its shapes: ``(4, 320) = (4, 2) · (2, 320) + (4, 1)``.
"""

from __future__ import annotations

import inspect
import math
import textwrap
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from playground.core import clones, nn, propagation
from playground.engine import trainer as training

Array = np.ndarray

GRADCHECK_MAX_EXAMPLES = 200
GREAT, CHECK = 1e-7, 1e-3  # the course's thresholds for the relative difference

# ---- the equations ---------------------------------------------------------------------


@dataclass(frozen=True)
class Equation:
    """One line: the equation and its shapes, in plain text and in LaTeX."""

    text: str
    shapes: str
    latex: str
    shapes_latex: str

    def line(self, width: int = 0) -> str:
        """``text`` padded to ``width``, then the shapes: one aligned line of a listing."""
        return f"{self.text.ljust(width)}   {self.shapes}".rstrip()


@dataclass(frozen=True)
class Section:
    """A titled group of equations (one layer's forward step, the cost, ...)."""

    title: str
    equations: tuple[Equation, ...]

    def text(self) -> str:
        """The section as aligned plain text, one equation per line."""
        width = max(len(e.text) for e in self.equations)
        return "\n".join(e.line(width) for e in self.equations)

    def latex(self) -> str:
        """The section as one LaTeX ``aligned`` block: equations left, shapes right."""
        rows = [rf"{_lhs_rhs(e.latex)} &&\quad {e.shapes_latex}" for e in self.equations]
        return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def join_text(sections: Sequence[Section]) -> str:
    """Several sections as one listing: a ``# title`` line above each, the shapes of every
    equation aligned in one column."""
    width = max(len(e.text) for s in sections for e in s.equations)
    blocks = [f"# {s.title}\n" + "\n".join(e.line(width) for e in s.equations)
              for s in sections]
    return "\n\n".join(blocks)


def join_latex(sections: Sequence[Section]) -> str:
    """Several sections as one ``aligned`` block, so that every ``=`` lines up; a little
    space between sections (the superscripts [l] say which layer a line belongs to)."""
    groups = [r" \\ ".join(rf"{_lhs_rhs(e.latex)} &&\quad {e.shapes_latex}"
                            for e in s.equations) for s in sections]
    return r"\begin{aligned}" + r" \\[8pt] ".join(groups) + r"\end{aligned}"


def _lhs_rhs(latex: str) -> str:
    """Align on the first ``=`` (or ``:=``); a continuation line (``+ …``) goes under the
    right-hand sides."""
    if latex.startswith((r"\quad +", "+")):
        return "&" + latex
    for sep in (":=", "="):
        if sep in latex:
            lhs, rhs = latex.split(sep, 1)
            return f"{lhs}&{sep}{rhs}"
    return "&" + latex


def _shape(*dims: int | str) -> str:
    return "(" + ", ".join(str(d) for d in dims) + ")"


def _shapes_latex(shapes: str) -> str:
    """The plain-text shapes as LaTeX: ``·`` → ``\\cdot``, ``−`` → ``-``, words as text."""
    out = (shapes.replace(" · ", r" \cdot ").replace(" * ", r" \ast ").replace("−", "-")
           .replace("ᵀ", "^T").replace("(1/m)", r"\tfrac{1}{m}"))
    out = out.replace("Σ_columns ", r"\textstyle\sum_{\text{columns}} ")
    return out.replace("scalar", r"\text{scalar}")


def _lT(l: int) -> str:
    """``A[l]ᵀ`` in LaTeX (``X^T`` for l = 0), without a double superscript."""
    return "X^T" if l == 0 else f"A^{{[{l}]T}}"


def _v(name: str, l: int | str) -> str:
    """``Z[1]`` in text; ``A[0]`` is written ``X``."""
    return "X" if (name == "A" and l == 0) else f"{name}[{l}]"


def _lv(name: str, l: int | str) -> str:
    """``Z^{[1]}`` in LaTeX; ``A^{[0]}`` is written ``X``."""
    if name == "A" and l == 0:
        return "X"
    base = {"dZ": "dZ", "dW": "dW", "db": "db", "dA": "dA"}.get(name, name)
    return f"{base}^{{[{l}]}}"


# How each activation is written: in text, in LaTeX, and g'(Z[l]) in both (using A[l]
# where the derivative is cheaper that way, as backward propagation does).
_G_TEXT = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU",
           "linear": "", "elu": "ELU", "softplus": "softplus", "silu": "SiLU", "gelu": "GELU"}
_G_LATEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}",
            "leaky_relu": r"\mathrm{leaky\,ReLU}", "linear": "", "elu": r"\mathrm{ELU}",
            "softplus": r"\mathrm{softplus}", "silu": r"\mathrm{SiLU}", "gelu": r"\mathrm{GELU}"}


ACTIVATION_TEXT = {name: a.label for name, a in nn.ACTIVATIONS.items()}


def _dg_text(name: str, l: int) -> tuple[str, str]:
    A, Z = _v("A", l), _v("Z", l)
    lA, lZ = _lv("A", l), _lv("Z", l)
    forms = {
        "sigmoid": (f"{A} * (1 − {A})", rf"{lA} \ast (1 - {lA})"),
        "tanh": (f"1 − {A}²", rf"1 - ({lA})^2"),
        "relu": (f"1 where {Z} > 0, else 0", rf"\mathbb{{1}}[{lZ} > 0]"),
        "leaky_relu": (f"1 where {Z} > 0, else 0.01", rf"1 \text{{ if }} {lZ} > 0 "
                                                       r"\text{ else } 0.01"),
        "linear": ("1", "1"),
    }
    if name in forms:
        return forms[name]
    return (f"{_G_TEXT.get(name, name)}′({Z})",
            rf"{_G_LATEX.get(name, name)}'({lZ})")


def _activation_eq(l: int, name: str, n: int, m: int, output: bool) -> Equation:
    Z, A = _v("Z", l), _v("A", l)
    lZ, lA = _lv("Z", l), _lv("A", l)
    if name == "linear":
        text, latex = f"{A} = {Z}   (linear: g(z) = z)", rf"{lA} = {lZ} \quad (\text{{linear}})"
    else:
        text = f"{A} = {_G_TEXT.get(name, name)}({Z})"
        latex = rf"{lA} = {_G_LATEX.get(name, name)}({lZ})"
    if output:
        text, latex = f"Ŷ = {text}", rf"\hat{{Y}} = {latex}"
    shapes = f"{_shape(n, m)}"
    return Equation(text, shapes, latex, _shapes_latex(shapes))


def forward_sections(layer_dims: Sequence[int], activations: Sequence[str],
                     m: int) -> list[Section]:
    """``Z[l] = W[l] · A[l−1] + b[l]`` and ``A[l] = g[l](Z[l])`` for l = 1..L."""
    L = len(layer_dims) - 1
    out = []
    for l in range(1, L + 1):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        shapes = f"{_shape(n, m)} = {_shape(n, n_prev)} · {_shape(n_prev, m)} + {_shape(n, 1)}"
        z = Equation(
            f"{_v('Z', l)} = {_v('W', l)} · {_v('A', l - 1)} + {_v('b', l)}", shapes,
            rf"{_lv('Z', l)} = {_lv('W', l)} {_lv('A', l - 1)} + {_lv('b', l)}",
            _shapes_latex(shapes))
        a = _activation_eq(l, activations[l - 1], n, m, output=l == L)
        title = f"Layer {l}" + (" (output)" if l == L else "")
        out.append(Section(title, (z, a)))
    return out


def cost_section(m: int, L: int, regularization: str = "none", lambd: float = 0.0) -> Section:
    """J, binary cross-entropy, plus the regularization term the trainer adds."""
    text = f"J = −(1/m) Σ [Y · log A[{L}] + (1 − Y) · log(1 − A[{L}])]"
    latex = (rf"J = -\tfrac{{1}}{{m}} \sum \left[ Y \log A^{{[{L}]}} + (1 - Y) "
             rf"\log(1 - A^{{[{L}]}}) \right]")
    shapes = f"scalar; Y, A[{L}]: {_shape(1, m)}"
    eqs = [Equation(text, shapes, latex,
                    rf"\text{{scalar; }} Y, A^{{[{L}]}}\!: {_shape(1, m)}")]
    if regularization == "L2" and lambd:
        eqs.append(Equation(f"    + (λ/2m) Σ_l ||W[l]||²   (L2, λ = {lambd:g})", "scalar",
                            rf"\quad + \tfrac{{\lambda}}{{2m}} \textstyle\sum_l "
                            rf"\lVert W^{{[l]}} \rVert_F^2 "
                            rf"\quad (\text{{L2}}, \lambda = {lambd:g})",
                            r"\text{scalar}"))
    elif regularization == "L1" and lambd:
        eqs.append(Equation(f"    + (λ/m) Σ_l Σ |W[l]|   (L1, λ = {lambd:g})", "scalar",
                            rf"\quad + \tfrac{{\lambda}}{{m}} \textstyle\sum_l \sum "
                            rf"|W^{{[l]}}| \quad (\text{{L1}}, \lambda = {lambd:g})",
                            r"\text{scalar}"))
    return Section("Cost", tuple(eqs))


def backward_sections(layer_dims: Sequence[int], activations: Sequence[str], m: int,
                      regularization: str = "none", lambd: float = 0.0) -> list[Section]:
    """From ``dZ[L] = A[L] − Y`` down to ``dW[1], db[1]``, one section per layer."""
    L = len(layer_dims) - 1
    out = []
    for l in range(L, 0, -1):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        eqs = []
        if l == L:
            shapes = f"{_shape(1, m)} = {_shape(1, m)} − {_shape(1, m)}"
            eqs.append(Equation(f"dZ[{L}] = A[{L}] − Y", shapes,
                                rf"dZ^{{[{L}]}} = A^{{[{L}]}} - Y", _shapes_latex(shapes)))
        shapes = f"{_shape(n, n_prev)} = {_shape(n, m)} · {_shape(m, n_prev)}"
        text = f"dW[{l}] = (1/m) dZ[{l}] · {_v('A', l - 1)}ᵀ"
        latex = rf"dW^{{[{l}]}} = \tfrac{{1}}{{m}}\, dZ^{{[{l}]}} {_lT(l - 1)}"
        if regularization in ("L2", "L1") and lambd:
            term = f"W[{l}]" if regularization == "L2" else f"sign(W[{l}])"
            lterm = (rf"W^{{[{l}]}}" if regularization == "L2"
                     else rf"\operatorname{{sign}}(W^{{[{l}]}})")
            text += f" + (λ/m) {term}"
            latex += rf" + \tfrac{{\lambda}}{{m}} {lterm}"
            shapes += f" + {_shape(n, n_prev)}"
        eqs.append(Equation(text, shapes, latex, _shapes_latex(shapes)))
        shapes = f"{_shape(n, 1)} = Σ_columns {_shape(n, m)}"
        eqs.append(Equation(f"db[{l}] = (1/m) Σ_columns dZ[{l}]", shapes,
                            rf"db^{{[{l}]}} = \tfrac{{1}}{{m}} \textstyle\sum_{{i=1}}^{{m}} "
                            rf"dZ^{{[{l}](i)}}", _shapes_latex(shapes)))
        if l > 1:
            shapes = f"{_shape(n_prev, m)} = {_shape(n_prev, n)} · {_shape(n, m)}"
            eqs.append(Equation(f"dA[{l - 1}] = W[{l}]ᵀ · dZ[{l}]", shapes,
                                rf"dA^{{[{l - 1}]}} = W^{{[{l}]T}} dZ^{{[{l}]}}",
                                _shapes_latex(shapes)))
            g = activations[l - 2]
            dg_text, dg_latex = _dg_text(g, l - 1)
            shapes = f"{_shape(n_prev, m)} = {_shape(n_prev, m)} * {_shape(n_prev, m)}"
            eqs.append(Equation(
                f"dZ[{l - 1}] = dA[{l - 1}] * g′[{l - 1}](Z[{l - 1}])", shapes,
                rf"dZ^{{[{l - 1}]}} = dA^{{[{l - 1}]}} \ast g'^{{[{l - 1}]}}(Z^{{[{l - 1}]}})",
                _shapes_latex(shapes)))
            label = ACTIVATION_TEXT.get(g, g)
            eqs.append(Equation(
                f"g′[{l - 1}](Z[{l - 1}]) = {dg_text}   ({label})", _shape(n_prev, m),
                rf"g'^{{[{l - 1}]}}(Z^{{[{l - 1}]}}) = {dg_latex} \quad "
                rf"(\text{{{label}}})", _shape(n_prev, m)))
        out.append(Section(f"Layer {l}", tuple(eqs)))
    return out


def update_section(layer_dims: Sequence[int], alpha: float) -> Section:
    """``W[l] := W[l] − α · dW[l]`` and ``b[l] := b[l] − α · db[l]`` for every layer."""
    L = len(layer_dims) - 1
    eqs = []
    for l in range(1, L + 1):
        n, n_prev = layer_dims[l], layer_dims[l - 1]
        for p, shape in (("W", _shape(n, n_prev)), ("b", _shape(n, 1))):
            eqs.append(Equation(f"{p}[{l}] := {p}[{l}] − α · d{p}[{l}]", shape,
                                rf"{p}^{{[{l}]}} := {p}^{{[{l}]}} - \alpha\, d{p}^{{[{l}]}}",
                                shape))
    return Section(f"Update (α = {alpha:g})", tuple(eqs))


# ---- numbers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerNumbers:
    """Per layer: the shapes and the current norms of W[l], dW[l] and db[l]."""

    l: int
    activation: str
    W_shape: tuple[int, int]
    W_norm: float
    dW_norm: float
    db_norm: float


def layer_numbers(parameters: Mapping[str, Array], grads: Mapping[str, Array],
                  activations: Sequence[str]) -> list[LayerNumbers]:
    """``||W[l]||``, ``||dW[l]||``, ``||db[l]||`` (Frobenius norms) for l = 1..L."""
    L = nn.num_layers(parameters)
    rows = []
    with np.errstate(all="ignore"):
        for l in range(1, L + 1):
            rows.append(LayerNumbers(
                l, activations[l - 1], tuple(parameters[f"W{l}"].shape),
                float(np.linalg.norm(parameters[f"W{l}"].astype(np.float64))),
                float(np.linalg.norm(grads[f"dW{l}"].astype(np.float64))),
                float(np.linalg.norm(grads[f"db{l}"].astype(np.float64)))))
    return rows


# ---- the gradient check -------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    level: str  # "great", "check", "bug"; or "kink" / "resolution": the check cannot judge
    message: str


def verdict(diff: float, floor: float = 0.0, near_kinks: int = 0) -> Verdict:
    """The course's reading of the relative difference of a gradient check.

    ``floor`` is the relative difference that round-off alone produces (see
    ``roundoff_floor``); ``near_kinks`` counts ReLU-type values of Z[l] close enough to
    z = 0 for θ ± ε to cross the kink (see ``near_kinks``). Either explains a difference
    above 1e-7 without a bug.
    """
    if not np.isfinite(diff):
        return Verdict("bug", "The difference is not a number: the cost overflowed at these "
                              "parameters (a diverged network?).")
    if diff < GREAT:
        return Verdict("great", "Great: below 1e-7, backpropagation computes the same "
                                "gradient as the finite differences.")
    if near_kinks:
        return Verdict("kink", f"{near_kinks:,} values of Z[l] in ReLU-type layers sit so "
                               "close to the kink z = 0 that θ ± ε crosses it, where g′ jumps "
                               "from one value to the other: there the finite differences "
                               "are not the derivative, and the difference says nothing "
                               "about backpropagation. (Tiny ×0.01 weights put many values "
                               "there; He initialization does not.)")
    if floor >= diff / 10:
        return Verdict("resolution", "The gradients are so small that round-off in "
                                     "J(θ ± ε) is about as large as the differences "
                                     "themselves: at these parameters the check cannot "
                                     "judge. Try a larger ε, or train a little first.")
    if diff <= CHECK:
        return Verdict("check", "Between 1e-7 and 1e-3: worth a closer look. A ReLU unit "
                                "sitting right at its kink (z ≈ 0), or ŷ saturated at 0 or 1, "
                                "can cause it without a bug.")
    return Verdict("bug", "Above 1e-3: almost surely a bug in backpropagation (or a ReLU "
                          "kink crossed by θ ± ε).")


def roundoff_floor(J: float, grad_norm: float, n_parameters: int, epsilon: float) -> float:
    """The relative difference round-off alone gives: each ``(J(θ+ε) − J(θ−ε)) / 2ε`` is off
    by about ``u·|J| / ε`` (u = 2.2e-16, float64's resolution), so over P components
    ``||grad − gradapprox|| ≈ √P · u·|J| / ε``, divided by ``2·||grad||``."""
    if grad_norm <= 0:
        return float("inf")
    u = float(np.finfo(np.float64).eps)
    return math.sqrt(n_parameters) * u * abs(J) / epsilon / (2 * grad_norm)


KINKED = ("relu", "leaky_relu")


def near_kinks(caches: Sequence[nn.LayerCache], activations: Sequence[str],
               epsilon: float) -> int:
    """How many values of Z[l] in ReLU-type layers lie within reach of θ ± ε of the kink:
    ``|z| < 10·ε·max(1, max|A[l-1]|)`` (moving one weight by ε moves z by ε·a)."""
    count = 0
    for c, name in zip(caches, activations, strict=False):
        if name in KINKED:
            reach = 10 * epsilon * max(1.0, float(np.max(np.abs(c.A_prev), initial=0.0)))
            count += int(np.sum(np.abs(c.Z) < reach))
    return count


@dataclass(frozen=True)
class GradCheck:
    diff: float
    epsilon: float
    m_used: int
    m_total: int
    n_parameters: int
    grad_norm: float  # ||grad||, every dW[l] and db[l] in one vector
    J: float
    floor: float
    kinks: int
    seconds: float
    verdict: Verdict


def gradcheck_subset(X: Array, Y: Array,
                     max_examples: int = GRADCHECK_MAX_EXAMPLES) -> tuple[Array, Array]:
    """The first ``max_examples`` columns of X and Y (the training columns are already in a
    random order), as float64."""
    return X[:, :max_examples].astype(np.float64), Y[:, :max_examples].astype(np.float64)


def run_gradient_check(X: Array, Y: Array, parameters: Mapping[str, Array],
                       activations: Sequence[str], *, regularization: str = "none",
                       lambd: float = 0.0, epsilon: float = 1e-7,
                       max_examples: int = GRADCHECK_MAX_EXAMPLES) -> GradCheck:
    """``nn.gradient_check`` on float64 copies of the parameters, on at most
    ``max_examples`` training examples, with the regularization passed through."""
    Xs, Ys = gradcheck_subset(X, Y, max_examples)
    p64 = {k: np.asarray(v, dtype=np.float64).copy() for k, v in parameters.items()}
    acts = list(activations)
    L = nn.num_layers(p64)
    t0 = time.perf_counter()
    diff = nn.gradient_check(Xs, Ys, p64, acts, epsilon,
                             regularization=regularization, lambd=lambd)
    seconds = time.perf_counter() - t0
    AL, caches = nn.forward_propagation(Xs, p64, acts)
    J = nn.cost_from_logits(caches[-1].Z, Ys) + nn.regularization_cost(
        p64, Xs.shape[1], regularization, lambd)  # the J the check differentiates
    grads = nn.backward_propagation(AL, Ys, caches, acts, regularization=regularization,
                                    lambd=lambd)
    with np.errstate(all="ignore"):
        g = math.sqrt(sum(float(np.sum(grads[f"d{p}{l}"] ** 2))
                          for l in range(1, L + 1) for p in ("W", "b")))
    P = sum(v.size for v in p64.values())
    floor = roundoff_floor(J, g, P, epsilon)
    kinks = near_kinks(caches, acts, epsilon)
    return GradCheck(diff, epsilon, Xs.shape[1], X.shape[1], P, g, J, floor, kinks, seconds,
                     verdict(diff, floor, kinks))


# ---- the code that ran ---------------------------------------------------------------------


def source_of(fn: Callable) -> str:
    """The source of a function, dedented; NumPy's compiled functions get one line."""
    try:
        return textwrap.dedent(inspect.getsource(fn)).strip()
    except (OSError, TypeError):
        name = getattr(fn, "__name__", repr(fn))
        mod = getattr(fn, "__module__", None) or "numpy"
        return f"# {mod}.{name}: NumPy's own compiled function (no Python source)"


def _lambda_source(fn: Callable) -> str:
    """A lambda's source is the line it sits on; keep from ``lambda`` to its end."""
    src = source_of(fn)
    i = src.find("lambda")
    return src[i:].rstrip(",)").strip() if i >= 0 else src


def activation_source(name: str) -> str:
    """g, g' and (where backprop uses it) g' written with a = g(z), for one activation."""
    act = nn.get_activation(name)
    parts = [f"# g = {act.label}", source_of(act.g), "", "# g'", source_of(act.dg)]
    if act.dg_from_a is not None and act.dg_from_a is not act.dg:
        dga = act.dg_from_a
        src = _lambda_source(dga) if dga.__name__ == "<lambda>" else source_of(dga)
        parts += ["", "# g' from a = g(z), what backward propagation uses", src]
    return "\n".join(parts)


CORE_FUNCTIONS: tuple[tuple[str, tuple[Callable, ...]], ...] = (
    ("Forward propagation", (propagation.forward_propagation,)),
    ("Cost", (propagation.compute_cost, propagation.regularization_cost)),
    ("Backward propagation", (propagation.backward_propagation,)),
    ("Update", (propagation.update_parameters,)),
    ("The training loop (what Step and Play run)", (training.Trainer.training_loop(),)),
    ("Gradient check", (propagation.gradient_check,)),
    ("The matrix product (keeps clone units exact)",
     (clones.dot, clones.one_of_each, clones.equal_rows)),
)
"""The functions ``Trainer.step`` and the gradient check run, as they run them: the
public ``playground.core.nn`` functions only check arguments before calling these."""


def core_sources(activations: Sequence[str]) -> list[tuple[str, str]]:
    """``(title, source)`` of every core function that ran, then one entry per distinct
    activation used (output sigmoid included)."""
    out = [(title, "\n\n\n".join(source_of(f) for f in fns)) for title, fns in CORE_FUNCTIONS]
    for name in dict.fromkeys(activations):
        out.append((f"Activation: {nn.get_activation(name).label}", activation_source(name)))
    return out
