"""Checkers for notebook 04 (backpropagation): one neuron by hand, a 2-layer network, a gradient check, the bug hunt.

The right answers are computed here with plain numpy, independently of the package's
own layers; each typical mistake has a signature so the hint can name it. Reference
solutions (for ``show_solution``) are at the bottom: try first!
"""

import math
import warnings

import numpy as np

from . import _runner
from ._format import fmt_pair, type_name
from ._runner import Case, CheckResult, answer_value, learner_error, not_written, report, run_cases, run_one
from .nb03_chain_rule import _grade, _read_answers
from .nb04_bugs import bug_hunt_suspects

__all__ = [
    "NEURON",
    "check_neuron_gradients",
    "check_linear_backward",
    "check_two_layer_backward",
    "check_central_differences",
    "check_bug_hunt",
]


# Exercise 1, one tanh neuron and its squared error: E = (tanh(w1*x1 + w2*x2 + b) - y)**2
NEURON = {"x1": 1.5, "x2": -0.5, "y": 1.0, "w1": 0.8, "w2": -0.4, "b": 0.1}


def _neuron_grads(x1, x2, y, w1, w2, b, mistake=None):
    """dE/d(every input) of the neuron; ``mistake`` gives a typical wrong version."""
    z = w1 * x1 + w2 * x2 + b
    a = math.tanh(z)
    dE_da = {"no_two": a - y}.get(mistake, 2 * (a - y))
    slope = {"no_tanh": 1.0, "of_z": 1 - z**2, "tanh_not_slope": a}.get(mistake, 1 - a**2)
    dE_dz = dE_da * slope
    return {"w1": x1 * dE_dz, "w2": x2 * dE_dz, "b": dE_dz, "x1": w1 * dE_dz, "x2": w2 * dE_dz, "z": dE_dz, "a": dE_da}


def check_neuron_gradients(answers):
    """Check hand-computed gradients of E = (tanh(w1*x1 + w2*x2 + b) - y)**2 at ``NEURON``.

    answers: dict with "w1", "w2", "b", "x1", "x2" -> dE/d(that input) (optionally "z", "a"),
    or a function of no arguments returning it.
    """
    name = "check_neuron_gradients"
    answers, failed = answer_value(name, answers)
    if failed:
        return failed
    nodes = ("w1", "w2", "b", "x1", "x2", "z", "a")
    answers, failed = _read_answers(name, answers, nodes)
    if failed:
        return failed
    n = NEURON
    right = _neuron_grads(**n)
    right = {k: v for k, v in right.items() if k in ("w1", "w2", "b", "x1", "x2") or k in answers}
    slopes = {"w1": "x1", "w2": "x2", "b": "1", "x1": "w1", "x2": "w2", "z": "1", "a": ""}
    mistakes = {
        "no_tanh": "you skipped tanh's local derivative: dE/dz = dE/da × (1 − a²)",
        "of_z": "tanh's slope is 1 − a² with a = tanh(z), not 1 − z²",
        "tanh_not_slope": "you multiplied by a = tanh(z) itself; tanh's local derivative is 1 − a²",
        "no_two": "the factor 2 is missing: ∂E/∂a = 2(a − y) for E = (a − y)²",
    }
    known = {k: [(_neuron_grads(**n, mistake=m)[k], h) for m, h in mistakes.items()] for k in right}
    for k in ("w1", "w2", "x1", "x2"):
        known[k].append(
            (
                float(n[slopes[k]]),
                f"that is only the local derivative ∂z/∂{k} = {slopes[k]}; multiply it by the upstream gradient dE/dz",
            )
        )
    hints = {
        k: f"dE/d{k} = ∂z/∂{k} × dE/dz with ∂z/∂{k} = {slopes[k]}, and dE/dz = 2(a − y) × (1 − a²)"
        for k in ("w1", "w2", "b", "x1", "x2")
    }
    hints["z"] = "dE/dz = ∂a/∂z × dE/da = (1 − a²) × 2(a − y)"
    hints["a"] = "dE/da = 2(a − y)"
    return _grade(name, answers, right, hints, known, of="E")


_FORGOT_DOUT = "you forgot the upstream gradient dout: the chain rule multiplies every local derivative by dout"


def _linear_case(label, dout, X, W):
    N = X.shape[0]
    ones = np.ones_like(dout)
    order = "you returned the gradients in another order: return (dX, dW, db), the order of the inputs"
    diag = {
        "dX": {"batch_size": N, "alternatives": [(ones @ W.T, _FORGOT_DOUT), (X.T @ dout, "this is dW — " + order)]},
        "dW": {
            "batch_size": N,
            "alternatives": [(X.T @ ones, _FORGOT_DOUT), (dout @ W.T, "this is dX — " + order)],
            "contributions": [np.outer(X[n], dout[n]) for n in range(N)],
        },
        "db": {"batch_size": N, "alternatives": [(ones.sum(axis=0), _FORGOT_DOUT)], "contributions": list(dout)},
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
        _linear_case(
            "one example, N = 1, D = 2, H = 3",
            np.array([[1.0, -2.0, 0.5]]),
            np.array([[2.0, -1.0]]),
            np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]]),
        ),
        _linear_case(
            "a batch, N = 5, D = 3, H = 2", rng.normal(size=(5, 2)), rng.normal(size=(5, 3)), rng.normal(size=(3, 2))
        ),
        _linear_case(
            "square W, N = 6, D = H = 3", rng.normal(size=(6, 3)), rng.normal(size=(6, 3)), rng.normal(size=(3, 3))
        ),
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
    dz1 = {"right": dh * (1 - h**2), "skipped": dh, "of_z": dh * (1 - z1**2), "no_dh": 1 - h**2}[tanh_slope]
    return {"W2": h.T @ dy_hat, "b2": dy_hat.sum(axis=0), "W1": X.T @ dz1, "b1": dz1.sum(axis=0)}


def _two_layer_case(label, rng, N, D, H):
    args = (
        rng.normal(size=(N, D)),
        rng.normal(size=(N, 1)),
        rng.normal(size=(D, H)),
        rng.normal(size=H),
        rng.normal(size=(H, 1)),
        rng.normal(size=1),
    )
    right = _two_layer(*args)
    mistakes = {
        "skipped": "you skipped the tanh: multiply dh by its slope 1 - h**2 before going to W1",
        "of_z": "the slope of tanh is 1 - tanh(z1)**2 = 1 - h**2, not 1 - z1**2",
        "no_dh": "tanh's slope 1 - h**2 must be multiplied by the upstream gradient dh = dy_hat @ W2.T",
    }
    wrong = {m: _two_layer(*args, tanh_slope=m) for m in mistakes}
    diag = {k: {"batch_size": N, "alternatives": [(wrong[m][k], mistakes[m]) for m in mistakes]} for k in ("W1", "b1")}
    diag["W2"] = {"batch_size": N}
    X, y, W1, b1, W2, b2 = args
    dy_hat = 2.0 * (np.tanh(X @ W1 + b1) @ W2 + b2 - y) / y.size  # (N, 1)
    diag["b2"] = {
        "batch_size": N,
        "alternatives": [
            (
                np.float64(dy_hat.sum()),
                "right number, wrong shape: db2 must have b2's shape (1,); "
                "sum over the batch axis only, dy_hat.sum(axis=0)",
            )
        ],
    }
    hint = {
        "W2": "start from dy_hat = dE/dy_hat = 2 (y_hat - y) / N; then dW2 = h.T @ dy_hat",
        "b2": "db2 adds dy_hat up over the batch axis",
        "W1": "go back through W2 and tanh: dh = dy_hat @ W2.T, dz1 = dh * (1 - h**2), dW1 = X.T @ dz1",
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


# ------------------------------------------------------------- a gradient check, written by the learner
def _grad_cases():
    rng = np.random.default_rng(109)
    C = rng.normal(size=(2, 3))
    return [
        (
            "f(p) = sum(p**2) at p = [1, -2, 3]",
            lambda p: float(np.sum(p**2)),
            np.array([1.0, -2.0, 3.0]),
            lambda p: 2 * p,
        ),
        (
            "a matrix p (2, 3), f(p) = sum(C * sin(p))",
            lambda p: float(np.sum(C * np.sin(p))),
            rng.normal(size=(2, 3)),
            lambda p: C * np.cos(p),
        ),
        (
            "a steep f(p) = sum(exp(10 p)) at p = [0.1, -0.2]",
            lambda p: float(np.sum(np.exp(10 * p))),
            np.array([0.1, -0.2]),
            lambda p: 10 * np.exp(10 * p),
        ),
    ]


def _forward_difference(f, p, h):
    g, base = np.zeros_like(p), f(p)
    for i in np.ndindex(p.shape):
        old = p[i]
        p[i] = old + h
        g[i] = (f(p) - base) / h
        p[i] = old
    return g


def _grad_case(fn, f, p0, exact):
    """(ok, text) for one case of check_central_differences."""
    p = p0.copy()
    calls = [0]

    def counted(q):
        calls[0] += 1
        return f(q)

    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            got = fn(counted, p)
    except Exception as exc:  # the learner's bug, as one sentence
        if _runner._is_stub_error(exc):
            raise _runner._Stub from None
        return False, learner_error(exc, ("f", "p"), (f, p))
    if not np.array_equal(p, p0):
        return False, (
            "p was not restored: after nudging an entry, put its old value back "
            "(old = p[i]; ...; p[i] = old), or the next entries are measured at the wrong point"
        )
    if not isinstance(got, np.ndarray):
        return False, f"expected a numpy array shaped like p {p.shape}, got {type_name(got)}"
    want = exact(p0)
    if got.shape != want.shape:
        return False, f"expected an array of shape {want.shape} (the shape of p), got shape {got.shape}"
    if np.allclose(got, want, rtol=1e-6, atol=1e-7):
        return True, f"{calls[0]} calls of f, largest error {np.max(np.abs(got - want)):.0e}"
    fwd = _forward_difference(f, p0.copy(), 1e-5)
    if np.allclose(got, fwd, rtol=1e-9, atol=1e-9):
        hint = (
            "that is the forward difference (f(p + h) − f(p)) / h; the central difference "
            "(f(p + h) − f(p − h)) / 2h is far more accurate (notebook 03)"
        )
    elif np.allclose(got, 2 * want, rtol=1e-5, atol=1e-7):
        hint = "twice the right size: the two nudges are 2h apart, so divide by 2h"
    elif np.allclose(got, -want, rtol=1e-5, atol=1e-7):
        hint = "wrong sign: subtract f(p − h) from f(p + h), not the other way round"
    elif np.allclose(got.ravel()[:1], want.ravel()[:1], rtol=1e-5) and not np.allclose(got, want, rtol=1e-5):
        hint = "only the first entry is right: nudge every entry of p, one at a time (np.ndindex(p.shape))"
    else:
        hint = "nudge one entry up by h, then down by h, call f each time, and divide the difference by 2h"
    idx = np.unravel_index(int(np.argmax(np.abs(got - want))), want.shape)
    e, g = fmt_pair(want[idx], got[idx])
    return False, f"entry {tuple(int(i) for i in idx)}: expected {e}, got {g} — hint: {hint}"


def check_central_differences(fn):
    """Check ``fn(f, p, h=1e-5) -> grad``: a central-difference gradient of f at the array p.

    f(p) returns a number; fn nudges the entries of p in place, one at a time, restores them,
    and returns an array shaped like p. Compared with the exact gradient of each test function.
    """
    name = "check_central_differences"
    if not callable(fn):
        line = (
            f"✗ {name} needs your function itself, e.g. {name}(central_differences) without () "
            f"after its name; got {type_name(fn)}"
        )
        print(line)
        return CheckResult(name, 0, 3, [line])
    outcomes = []
    for i, (label, f, p0, exact) in enumerate(_grad_cases(), start=1):
        try:
            ok, text = _grad_case(fn, f, p0, exact)
        except _runner._Stub:
            return not_written(name, fn, 3)
        outcomes.append((ok, f"case {i}: {label} — {text}"))
    return report(name, outcomes)


def _broken_suspects():
    """Names of the suspects that fail a case, found by running them (no stored answer)."""
    cases = _linear_cases()
    return {
        name: text
        for name, fn in bug_hunt_suspects().items()
        for ok, text in [run_one(fn, cases[1], ("dout", "X", "W"), ())]
        if not ok
    }


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
        return report(
            "check_bug_hunt",
            [(False, f"answer with a suspect's name, e.g. check_bug_hunt('A'); got {type_name(answer)}")],
        )
    name = answer.strip().upper()
    if name not in suspects:
        return report(
            "check_bug_hunt", [(False, f"there is no suspect {answer!r}; choose one of: {', '.join(suspects)}")]
        )
    broken = _broken_suspects()
    if name in broken:
        return report(
            "check_bug_hunt", [(True, f"suspect {name} is the broken one — on a batch of N = 5, {broken[name]}")]
        )
    return report(
        "check_bug_hunt",
        [
            (
                False,
                f"suspect {name} is innocent: it passes every case. "
                "Run check_linear_backward on each suspect, or compare "
                "its dW with numerical gradients",
            )
        ],
    )


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


def neuron_gradients():
    """dE/d(input) for E = (tanh(w1*x1 + w2*x2 + b) - y)**2.

    At x1 = 1.5, x2 = -0.5, y = 1, w1 = 0.8, w2 = -0.4, b = 0.1.
    """
    x1, x2, y, w1, w2, b = 1.5, -0.5, 1.0, 0.8, -0.4, 0.1
    z = w1 * x1 + w2 * x2 + b  # forward
    a = math.tanh(z)
    dE_da = 2 * (a - y)  # E = (a - y)**2
    dE_dz = (1 - a**2) * dE_da  # tanh's local derivative × upstream gradient
    return {"w1": x1 * dE_dz, "w2": x2 * dE_dz, "b": dE_dz, "x1": w1 * dE_dz, "x2": w2 * dE_dz}


def central_differences(f, p, h=1e-5):
    """Central differences: grad[i] = (f(p + h e_i) - f(p - h e_i)) / 2h, each entry nudged in place."""
    grad = np.zeros_like(p)
    for i in np.ndindex(p.shape):  # every entry, whatever the shape of p
        old = p[i]
        p[i] = old + h
        f_plus = f(p)
        p[i] = old - h
        f_minus = f(p)
        p[i] = old  # put it back
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def bug_hunt():
    """The broken suspect: C overwrites dW and db in its loop (=) instead of adding (+=)."""
    return "C"


# show_solution("check_x") prints SOLUTIONS["check_x"]
SOLUTIONS = {
    "check_neuron_gradients": neuron_gradients,
    "check_central_differences": central_differences,
    "check_linear_backward": linear_backward,
    "check_two_layer_backward": two_layer_backward,
    "check_bug_hunt": bug_hunt,
}
