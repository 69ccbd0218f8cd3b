"""Look inside a network: per-layer activation statistics and gradient sizes (notebooks 07 and 10).

A training curve says *that* something is wrong; these numbers say *where*. For one
forward and backward pass on a batch, each hidden layer reports:

* the spread of its activations (std) and the share of units that are saturated
  (sigmoid/tanh output within 1 % of its limits, where the slope is almost 0) or
  dead (ReLU: never active on the whole batch, so it passes no gradient back);
* the size of its weight gradient as a per-entry RMS, sqrt(mean(dW**2)): layers
  of different shapes (2x32, 32x32, 32x3) are compared fairly, unlike a
  Frobenius norm that grows with the number of entries;
* the update-to-weight ratio lr * RMS(dW) / RMS(W) of a plain SGD step: about
  1e-3 is a healthy rule of thumb; 1e-6 means the layer hardly moves, above 1e-1
  means it is thrown around.
"""

import numpy as np

from backprop_lessons.layers import Linear, Sequential
from backprop_lessons.losses import get_loss

__all__ = ["layer_statistics", "format_statistics", "plot_gradient_rms"]

_SQUASHING_LIMITS = {"Sigmoid": (0.0, 1.0), "Tanh": (-1.0, 1.0)}
_RELUS = ("ReLU", "LeakyReLU")


def _rms(a):
    return float(np.sqrt(np.mean(np.square(a))))


def layer_statistics(model, X, y, loss="softmax", lr=None):
    """One forward/backward pass; a dict per Linear layer (layer 1 = input side).

    model: a Sequential of Linear and activation layers (as ``mlp`` builds).
    X (N, D), y: targets for ``loss`` ("softmax": (N,) labels). lr: for the
    update-to-weight ratio of an SGD step (None: not reported).
    Keys: layer, shape, grad_rms, weight_rms, update_ratio (or None), and for a
    Linear followed by an activation: activation, act_std, saturated, dead.
    """
    if not isinstance(model, Sequential):
        raise ValueError(f"layer_statistics needs a Sequential (e.g. from mlp), got {type(model).__name__}")
    rows, out = [], np.asarray(X, dtype=np.float64)
    with np.errstate(all="ignore"):  # an exploding network overflows on purpose
        for layer in model.layers:
            out = layer.forward(out)  # (N, H) after this layer
            if isinstance(layer, Linear):
                rows.append({"layer": len(rows) + 1, "shape": layer.params["W"].shape, "_linear": layer})
            elif rows and "activation" not in rows[-1]:
                name = type(layer).__name__
                rows[-1].update(activation=name, act_std=float(np.std(out)))
                lo, hi = _SQUASHING_LIMITS.get(name, (None, None))
                margin = None if lo is None else 0.01 * (hi - lo)
                rows[-1]["saturated"] = (
                    None if lo is None else float(np.mean((out < lo + margin) | (out > hi - margin)))
                )
                rows[-1]["dead"] = float(np.mean(np.all(out <= 0, axis=0))) if name in _RELUS else None
        _, dout = get_loss(loss)(out, y)
        model.backward(dout)
    for row in rows:
        layer = row.pop("_linear")
        row["grad_rms"] = _rms(layer.grads["W"])
        row["weight_rms"] = _rms(layer.params["W"])
        row["update_ratio"] = None if lr is None else lr * row["grad_rms"] / row["weight_rms"]
    return rows


def _fmt(x, pattern, width):
    text = "—" if x is None or not np.isfinite(x) else format(x, pattern)
    return text.rjust(width)


def format_statistics(rows):
    """The rows of ``layer_statistics`` as a small fixed-width table (one line per layer).

    Numbers are printed to 1-2 significant digits: enough to see a factor of ten,
    and the same on every machine.
    """
    lines = ["layer  shape      activation  act std  saturated  dead  grad RMS  update/weight"]
    for r in rows:
        lines.append(
            f"{r['layer']:>5}  {str(r['shape']):<9}  {r.get('activation', '(scores)'):<10}  "
            f"{_fmt(r.get('act_std'), '.2g', 7)}  {_fmt(r.get('saturated'), '.0%', 9)}  "
            f"{_fmt(r.get('dead'), '.0%', 4)}  {_fmt(r['grad_rms'], '.1e', 8)}  "
            f"{_fmt(r['update_ratio'], '.1e', 13)}"
        )
    return "\n".join(lines)


def plot_gradient_rms(rows, ax=None, color=None):
    """Bar chart of each layer's gradient RMS from ``layer_statistics`` (log scale, layer 1 = input side).

    The scale is fixed from 1e-4 to 1e3 so that pictures of different runs compare at a glance;
    a dotted line marks 1. Returns the BarContainer.
    """
    import matplotlib.pyplot as plt

    from backprop_lessons.plots import PALETTE

    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 3.2), layout="constrained")
    rms = np.array([r["grad_rms"] for r in rows], dtype=np.float64)
    bars = ax.bar(np.arange(1, len(rms) + 1), np.clip(rms, 1e-4, 1e3), color=color or PALETTE["blue"])
    ax.set_yscale("log")
    ax.set_ylim(1e-4, 1e3)
    ax.axhline(1.0, color="0.4", ls=":", lw=1)
    ax.set_xticks(np.arange(1, len(rms) + 1))
    ax.set_xlabel("layer (1 = input side)")
    ax.set_ylabel("gradient RMS of W")
    return bars
