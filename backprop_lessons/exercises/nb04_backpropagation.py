"""Checkers for notebook 04 (backpropagation): a linear layer's backward pass, a 2-layer network, the bug hunt.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import numpy as np

from ._format import type_name
from ._runner import answer_value, Case, report, run_cases, run_one
from .nb04_bugs import bug_hunt_suspects

__all__ = ['check_linear_backward', 'check_two_layer_backward', 'check_bug_hunt']


_FORGOT_DOUT = ("you forgot the upstream gradient dout: the chain rule multiplies every "
                "local derivative by dout")


def _linear_case(label, dout, X, W):
    N = X.shape[0]
    ones = np.ones_like(dout)
    diag = {
        "dX": {"batch_size": N, "alternatives": [(ones @ W.T, _FORGOT_DOUT)]},
        "dW": {"batch_size": N, "alternatives": [(X.T @ ones, _FORGOT_DOUT)],
               "contributions": [np.outer(X[n], dout[n]) for n in range(N)]},
        "db": {"batch_size": N, "alternatives": [(ones.sum(axis=0), _FORGOT_DOUT)],
               "contributions": list(dout)},
    }
    hint = {
        "dX": "dX has the shape of X (N, D): combine dout (N, H) with W (D, H)",
        "dW": "dW has the shape of W (D, H): combine X (N, D) with dout (N, H)",
        "db": "db has the shape of b (H,): every example adds its row of dout",
    }
    expected = (dout @ W.T, X.T @ dout, dout.sum(axis=0))  # (N, D), (D, H), (H,)
    return Case(label, (dout, X, W), expected, names=("dX", "dW", "db"), diag=diag, hint=hint)


def _linear_cases():
    rng = np.random.default_rng(107)
    return [
        _linear_case("one example, N = 1, D = 2, H = 3", np.array([[1.0, -2.0, 0.5]]),
                     np.array([[2.0, -1.0]]), np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])),
        _linear_case("a batch, N = 5, D = 3, H = 2", rng.normal(size=(5, 2)),
                     rng.normal(size=(5, 3)), rng.normal(size=(3, 2))),
        _linear_case("square W, N = 6, D = H = 3", rng.normal(size=(6, 3)),
                     rng.normal(size=(6, 3)), rng.normal(size=(3, 3))),
    ]


def check_linear_backward(fn):
    """Check ``fn(dout, X, W) -> (dX, dW, db)``: backward of out = X @ W + b.

    dout: (N, H) upstream gradient. X: (N, D) the layer's input. W: (D, H).
    Returns dX (N, D), dW (D, H), db (H,).
    """
    return run_cases("check_linear_backward", fn, _linear_cases(), ("dout", "X", "W"))


def _two_layer(X, y, W1, b1, W2, b2, tanh_slope="right"):
    """Gradients of E = mean((y_hat - y)**2), y_hat = tanh(X @ W1 + b1) @ W2 + b2."""
    z1 = X @ W1 + b1  # (N, H)
    h = np.tanh(z1)  # (N, H)
    y_hat = h @ W2 + b2  # (N, 1)
    dy_hat = 2.0 * (y_hat - y) / y.size  # (N, 1)
    dh = dy_hat @ W2.T  # (N, H)
    dz1 = {"right": dh * (1 - h**2), "skipped": dh, "of_z": dh * (1 - z1**2),
           "no_dh": 1 - h**2}[tanh_slope]
    return {"W2": h.T @ dy_hat, "b2": dy_hat.sum(axis=0), "W1": X.T @ dz1, "b1": dz1.sum(axis=0)}


def _two_layer_case(label, rng, N, D, H):
    args = (rng.normal(size=(N, D)), rng.normal(size=(N, 1)), rng.normal(size=(D, H)),
            rng.normal(size=H), rng.normal(size=(H, 1)), rng.normal(size=1))
    right = _two_layer(*args)
    mistakes = {
        "skipped": "you skipped the tanh: multiply dh by its slope 1 - h**2 before going to W1",
        "of_z": "the slope of tanh is 1 - tanh(z1)**2 = 1 - h**2, not 1 - z1**2",
        "no_dh": "tanh's slope 1 - h**2 must be multiplied by the upstream gradient dh = dy_hat @ W2.T",
    }
    wrong = {m: _two_layer(*args, tanh_slope=m) for m in mistakes}
    diag = {k: {"batch_size": N, "alternatives": [(wrong[m][k], mistakes[m]) for m in mistakes]}
            for k in ("W1", "b1")}
    diag["W2"] = {"batch_size": N}
    diag["b2"] = {"batch_size": N}
    hint = {
        "W2": "start from dy_hat = dE/dy_hat = 2 (y_hat - y) / N; then dW2 = h.T @ dy_hat",
        "b2": "db2 adds dy_hat up over the batch axis",
        "W1": "go back through W2 and tanh: dh = dy_hat @ W2.T, dz1 = dh * (1 - h**2), "
              "dW1 = X.T @ dz1",
        "b1": "db1 adds dz1 up over the batch axis",
    }
    return Case(label, args, right, diag=diag, hint=hint)


def check_two_layer_backward(fn):
    """Check ``fn(X, y, W1, b1, W2, b2) -> grads`` for a tanh net with MSE loss.

    Forward: h = tanh(X @ W1 + b1), y_hat = h @ W2 + b2, E = mean((y_hat - y)**2).
    X: (N, D), y: (N, 1), W1: (D, H), b1: (H,), W2: (H, 1), b2: (1,).
    Returns a dict {"W1": dE/dW1, "b1": ..., "W2": ..., "b2": ...} (keys "dW1"
    etc. work too), each of the shape of its parameter. Checked from the output
    backwards (W2, b2, W1, b1): fix the first one named, the rest may follow.
    """
    rng = np.random.default_rng(108)
    cases = [
        _two_layer_case("one example, N = 1, D = 2, H = 3", rng, 1, 2, 3),
        _two_layer_case("a batch, N = 5, D = 2, H = 4", rng, 5, 2, 4),
        _two_layer_case("random, N = 7, D = 3, H = 5", rng, 7, 3, 5),
    ]
    return run_cases("check_two_layer_backward", fn, cases, ("X", "y", "W1", "b1", "W2", "b2"))


def _broken_suspects():
    """Names of the suspects that fail a case, found by running them (no stored answer)."""
    cases = _linear_cases()
    return {name: text for name, fn in bug_hunt_suspects().items()
            for ok, text in [run_one(fn, cases[1], ("dout", "X", "W"), ())] if not ok}


def check_bug_hunt(answer):
    """Check which of ``bug_hunt_suspects()`` the learner found broken.

    answer: the suspect's name ("A", "B", "C" or "D") or the function itself.
    """
    answer, failed = answer_value("check_bug_hunt", answer)
    if failed:
        return failed
    suspects = bug_hunt_suspects()
    if callable(answer):
        answer = next((k for k, f in suspects.items() if f is answer), None) or "that function"
    if not isinstance(answer, str):
        return report("check_bug_hunt", [(False, f"answer with a suspect's name, e.g. check_bug_hunt('A'); "
                                                 f"got {type_name(answer)}")])
    name = answer.strip().upper()
    if name not in suspects:
        return report("check_bug_hunt", [(False, f"there is no suspect {answer!r}; "
                                                 f"choose one of: {', '.join(suspects)}")])
    broken = _broken_suspects()
    if name in broken:
        return report("check_bug_hunt", [(True, f"suspect {name} is the broken one — on a batch "
                                                f"of N = 5, {broken[name]}")])
    return report("check_bug_hunt", [(False, f"suspect {name} is innocent: it passes every case. "
                                             "Run check_linear_backward on each suspect, or compare "
                                             "its dW with numerical gradients")])


# ----------------------------------------------------- reference solutions
def linear_backward(dout, X, W):
    """out = X @ W + b; dout (N, H), X (N, D), W (D, H) -> dX (N, D), dW (D, H), db (H,)."""
    dX = dout @ W.T  # (N, H) @ (H, D) -> (N, D)
    dW = X.T @ dout  # (D, N) @ (N, H) -> (D, H): sums over the N examples
    db = dout.sum(axis=0)  # b was added to every row, so every row's gradient adds up
    return dX, dW, db


def two_layer_backward(X, y, W1, b1, W2, b2):
    """Gradients of E = mean((y_hat - y)**2) for y_hat = tanh(X @ W1 + b1) @ W2 + b2."""
    # forward, keeping what the backward pass needs
    z1 = X @ W1 + b1  # (N, H)
    h = np.tanh(z1)  # (N, H)
    y_hat = h @ W2 + b2  # (N, 1)
    # backward, from the loss to the input side
    dy_hat = 2.0 * (y_hat - y) / y.size  # (N, 1)
    dW2 = h.T @ dy_hat  # (H, 1)
    db2 = dy_hat.sum(axis=0)  # (1,)
    dh = dy_hat @ W2.T  # (N, H)
    dz1 = dh * (1.0 - h**2)  # through tanh
    dW1 = X.T @ dz1  # (D, H)
    db1 = dz1.sum(axis=0)  # (H,)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def bug_hunt():
    """The broken suspect: C overwrites dW and db in its loop (=) instead of adding (+=)."""
    return "C"


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {"check_linear_backward": linear_backward, "check_two_layer_backward": two_layer_backward, "check_bug_hunt": bug_hunt}
