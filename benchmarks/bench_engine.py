"""Scalar engine: backprop_lessons.autograd.Value against micrograd 0.1.0.

Both engines run *the same model code*: micrograd's own `nn.MLP`, built once with
micrograd's Value and once with ours (its module-level `Value` name is swapped while
the model is constructed), with identical initial weights. One step of micrograd's
demo = forward over 100 two-moons points, mean hinge loss + 1e-4 L2, backward, SGD
update. The gradients of both are compared before timing.

Each timed step includes a gc.collect(): micrograd's closures make every node part of a
reference cycle, so most of its cost is the cyclic garbage collector; timing the
collection with the step that made the garbage charges each engine for its own.

    python benchmarks/bench_engine.py [rounds]
"""

import random
import sys

from _timing import fmt_times, interleaved, row, summary  # first: pins BLAS threads before numpy

# isort: split

import micrograd.engine
import micrograd.nn

from backprop_lessons.autograd import Value
from backprop_lessons.data import moons

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


def chain_depth_limit(value_cls, limit=100_000):
    """Longest chain of nested operations value_cls.backward() handles (up to `limit`)."""
    ok, n = 0, 16
    while True:  # double until it fails or reaches the limit...
        n = min(n, limit)
        if not _chain_works(value_cls, n):
            break
        ok = n
        if n == limit:
            return ok
        n *= 2
    bad = n
    while bad - ok > 1:  # ...then bisect to the exact limit
        mid = (ok + bad) // 2
        ok, bad = (mid, bad) if _chain_works(value_cls, mid) else (ok, mid)
    return ok


def check_same_numbers(theirs, ours, loss_theirs, loss_ours, tol=1e-12):
    """Both engines give the same loss and gradients (to tol); returns the largest gradient difference."""
    lt, lo = loss_theirs(), loss_ours()
    theirs.zero_grad()
    lt.backward()
    lo.backward()
    max_diff = max(abs(a.grad - b.grad) for a, b in zip(theirs.parameters(), ours.parameters()))
    assert abs(lt.data - lo.data) < tol, (lt.data, lo.data)
    assert max_diff < tol, f"gradients differ by {max_diff:.3g}"
    return max_diff


def run(rounds=7, n_points=N_POINTS, chain_limit=100_000):
    """Rows for the results table. rounds: interleaved timing rounds (>= 1);
    n_points: size of the two-moons batch (100 = micrograd's demo); chain_limit: the
    longest chain tried (>= 100,000 is needed to meet the chain goal)."""
    X, labels = moons(n_points, noise=0.1, rng=0)
    y = [1.0 if label == 1 else -1.0 for label in labels]
    theirs, ours = build_models()

    step_theirs, loss_theirs = make_step(theirs, micrograd.engine.Value, X, y)
    step_ours, loss_ours = make_step(ours, Value, X, y)

    # Same numbers first: a faster engine that computes something else proves nothing.
    max_diff = check_same_numbers(theirs, ours, loss_theirs, loss_ours)

    times = interleaved({"ours": step_ours, "micrograd": step_theirs}, rounds=rounds, collect=True)
    ours_med = summary(times["ours"])[1]
    theirs_med = summary(times["micrograd"])[1]
    ratio = theirs_med / ours_med  # from the medians
    per_round = sorted(t / o for t, o in zip(times["micrograd"], times["ours"]))
    rows = [
        row(
            f"scalar engine: micrograd demo step (MLP 2-16-16-1, {n_points} points)",
            fmt_times(times["ours"]),
            f"micrograd 0.1.0: {fmt_times(times['micrograd'])}",
            f"{ratio:.1f}x faster",
            ">= 5x faster",
            ratio >= 5.0,
            f"{rounds} interleaved rounds, gc.collect() timed with each step; gradients agree to {max_diff:.1e}; "
            f"per-round ratios {per_round[0]:.1f}x to {per_round[-1]:.1f}x",
            ratio=ratio,
        )
    ]
    ours_depth = chain_depth_limit(Value, chain_limit)
    theirs_depth = chain_depth_limit(micrograd.engine.Value, chain_limit)
    rows.append(
        row(
            "scalar engine: longest chain backward() handles",
            f"{ours_depth:,} nodes" + (" (the longest tried)" if ours_depth == chain_limit else ""),
            f"micrograd 0.1.0: {theirs_depth:,} nodes (RecursionError beyond, limit {sys.getrecursionlimit()})",
            "no limit" if ours_depth >= 100_000 else f"{ours_depth / max(theirs_depth, 1):.0f}x",
            "100,000-node chain works",
            ours_depth >= 100_000,
            "iterative topological sort",
            ratio=ours_depth / max(theirs_depth, 1),
        )
    )
    return rows


if __name__ == "__main__":
    for r in run(rounds=int(sys.argv[1]) if len(sys.argv) > 1 else 7):
        print(r)
