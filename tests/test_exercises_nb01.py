"""Notebook 01's checkers (backprop_lessons/exercises/nb01_forward_pass.py).

The reference solutions pass; each typical mistake gets the hint that names it, and
only that one; the issue-12 case (subtracting b was told "sigmoid(-z)", because case 1
had w·x = 0) is pinned; a stub prints one line.
"""

import numpy as np
import pytest
from _exercises import run

from backprop_lessons.exercises import nb01_forward_pass as nb01


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


CHECKERS = {
    "line_x2": nb01.check_line_x2,
    "neuron_forward": nb01.check_neuron_forward,
    "mlp_forward": nb01.check_mlp_forward,
    "layer_forward": nb01.check_layer_forward,
}


@pytest.mark.parametrize("name", CHECKERS)
def test_reference_solution_passes(capsys, name):
    result, out = run(capsys, CHECKERS[name], nb01.SOLUTIONS["check_" + name])
    assert result.passed and result.n_cases >= 3
    assert out.strip().splitlines()[-1] == f"All {result.n_cases} cases passed."


def forward(X, params, act=sigmoid, last=lambda z: z):
    A = X
    for k, (W, b) in enumerate(params):
        Z = A @ W + b
        A = act(Z) if k < len(params) - 1 else last(Z)
    return A


def no_hidden_activation(X, params):
    return forward(X, params, act=lambda z: z)


WRONG = [
    ("neuron_forward", lambda x, w, b: sigmoid(-(w @ x + b)), "sign inside the exponential"),
    ("neuron_forward", lambda x, w, b: sigmoid(w @ x - b), "you subtracted the bias"),
    ("neuron_forward", lambda x, w, b: sigmoid(w @ x), "bias b is missing"),
    ("neuron_forward", lambda x, w, b: sigmoid(w * x + b), "did not add the products up"),
    ("neuron_forward", lambda x, w, b: w @ x + b, "squash it with the sigmoid"),
    ("neuron_forward", lambda x, w, b: np.tanh(w @ x + b), "that is tanh"),
    ("neuron_forward", lambda x, w, b: np.array([sigmoid(w @ x + b)]), "inside an array of shape (1,)"),
    ("mlp_forward", lambda X, p: forward(X, p, last=sigmoid), "the last layer has no activation"),
    ("mlp_forward", no_hidden_activation, "no activation between the layers"),
    ("mlp_forward", lambda X, p: forward(sigmoid(X), p), "applied the sigmoid to the input"),
    ("mlp_forward", lambda X, p: forward(X, p, act=np.tanh), "that is tanh between the layers"),
    ("mlp_forward", lambda X, p: forward(X, p[:1]), "stopped after the first layer"),
    ("layer_forward", lambda X, W, b: X @ W, "bias b is missing"),
    ("layer_forward", lambda X, W, b: (X @ W + b).T, "transposed"),
]


@pytest.mark.parametrize("name, fn, hint", WRONG, ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG)])
def test_wrong_answer_gets_the_hint_naming_the_mistake(capsys, name, fn, hint):
    result, out = run(capsys, CHECKERS[name], fn)
    assert not result.passed
    assert hint in out, out


def test_subtracting_the_bias_is_never_called_sigmoid_of_minus_z(capsys):
    """Issue 12 §6: with w·x = 0 in case 1, σ(w·x − b) = σ(−z) and the hint named the wrong mistake."""
    result, out = run(capsys, nb01.check_neuron_forward, lambda x, w, b: sigmoid(w @ x - b))
    assert result.n_passed == 0
    assert "sigmoid(-z)" not in out
    assert out.count("you subtracted the bias") == result.n_cases


def test_an_ambiguous_case_names_no_mistake():
    """Where two mistakes give the same number, neither hint is kept: the checker says what differs."""
    alternatives = [(0.25, "mistake A"), (0.25, "mistake B"), (0.75, "mistake C"), (0.5, "the right answer")]
    assert nb01._distinct(alternatives, 0.5) == [(0.75, "mistake C")]


def test_one_layer_case_does_not_guess_between_equal_mistakes(capsys):
    # With one layer, "sigmoid after the last layer" and "returned the first hidden layer" coincide.
    result, out = run(capsys, nb01.check_mlp_forward, lambda X, p: forward(X, p, last=sigmoid))
    first = out.splitlines()[0]
    assert first.startswith("✗ case 1") and "expected" in first
    assert "the last layer has no activation" not in first and "first hidden layer" not in first


def test_shape_error_shows_the_shapes_not_the_arrays(capsys):
    def transposed(X, params):
        A = X
        for W, b in params:
            A = sigmoid(A @ W.T + b)
        return A

    _, out = run(capsys, nb01.check_mlp_forward, transposed)
    assert "params = [(W (2, 3), b (3,)), (W (3, 1), b (1,))]" in out


@pytest.mark.parametrize("name", CHECKERS)
def test_a_stub_prints_one_line(capsys, name):
    def stub(*args):
        raise NotImplementedError()

    result, out = run(capsys, CHECKERS[name], stub)
    assert not result.passed
    assert out.strip().splitlines() == [
        "✗ `stub` is not written yet: replace `raise NotImplementedError()` with your code, then run this cell again"
    ]


def test_mlp_checker_agrees_with_the_package_layers():
    """The checker's right answer is computed independently of backprop_lessons.layers: compare."""
    from backprop_lessons.layers import Linear, Sequential, Sigmoid

    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 3))
    params = [(rng.normal(size=(3, 4)), rng.normal(size=4)), (rng.normal(size=(4, 2)), rng.normal(size=2))]
    model = Sequential(Linear(3, 4), Sigmoid(), Linear(4, 2))
    for layer, (W, b) in zip((model[0], model[2]), params):
        layer.params["W"][...] = W
        layer.params["b"][...] = b
    np.testing.assert_allclose(nb01.mlp_forward(X, params), model.forward(X), rtol=1e-12)


LINE_WRONG = [
    (lambda x1, w, b: (w[0] * x1 + b) / w[1], "the minus sign is missing"),
    (lambda x1, w, b: -(w[0] * x1) / w[1], "the bias b is missing"),
    (lambda x1, w, b: -(w[0] * x1 - b) / w[1], "check the sign of b"),
    (lambda x1, w, b: -(w[0] * x1 + b) / w[0], "divide by w2"),
    (lambda x1, w, b: -(w[1] * x1 + b) / w[0], "w1 and w2 are swapped"),
    (lambda x1, w, b: -w[0] * x1 / w[1] + b, "only part of it is divided by w2"),
]


@pytest.mark.parametrize("fn, hint", LINE_WRONG)
def test_line_x2_mistakes_are_named(capsys, fn, hint):
    result, out = run(capsys, nb01.check_line_x2, fn)
    assert result.n_passed == 0 and out.count(hint) >= 2, out


def test_line_x2_reference_lies_on_the_line():
    rng = np.random.default_rng(3)
    x1, w, b = rng.normal(size=7), np.array([0.7, -1.3]), 0.4
    x2 = nb01.line_x2(x1, w, b)
    np.testing.assert_allclose(w[0] * x1 + w[1] * x2 + b, 0.0, atol=1e-12)
