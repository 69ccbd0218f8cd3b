"""Scalar engine: backprop_lessons.autograd.Value against micrograd 0.1.0.

Both engines run *the same model code*: micrograd's own `nn.MLP`, built once with
micrograd's Value and once with ours (its module-level `Value` name is swapped while
the model is constructed), with identical initial weights. One step of micrograd's
demo = forward over 100 two-moons points, mean hinge loss + 1e-4 L2, backward, SGD
update. The gradients of both are compared before timing.
"""

import random
import sys

import micrograd.engine
import micrograd.nn

from backprop_lessons.autograd import Value
from backprop_lessons.data import moons

from _timing import interleaved, summary

N_POINTS = 100
ALPHA = 1e-4


def build_models(seed=1337):
    """Two MLP(2, [16, 16, 1]) with identical weights: (micrograd's, ours)."""
    random.seed(seed)
    theirs = micrograd.nn.MLP(2, [16, 16, 1])
    original = micrograd.nn.Value
    micrograd.nn.Value = Value
    try:
        ours = micrograd.nn.MLP(2, [16, 16, 1])
    finally:
        micrograd.nn.Value = original
    for p_theirs, p_ours in zip(theirs.parameters(), ours.parameters()):
        p_ours.data = float(p_theirs.data)
    return theirs, ours


def make_step(model, value_cls, X, y, lr=0.5):
    """micrograd's demo step for `model` built on `value_cls`; returns (step, loss_fn)."""
    params = model.parameters()

    def loss():
        inputs = [[value_cls(float(a)), value_cls(float(b))] for a, b in X]
        scores = [model(x) for x in inputs]
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in params)
        return data_loss + reg_loss

    def step():
        total = loss()
        model.zero_grad()
        total.backward()
        for p in params:
            p.data -= lr * p.grad

    return step, loss


def _chain_works(value_cls, n):
    """Does backward() survive a chain of n nested additions?"""
    x = value_cls(0.5)
    y = x
    for _ in range(n):
        y = y + 1.0
    try:
        y.backward()
    except RecursionError:
        return False
    return x.grad == 1.0


def chain_depth_limit(value_cls, limit=200_000):
    """Longest chain of nested operations value_cls.backward() handles (up to `limit`)."""
    ok, n = 0, 16
    while n <= limit and _chain_works(value_cls, n):  # double until it fails...
        ok, n = n, n * 2
    if n > limit:
        return ok
    bad = n
    while bad - ok > 1:  # ...then bisect to the exact limit
        mid = (ok + bad) // 2
        ok, bad = (mid, bad) if _chain_works(value_cls, mid) else (ok, mid)
    return ok


def run(rounds=7):
    X, labels = moons(N_POINTS, noise=0.1, rng=0)
    y = [1.0 if label == 1 else -1.0 for label in labels]
    theirs, ours = build_models()

    step_theirs, loss_theirs = make_step(theirs, micrograd.engine.Value, X, y)
    step_ours, loss_ours = make_step(ours, Value, X, y)

    # Same numbers first: a faster engine that computes something else proves nothing.
    lt, lo = loss_theirs(), loss_ours()
    theirs.zero_grad()
    lt.backward()
    lo.backward()
    max_diff = max(abs(a.grad - b.grad) for a, b in zip(theirs.parameters(), ours.parameters()))
    assert abs(lt.data - lo.data) < 1e-12, (lt.data, lo.data)
    assert max_diff < 1e-12, f"gradients differ by {max_diff:.3g}"

    times = interleaved({"ours": step_ours, "micrograd": step_theirs}, rounds=rounds, collect=True)
    ours_min, ours_med = summary(times["ours"])
    theirs_min, theirs_med = summary(times["micrograd"])
    rows = [
        {
            "benchmark": "scalar engine: micrograd demo step (MLP 2-16-16-1, 100 points)",
            "ours": f"{ours_med:.1f} ms (min {ours_min:.1f})",
            "peer": f"micrograd 0.1.0: {theirs_med:.1f} ms (min {theirs_min:.1f})",
            "ratio": theirs_med / ours_med,
            "ratio_text": f"{theirs_med / ours_med:.1f}x faster",
            "goal": ">= 5x faster",
            "met": theirs_med / ours_med >= 5.0,
            "note": f"gradients agree to {max_diff:.1e}",
        }
    ]
    ours_depth = chain_depth_limit(Value)
    theirs_depth = chain_depth_limit(micrograd.engine.Value)
    rows.append(
        {
            "benchmark": "scalar engine: longest chain backward() handles",
            "ours": f">= {ours_depth:,} nodes",
            "peer": f"micrograd 0.1.0: {theirs_depth:,} nodes (RecursionError beyond, limit {sys.getrecursionlimit()})",
            "ratio": ours_depth / max(theirs_depth, 1),
            "ratio_text": "no limit" if ours_depth >= 100_000 else f"{ours_depth / max(theirs_depth, 1):.0f}x",
            "goal": "100,000-node chain works",
            "met": ours_depth >= 100_000,
            "note": "iterative topological sort",
        }
    )
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
