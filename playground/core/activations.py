"""Activations: one registry, keyed by the names the UI shows.

Each entry holds g, its derivative g' and how the UI writes both. Every function
computes in the float dtype of its input and never lets a RuntimeWarning escape: they are
written in overflow-free forms (σ via e^-|z|, softplus via logaddexp, GELU clipped where
tanh is ±1 to the last bit anyway).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray

LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0
_GELU_C = math.sqrt(2.0 / math.pi)


def _floats(z) -> Array:
    """z as a float array: activations compute in z's float dtype (float64 for integers)."""
    if type(z) is np.ndarray and z.dtype.kind == "f":  # the hot path: nothing to do
        return z
    z = np.asarray(z)
    if z.dtype.kind in "biu":
        return z.astype(np.float64)
    if z.dtype.kind != "f":
        raise ValueError(f"activations take real numbers, got dtype {z.dtype}")
    return z


def _const(z: Array, value: float) -> Array:
    """A scalar in z's dtype, so that constants never upcast float32 arrays."""
    return z.dtype.type(value)


def sigmoid(z: Array, out: Array | None = None) -> Array:
    """σ(z) = 1 / (1 + e^-z), written e^min(z, 0) / (1 + e^-|z|) so that no exp overflows:
    1 / (1 + e^-z) where z ≥ 0, e^z / (1 + e^z) where z < 0 (fmin: NaN stays NaN)."""
    z = _floats(z)
    if out is None:
        return np.exp(np.fmin(z, 0)) / (1 + np.exp(-np.abs(z)))
    # Into the stacked trainer's buffer: the same operations, one temporary instead of five
    # (at its sizes every temporary is a fresh mmap, dearer than the arithmetic).
    d = np.abs(z)
    np.exp(np.negative(d, out=d), out=d)
    d += 1
    np.exp(np.fmin(z, 0, out=out), out=out)
    return np.divide(out, d, out=out)


def _sigmoid_d(z: Array) -> Array:
    s = sigmoid(z)
    return s * (1 - s)


def _sigmoid_d_from_a(a: Array, out: Array | None = None) -> Array:
    a = _floats(a)
    d = np.subtract(1, a, out=out)
    return np.multiply(a, d, out=d if d.ndim else None)


def _tanh(z: Array, out: Array | None = None) -> Array:
    return np.tanh(_floats(z), out=out)


def _tanh_d(z: Array) -> Array:
    t = np.tanh(_floats(z))
    return 1 - t * t


def _tanh_d_from_a(a: Array, out: Array | None = None) -> Array:
    a = _floats(a)
    d = np.multiply(a, a, out=out)
    return np.subtract(1, d, out=d if d.ndim else None)  # 1 - a²


def _relu(z: Array, out: Array | None = None) -> Array:
    z = _floats(z)
    return np.maximum(z, _const(z, 0.0), out=out)


def _relu_d(z: Array, out: Array | None = None) -> Array:
    # g'(0) is taken as 0 (the subgradient at the kink; the course lets us pick).
    z = _floats(z)
    if out is None:
        return (z > 0).astype(z.dtype)
    return np.greater(z, 0, out=out)  # True and False written as 1.0 and 0.0


def _leaky_relu(z: Array, out: Array | None = None) -> Array:
    z = _floats(z)
    a = np.multiply(_const(z, LEAKY_SLOPE), z, out=np.empty_like(z) if out is None else out)
    np.copyto(a, z, where=z > 0)  # NaN stays NaN: 0.01·NaN
    return a[()] if a.ndim == 0 and out is None else a


def _leaky_relu_d(z: Array, out: Array | None = None) -> Array:
    z = _floats(z)
    d = np.full_like(z, LEAKY_SLOPE) if out is None else out
    if out is not None:
        d.fill(LEAKY_SLOPE)
    np.copyto(d, 1.0, where=z > 0)
    return d


def _linear(z: Array, out: Array | None = None) -> Array:
    z = _floats(z)
    if out is None:
        return z
    np.copyto(out, z)
    return out


def _linear_d(z: Array, out: Array | None = None) -> Array:
    d = np.ones_like(_floats(z)) if out is None else out
    d.fill(1.0)
    return d


def _elu(z: Array) -> Array:
    z = _floats(z)
    return np.where(z > 0, z, _const(z, ELU_ALPHA) * np.expm1(np.minimum(z, 0)))


def _elu_d(z: Array) -> Array:
    z = _floats(z)
    return np.where(z > 0, _const(z, 1.0), _const(z, ELU_ALPHA) * np.exp(np.minimum(z, 0)))


def _finite(z: Array) -> Array:
    """z with ±inf moved to the dtype's largest finite value, for products like z·σ(z)
    whose other factor is exactly 0 there (inf·0 would be NaN, and warn)."""
    big = np.finfo(z.dtype).max
    return np.clip(z, -big, big)


def _softplus(z: Array) -> Array:
    z = _floats(z)
    with np.errstate(invalid="ignore"):  # logaddexp warns on NaN (and returns NaN)
        return np.logaddexp(_const(z, 0.0), z)


def _silu(z: Array) -> Array:
    z = _floats(z)
    return _finite(z) * sigmoid(z)


def _silu_d(z: Array) -> Array:
    z = _floats(z)
    s = sigmoid(z)
    return s + _finite(z) * s * (1 - s)


# Beyond |z| = 20 the inner term is > 300 and tanh is ±1 to the last bit (already from
# |z| ≈ 7.3 in float64), so clipping there changes no number and z³ cannot overflow, not
# even in float16.
_GELU_CLIP = 20.0


def _gelu_inner(z: Array) -> Array:
    zc = np.clip(z, -_GELU_CLIP, _GELU_CLIP)
    return _const(z, _GELU_C) * (zc + _const(z, 0.044715) * zc * zc * zc)


def _gelu(z: Array) -> Array:
    # The tanh approximation (Hendrycks & Gimpel), the form most libraries ship.
    z = _floats(z)
    return _const(z, 0.5) * _finite(z) * (1 + np.tanh(_gelu_inner(z)))


def _gelu_d(z: Array) -> Array:
    z = _floats(z)
    t = np.tanh(_gelu_inner(z))
    zc = np.clip(z, -_GELU_CLIP, _GELU_CLIP)
    inner_d = _const(z, _GELU_C) * (1 + _const(z, 3 * 0.044715) * zc * zc)
    # zc, not z, in the second term: beyond the clip 1 - t² is exactly 0 anyway.
    return _const(z, 0.5) * (1 + t) + _const(z, 0.5) * zc * (1 - t * t) * inner_d


@dataclass(frozen=True)
class Activation:
    """An activation g with its derivative g', and how the UI writes it."""

    name: str
    label: str
    g: Callable[[Array], Array]
    dg: Callable[[Array], Array]
    latex: str
    dlatex: str
    # g'(z) written with a = g(z), where that is cheaper than recomputing from z
    # (tanh: 1 - a²): backward propagation then reuses A[l] from the forward cache.
    dg_from_a: Callable[[Array], Array] | None = None
    # Whether g' falls toward 0 somewhere (sigmoid and tanh tails, ReLU's off side, ...),
    # so that a unit can saturate. A leaky ReLU's left slope is its leak, 0.01, on the whole
    # side by design: a unit there keeps learning, slowly; it is not saturated.
    saturates: bool = True

    # Whether g and dg_from_a take out= and then write into it (scikit-learn's inplace
    # activations): the stacked trainer computes into buffers it allocated once.
    in_place: bool = False

    def __call__(self, Z: Array, out: Array | None = None) -> Array:
        """A = g(Z), element-wise (into ``out`` if given)."""
        if out is None:
            return self.g(Z)
        if self.in_place:
            return self.g(Z, out=out)
        out[...] = self.g(Z)
        return out

    def prime(self, Z: Array, A: Array, out: Array | None = None) -> Array:
        """g'(Z), from A = g(Z) where that is cheaper (tanh: 1 - A²); into ``out`` if given."""
        if out is not None and self.in_place:
            return self.dg_from_a(A, out=out)
        d = self.dg_from_a(A) if self.dg_from_a is not None else self.dg(Z)
        if out is None:
            return d
        out[...] = d
        return out


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", "sigmoid", sigmoid, _sigmoid_d,
                   r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"g'(z) = g(z)\,(1 - g(z))",
                   _sigmoid_d_from_a, in_place=True),
        Activation("tanh", "tanh", _tanh, _tanh_d,
                   r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}", r"g'(z) = 1 - g(z)^2",
                   _tanh_d_from_a, in_place=True),
        Activation("relu", "ReLU", _relu, _relu_d,
                   r"\mathrm{ReLU}(z) = \max(0, z)",
                   r"g'(z) = \begin{cases}0 & z \le 0\\ 1 & z > 0\end{cases}", _relu_d,
                   in_place=True),
        Activation("leaky_relu", "leaky ReLU", _leaky_relu, _leaky_relu_d,
                   r"\mathrm{leaky}(z) = \max(0.01z, z)",
                   r"g'(z) = \begin{cases}0.01 & z \le 0\\ 1 & z > 0\end{cases}", _leaky_relu_d,
                   saturates=False, in_place=True),
        Activation("linear", "linear", _linear, _linear_d, r"g(z) = z", r"g'(z) = 1", _linear_d,
                   saturates=False, in_place=True),
        Activation("elu", "ELU", _elu, _elu_d,
                   r"\mathrm{ELU}(z) = \begin{cases}z & z > 0\\ e^{z} - 1 & z \le 0\end{cases}",
                   r"g'(z) = \begin{cases}1 & z > 0\\ e^{z} & z \le 0\end{cases}"),
        Activation("softplus", "softplus", _softplus, sigmoid,
                   r"\mathrm{softplus}(z) = \log(1 + e^{z})", r"g'(z) = \sigma(z)"),
        Activation("silu", "SiLU (swish)", _silu, _silu_d,
                   r"\mathrm{SiLU}(z) = z\,\sigma(z)",
                   r"g'(z) = \sigma(z) + z\,\sigma(z)(1 - \sigma(z))"),
        Activation("gelu", "GELU", _gelu, _gelu_d,
                   r"\mathrm{GELU}(z) \approx \tfrac{z}{2}\left(1 + \tanh\left(\sqrt{2/\pi}"
                   r"\,(z + 0.044715 z^{3})\right)\right)",
                   r"g'(z) = \tfrac12(1 + t) + \tfrac{z}{2}(1 - t^2)\sqrt{2/\pi}"
                   r"\,(1 + 3 \cdot 0.044715 z^2)"),
    )
}
"""Every activation by name. Adding one here adds it to every page."""

OUTPUT_ACTIVATION = "sigmoid"


def get_activation(name: str) -> Activation:
    """Look an activation up by name, with a message that lists the valid names."""
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None

