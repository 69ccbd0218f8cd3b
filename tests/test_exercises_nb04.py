"""Checkers of notebook 04 (backpropagation): one neuron by hand, the linear layer and the 2-layer
backward pass, the gradient check written by the learner, the bug hunt.

Pins the issue-12 §6 cases: a scalar db2 is told its shape (not "do not sum"), gradients returned
in the wrong order are named as such (not only the shapes repeated).
"""

import json
import math
import pathlib

import numpy as np
import pytest
from _exercises import ex, run, solutions

from backprop_lessons.exercises import nb04_backpropagation as nb04
from backprop_lessons.exercises.nb04_bugs import bug_hunt_suspects

ROOT = pathlib.Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------ check_neuron_gradients
def test_neuron_reference_matches_finite_differences_and_the_value_engine(capsys):
    from backprop_lessons.autograd import Value

    n = nb04.NEURON
    ref = nb04.neuron_gradients()
    values = {k: Value(v) for k, v in n.items()}
    E = ((values["w1"] * values["x1"] + values["w2"] * values["x2"] + values["b"]).tanh() - values["y"]) ** 2
    E.backward()
    for k in ("w1", "w2", "b", "x1", "x2"):
        assert math.isclose(ref[k], values[k].grad, rel_tol=1e-12)
    assert run(capsys, nb04.check_neuron_gradients, nb04.neuron_gradients)[0].passed


@pytest.mark.parametrize(
    "mistake, words",
    [
        ("no_tanh", "skipped tanh's local derivative"),
        ("of_z", "not 1 − z²"),
        ("tanh_not_slope", "multiplied by a = tanh(z) itself"),
        ("no_two", "the factor 2 is missing"),
    ],
)
def test_neuron_mistakes_are_named(capsys, mistake, words):
    wrong = nb04._neuron_grads(**nb04.NEURON, mistake=mistake)
    answers = {k: wrong[k] for k in ("w1", "w2", "b", "x1", "x2")}
    result, out = run(capsys, nb04.check_neuron_gradients, answers)
    assert result.n_passed == 0 and out.count(words) == 5, out


def test_neuron_local_derivative_only_and_key_styles(capsys):
    ref = nb04.neuron_gradients()
    result, out = run(capsys, nb04.check_neuron_gradients, {**ref, "w1": nb04.NEURON["x1"]})
    assert result.n_passed == 4 and "only the local derivative ∂z/∂w1 = x1" in out
    result, out = run(
        capsys, nb04.check_neuron_gradients, {"d" + k if k != "b" else "dE/db": v for k, v in ref.items()}
    )
    assert result.passed, out


# --------------------------------------------------------------- check_central_differences
def test_central_differences_reference_and_package_agree(capsys):
    from backprop_lessons.gradcheck import numerical_gradient

    assert run(capsys, nb04.check_central_differences, nb04.central_differences)[0].passed
    assert run(capsys, nb04.check_central_differences, numerical_gradient)[0].passed


def _central(restore=True, divide=2.0, sign=1.0, first_only=False, forward=False):
    def central_differences(f, p, h=1e-5):
        grad = np.zeros_like(p)
        for k, i in enumerate(np.ndindex(p.shape)):
            if first_only and k > 0:
                break
            old = p[i]
            p[i] = old + h
            f_plus = f(p)
            p[i] = old if forward else old - h
            f_minus = f(p)
            if restore:
                p[i] = old
            grad[i] = sign * (f_plus - f_minus) / ((1.0 if forward else divide) * h)
        return grad

    return central_differences


@pytest.mark.parametrize(
    "fn, words",
    [
        (_central(forward=True), "that is the forward difference"),
        (_central(divide=1.0), "divide by 2h"),
        (_central(sign=-1.0), "wrong sign"),
        (_central(restore=False), "p was not restored"),
        (_central(first_only=True), "nudge every entry of p"),
        (lambda f, p, h=1e-5: list(p), "expected a numpy array shaped like p"),
    ],
)
def test_central_differences_mistakes_are_named(capsys, fn, words):
    result, out = run(capsys, nb04.check_central_differences, fn)
    assert not result.passed and words in out, out


def test_central_differences_stub_and_wrong_call(capsys):
    def central_differences(f, p, h=1e-5):
        raise NotImplementedError()

    result, out = run(capsys, nb04.check_central_differences, central_differences)
    assert not result.passed and out.count("\n") == 1 and "is not written yet" in out
    result, out = run(capsys, nb04.check_central_differences, 3.0)
    assert not result.passed and "needs your function itself" in out


# ----------------------------------------------------------- issue 12 §6 cases of notebook 04
def test_a_scalar_db2_is_told_its_shape_not_do_not_sum(capsys):
    def fn(*args):
        grads = solutions.two_layer_backward(*args)
        grads["b2"] = float(grads["b2"].sum())
        return grads

    result, out = run(capsys, ex.check_two_layer_backward, fn)
    assert result.n_passed == 0 and out.count("right number, wrong shape: db2 must have b2's shape (1,)") == 3
    assert "do not sum" not in out


def test_gradients_in_the_wrong_order_are_named(capsys):
    result, out = run(capsys, ex.check_linear_backward, lambda d, X, W: (X.T @ d, d @ W.T, d.sum(0)))
    assert result.n_passed == 0 and out.count("you returned the gradients in another order") == 3


# ------------------------------------------------------------------- the notebook's bug hunt
def test_the_bug_hunt_cell_runs_no_checker_before_the_learner_answers():
    nb = json.loads((ROOT / "solutions" / "04_backpropagation.ipynb").read_text())
    sources = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    ask = next(i for i, s in enumerate(sources) if "def culprit" in s)
    start = next(i for i, s in enumerate(sources) if "bug_hunt_suspects()" in s)
    for s in sources[start:ask]:
        code = [line for line in s.splitlines() if not line.lstrip().startswith("#")]
        assert not any("check_" in line for line in code), s


def loop_linear_backward(dout, X, W):
    """The classic `=` instead of `+=`: only the last example's dW and db survive."""
    dX = dout @ W.T
    for n in range(len(X)):
        dW = np.outer(X[n], dout[n])
        db = dout[n]
    return dX, dW, db


def test_overwriting_instead_of_accumulating_is_named(capsys):
    result, out = run(capsys, ex.check_linear_backward, loop_linear_backward)
    assert result.n_passed == 1  # N = 1: one contribution is all there is
    assert out.count("accumulate with +=, not =") == 2


def test_two_layer_mistakes_are_named_on_the_first_wrong_gradient(capsys):
    def make(dz1, scale=1.0, sign=1.0):
        def fn(X, y, W1, b1, W2, b2):
            z1 = X @ W1 + b1
            h = np.tanh(z1)
            dy = sign * scale * 2 * (h @ W2 + b2 - y) / y.size
            dh = dy @ W2.T
            d = dz1(dh, h, z1)
            return {"dW1": X.T @ d, "db1": d.sum(0), "dW2": h.T @ dy, "db2": dy.sum(0)}

        return fn

    right = lambda dh, h, z: dh * (1 - h**2)  # noqa: E731
    cases = [
        (make(lambda dh, h, z: dh), "— W1", "you skipped the tanh"),
        (make(lambda dh, h, z: dh * (1 - z**2)), "— W1", "not 1 - z1**2"),
        (make(lambda dh, h, z: 1 - h**2), "— W1", "upstream gradient dh"),
        (make(right, scale=7.0), "— W2", "forgot to divide by N"),
        (make(right, scale=0.5), "— W2", "a factor 2 is missing"),
        (make(right, sign=-1.0), "— W2", "wrong sign"),
    ]
    assert run(capsys, ex.check_two_layer_backward, make(right))[0].passed  # "dW1" keys work
    for fn, part, hint in cases:
        result, out = run(capsys, ex.check_two_layer_backward, fn)
        assert not result.passed and hint in out and part in out, out


def test_two_layer_missing_key(capsys):
    def fn(X, y, W1, b1, W2, b2):
        grads = solutions.two_layer_backward(X, y, W1, b1, W2, b2)
        del grads["b1"]
        return grads

    result, out = run(capsys, ex.check_two_layer_backward, fn)
    assert result.n_passed == 0 and "your dict is missing 'b1'" in out


# ------------------------------------------------------------------------- bug hunt
def test_exactly_one_suspect_is_broken_and_the_hunt_checks_it(capsys):
    verdicts = {n: run(capsys, ex.check_linear_backward, f)[0].passed for n, f in bug_hunt_suspects().items()}
    assert verdicts == {"A": True, "B": True, "C": False, "D": True}
    result, out = run(capsys, ex.check_bug_hunt, " c ")
    assert result.passed and "suspect C is the broken one" in out and "accumulate with +=" in out
    assert run(capsys, ex.check_bug_hunt, bug_hunt_suspects()["C"])[0].passed
    result, out = run(capsys, ex.check_bug_hunt, "A")
    assert not result.passed and "suspect A is innocent" in out
    result, out = run(capsys, ex.check_bug_hunt, "E")
    assert not result.passed and "choose one of: A, B, C, D" in out


@pytest.mark.parametrize(
    "variant, hint",
    [
        ("missing_transpose", "transpose"),
        ("db_not_summed", "sum over the batch axis"),
        ("db_averaged", "times too small"),
        ("forgot_dout", "forgot the upstream gradient dout"),
    ],
)
def test_broken_linear_variants_are_diagnosed(capsys, variant, hint):
    result, out = run(capsys, ex.check_linear_backward, ex.buggy_linear_backward_variants()[variant])
    assert not result.passed and hint in out


@pytest.mark.parametrize("variant, hint", [("forgot_tanh", "skipped the tanh"), ("wrong_sign", "wrong sign")])
def test_broken_two_layer_variants_are_diagnosed(capsys, variant, hint):
    result, out = run(capsys, ex.check_two_layer_backward, ex.buggy_two_layer_backward_variants()[variant])
    assert result.n_passed == 0 and hint in out


# ---------------------------------------------------------------------- show_solution
