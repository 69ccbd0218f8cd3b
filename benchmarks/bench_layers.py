"""Vectorized layers: one training step of backprop_lessons.layers against a peer.

The peer is PyTorch when it can be imported (one thread, float64), and a plain-numpy
step written by hand otherwise (the same maths with no layer objects: the floor for
anything built from the same numpy calls). When PyTorch is there, the hand-written
step is timed too, as a second reference.

One step = forward over the full batch + MSE loss + backward + SGD update, written the
way ``training.train`` runs it. Every contender starts from the same weights, and
before any timing the gradients of the first step are compared (to 1e-10, relative).

    python benchmarks/bench_layers.py [rounds]     # PyTorch is used when this Python can import it
"""

import sys

from _timing import fmt_times, interleaved, row, summary, time_once  # first: pins BLAS threads before numpy

# isort: split

import numpy as np

from backprop_lessons.data import moons
from backprop_lessons.layers import linear_layers, mlp
from backprop_lessons.losses import mse
from backprop_lessons.optim import SGD

try:
    import torch
except ImportError:  # not a dependency of the course: the numpy step stands in
    torch = None

LR = 0.01
GRAD_TOL = 1e-10  # float64, the same maths in a different order: ~1e-15 is typical
GOAL = 1.1  # the layers may cost at most 10 % more than the same step written by hand (issue 15)

# (name, layer sizes, activation, N)
SCENARIOS = [
    ("2-64-64-1 tanh MLP, N = 1,000", [2, 64, 64, 1], "tanh", 1_000),
    ("2-64-64-1 tanh MLP, N = 100,000", [2, 64, 64, 1], "tanh", 100_000),
    ("20 x 32 sigmoid net (2-32x20-1), N = 1,000", [2] + [32] * 20 + [1], "sigmoid", 1_000),
]


def make_data(n):
    """X (N, 2) two moons, y (N, 1) targets 0.0 / 1.0 (regressed with MSE)."""
    X, labels = moons(n, noise=0.1, rng=0)
    return X, labels.astype(np.float64)[:, None]


# ----------------------------------------------------------------------- ours
def ours_step(sizes, activation, X, y):
    """(step, grads_fn, model): our Sequential, stepped the way training.train does it."""
    model = mlp(sizes, activation=activation, init="xavier", rng=0)
    params = model.params  # the layers' own arrays, as train() keeps them
    opt = SGD(LR)

    def forward_backward():
        out = model.forward(X)  # (N, 1)
        loss, dout = mse(out, y)
        model.backward(dout)
        return loss

    def step():
        forward_backward()
        opt.step(params, model.grads)

    def grads():
        forward_backward()
        return [(layer.grads["W"].copy(), layer.grads["b"].copy()) for layer in linear_layers(model)]

    return step, grads, model


def initial_weights(model):
    """[(W (D, H), b (H,)), ...] copies of every Linear layer's parameters."""
    return [(layer.W.copy(), layer.b.copy()) for layer in linear_layers(model)]


# ----------------------------------------------------------- numpy by hand
def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def numpy_step(weights, activation, X, y):
    """(step, grads_fn): the same network as a list of (W, b), forward/backward written out."""
    weights = [(W.copy(), b.copy()) for W, b in weights]
    f = np.tanh if activation == "tanh" else _sigmoid
    last = len(weights) - 1

    def forward_backward():
        hs = [X]  # input of every layer
        h = X
        for i, (W, b) in enumerate(weights):
            z = h @ W + b  # (N, H)
            h = z if i == last else f(z)
            hs.append(h)
        diff = h - y
        loss = np.mean(diff * diff)
        dh = 2.0 * diff / diff.size
        grads = [None] * len(weights)
        for i in range(last, -1, -1):
            if i < last:  # through the activation, from its cached output
                out = hs[i + 1]
                dh = dh * (1.0 - out * out) if activation == "tanh" else dh * out * (1.0 - out)
            W = weights[i][0]
            grads[i] = (hs[i].T @ dh, dh.sum(axis=0))
            if i > 0:  # nobody needs dL/dX
                dh = dh @ W.T
        return loss, grads

    def step():
        _, grads = forward_backward()
        for (W, b), (dW, db) in zip(weights, grads):
            W -= LR * dW
            b -= LR * db

    def grads():
        return forward_backward()[1]

    return step, grads


# ------------------------------------------------------------------- PyTorch
def torch_step(weights, activation, X, y):
    """(step, grads_fn): torch.nn.Sequential in float64 with the same weights."""
    layers = []
    for i, (W, b) in enumerate(weights):
        lin = torch.nn.Linear(W.shape[0], W.shape[1], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W.T.copy()))  # torch keeps W as (H, D)
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
        if i < len(weights) - 1:
            layers.append(torch.nn.Tanh() if activation == "tanh" else torch.nn.Sigmoid())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(net.parameters(), lr=LR)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def forward_backward():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(Xt), yt)
        loss.backward()
        return loss

    def step():
        forward_backward()
        opt.step()

    def grads():
        forward_backward()
        linears = [m for m in net if isinstance(m, torch.nn.Linear)]
        return [(m.weight.grad.numpy().T.copy(), m.bias.grad.numpy().copy()) for m in linears]

    return step, grads


def torch_setup():
    """One thread (like our single BLAS thread); returns a version string."""
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # only allowed before torch's first parallel work
        pass
    return f"PyTorch {torch.__version__}"


# ------------------------------------------------------------------- checks
def max_rel_diff(grads_a, grads_b):
    """Largest |a - b| / max|a| over all gradient arrays (one relative error per array)."""
    worst = 0.0
    for pair_a, pair_b in zip(grads_a, grads_b, strict=True):
        for a, b in zip(pair_a, pair_b, strict=True):
            assert a.shape == b.shape, (a.shape, b.shape)
            scale = max(float(np.abs(a).max()), 1e-300)
            worst = max(worst, float(np.abs(a - b).max()) / scale)
    return worst


def run(rounds=7, scenarios=None, use_torch=True, min_seconds=0.0):
    """Rows for the results table. rounds: the fewest interleaved rounds; min_seconds: add
    rounds until each contender was timed for about this long (short steps get many
    rounds, which steadies their median); scenarios: (name, sizes, activation, N) list
    (default SCENARIOS); use_torch=False times only the numpy reference."""
    scenarios = SCENARIOS if scenarios is None else scenarios
    have_torch = use_torch and torch is not None
    torch_name = torch_setup() if have_torch else None
    rows = []
    for name, sizes, activation, n in scenarios:
        X, y = make_data(n)
        step_ours, grads_ours, model = ours_step(sizes, activation, X, y)
        weights = initial_weights(model)
        contenders = {"ours": step_ours}
        step_np, grads_np = numpy_step(weights, activation, X, y)
        contenders["numpy"] = step_np
        diffs = {"numpy": max_rel_diff(grads_ours(), grads_np())}
        if have_torch:
            step_torch, grads_torch = torch_step(weights, activation, X, y)
            contenders["torch"] = step_torch
            diffs["torch"] = max_rel_diff(grads_ours(), grads_torch())
        for peer, diff in diffs.items():
            assert diff < GRAD_TOL, f"{name}: our gradients differ from {peer}'s by {diff:.2g} (relative)"

        # A sample lasts >= ~40 ms: short steps are timed several in a row, the big batch one at a time.
        one_step_ms = 1e3 * min(time_once(step_ours), time_once(step_ours))
        number = max(1, int(40.0 / max(one_step_ms, 1e-3)))
        n_rounds = max(rounds, int(1e3 * min_seconds / (number * max(one_step_ms, 1e-3))))
        times = interleaved(contenders, rounds=n_rounds, number=number)
        ours_med = summary(times["ours"])[1]
        peers = [("torch", torch_name, True)] if have_torch else []
        peers.append(("numpy", "numpy by hand", not have_torch))
        for key, label, primary in peers:
            peer_med = summary(times[key])[1]
            ratio = ours_med / peer_med
            note = f"gradients agree to {diffs[key]:.1e} (relative); {n_rounds} rounds x {number} steps"
            if key == "numpy" and not have_torch:
                note += "; PyTorch not installed: the hand-written numpy step stands in"
            rows.append(
                row(
                    f"layers: step of {name}" + ("" if primary else " (reference)"),
                    fmt_times(times["ours"]),
                    f"{label}: {fmt_times(times[key])}",
                    f"{ratio:.2f}x the time",
                    f"<= {GOAL:.1f}x {'PyTorch' if key == 'torch' else 'numpy by hand'}" if primary else "-",
                    ratio <= GOAL if primary else None,
                    note,
                    ratio=ratio,
                )
            )
    return rows


if __name__ == "__main__":
    for r in run(rounds=int(sys.argv[1]) if len(sys.argv) > 1 else 15, min_seconds=4.0):
        print(r)
