"""Notebook 09's checkers: early stopping with patience, a network's L2 penalty, inverted dropout.

Each checker passes its reference, names each typical mistake only when that mistake alone
explains the answer, and never raises on a stub or a wrong type. The references agree with
the package (layers.Dropout, train(l2=...)) and with finite differences.
"""

import numpy as np
import pytest
from _exercises import ex, run, solutions

from backprop_lessons.exercises import nb09_generalization as nb09
from backprop_lessons.gradcheck import numerical_gradient, rel_error
from backprop_lessons.layers import Dropout, mlp


def test_references_pass(capsys):
    assert run(capsys, ex.check_early_stopping, solutions.early_stopping)[0].passed
    assert run(capsys, ex.check_l2_penalty, solutions.l2_penalty)[0].passed
    assert run(capsys, ex.check_dropout, *solutions.dropout)[0].passed


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda v, p: nb09._stopping(v, p, base=0), "your epochs are 0-based"),
        (
            lambda v, p: nb09._stopping(v, p, improves=lambda new, best: new <= best),
            "an equal loss is not an improvement",
        ),
        (lambda v, p: nb09._stopping(v, p + 1), "one epoch too long"),
        (lambda v, p: nb09._stopping(v, max(p - 1, 1)), "one epoch too early"),
        (lambda v, p: nb09._stopping(v, p)[::-1], "the order is (stop_epoch, best_epoch)"),
    ],
)
def test_early_stopping_mistakes_are_named(capsys, wrong, hint):
    result, out = run(capsys, ex.check_early_stopping, wrong)
    assert not result.passed and hint in out
    # a case the mistake does not change passes; a failing case names only that mistake
    for line in out.splitlines():
        if line.startswith("✗"):
            assert hint in line or "keep the best loss" in line


def test_early_stopping_bad_types(capsys):
    result, out = run(capsys, ex.check_early_stopping, lambda v, p: [3.5, 1])
    assert not result.passed and "two whole numbers, got a list" in out

    def stub(val_loss, patience):
        raise NotImplementedError()

    assert run(capsys, ex.check_early_stopping, stub)[1].strip().endswith("then run this cell again")


def test_l2_penalty_mistakes(capsys):
    result, out = run(capsys, ex.check_l2_penalty, lambda params, lam: nb09._l2_reference(params, lam, half=False))
    assert not result.passed and "twice too large" in out
    result, out = run(
        capsys, ex.check_l2_penalty, lambda params, lam: nb09._l2_reference(params, lam, weights_only=False)
    )
    assert not result.passed and "the biases are penalized too" in out
    result, out = run(capsys, ex.check_l2_penalty, lambda params, lam: {"0.W": 1})
    assert "expected a tuple (penalty, grads)" in out

    def in_place(params, lam):
        for value in params.values():
            value *= 1 - lam
        return nb09.l2_penalty(params, lam)

    assert "changed the parameters in place" in run(capsys, ex.check_l2_penalty, in_place)[1]


def test_l2_penalty_as_a_0d_array_is_a_number(capsys):
    def zero_d(params, lam):
        penalty, grads = nb09.l2_penalty(params, lam)
        return np.array(penalty), grads  # np.sum(...) style: one number in an array

    assert run(capsys, ex.check_l2_penalty, zero_d)[0].passed
    result, out = run(capsys, ex.check_l2_penalty, lambda params, lam: ("0.1", nb09.l2_penalty(params, lam)[1]))
    assert not result.passed and "the penalty must be one number" in out
    result, out = run(
        capsys, ex.check_l2_penalty, lambda params, lam: (0.0, {k: np.zeros_like(v) for k, v in params.items()})
    )
    assert not result.passed and "the penalty and the gradients are wrong" in out


def test_l2_reference_is_what_train_adds():
    model = mlp([2, 4, 1], rng=0)
    params = {k: v.copy() for k, v in model.params.items()}
    penalty, grads = nb09.l2_penalty(params, 0.05)
    for name, value in params.items():
        f = lambda a, name=name: nb09.l2_penalty({**params, name: a}, 0.05)[0]  # noqa: E731
        numeric = numerical_gradient(f, value.copy())
        assert np.allclose(grads[name], numeric, atol=1e-8), name
    assert penalty == pytest.approx(0.025 * sum(np.sum(v**2) for k, v in params.items() if k.endswith("W")))


def _fwd(scale=True, keep_prob_is_p=False, eval_drops=False, fresh_mask_backward=False):
    def forward(X, p, rng, training):
        if not training and not eval_drops:
            return X, None
        keep = rng.random(X.shape) < p if keep_prob_is_p else rng.random(X.shape) >= p
        mask = keep / (1 - p) if scale else keep * 1.0
        return X * mask, mask

    return forward


@pytest.mark.parametrize(
    "forward, backward, hint",
    [
        (_fwd(scale=False), lambda d, c: d * c, "forgot to scale the kept units"),
        (_fwd(keep_prob_is_p=True), lambda d, c: d * c, "p is the probability of DROPPING"),
        (_fwd(eval_drops=True), lambda d, c: d * c, "evaluation mode — out must be X unchanged"),
        (_fwd(), lambda d, c: d * (c > 0), "scale by 1/(1 − p) as the forward pass did"),
        (
            _fwd(),
            lambda d, c: d * (np.random.default_rng(9).random(d.shape) >= 0.3) / 0.7,
            "reuse it; do not draw a new one",
        ),
        (_fwd(), lambda d, c: c, "dX does not depend on dout"),  # passed while the checker's dout was all ones
    ],
)
def test_dropout_mistakes_are_named(capsys, forward, backward, hint):
    result, out = run(capsys, ex.check_dropout, forward, backward)
    assert not result.passed and hint in out


def test_dropout_stubs_and_errors(capsys):
    def forward(X, p, rng, training):
        raise NotImplementedError()

    assert "`forward` is not written yet" in run(capsys, ex.check_dropout, forward, nb09.dropout_backward)[1]

    def backward(dout, cache):
        raise NotImplementedError()

    assert "`backward` is not written yet" in run(capsys, ex.check_dropout, nb09.dropout_forward, backward)[1]
    result, out = run(capsys, ex.check_dropout, lambda X, p, rng, training: X, nb09.dropout_backward)
    assert not result.passed and "forward must return (out, cache)" in out


def test_dropout_reference_matches_the_layer_and_finite_differences():
    X = np.random.default_rng(3).normal(size=(6, 5))
    out, mask = nb09.dropout_forward(X, 0.3, np.random.default_rng(4), True)
    layer = Dropout(p=0.3, rng=4).freeze_mask()
    assert np.allclose(layer.forward(X), out)  # same generator, same draw, same mask
    dout = np.random.default_rng(5).normal(size=(6, 5))
    np.testing.assert_allclose(nb09.dropout_backward(dout, mask), layer.backward(dout))
    numeric = numerical_gradient(lambda A: np.sum(A * mask * dout), X.copy())
    assert rel_error(nb09.dropout_backward(dout, mask), numeric) < 1e-7
