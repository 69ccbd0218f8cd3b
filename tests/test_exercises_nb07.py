"""Checkers of notebook 07 (exercises/nb07_vanishing_gradients.py): right answers pass, mistakes are named.

Each checker is run with its reference solution, with the typical wrong answers it
claims to diagnose (the hint must NAME that mistake, and only where the signature is
unambiguous), with a stub, a function that raises, returns None or a string. The
reference solutions are compared with the package's layers and with finite differences.
"""

import numpy as np
import pytest
from _exercises import run

from backprop_lessons.exercises import nb07_vanishing_gradients as nb07
from backprop_lessons.gradcheck import numerical_gradient, rel_error
from backprop_lessons.layers import BatchNorm1d, Linear, Residual, Sequential, Tanh
from backprop_lessons.optim import clip_grad_norm

CHECKERS = ["vanishing_bound", "clip_by_norm", "residual_backward", "batchnorm_backward"]


def tanh_grads(d, X, W, b):
    h = np.tanh(X @ W + b)
    return h, d * (1 - h**2)


def bn_parts(X, eps):
    mean, var = X.mean(0), X.var(0)
    s = 1 / np.sqrt(var + eps)
    return (X - mean) * s, s


@pytest.mark.parametrize("name", CHECKERS)
def test_reference_solution_passes(capsys, name):
    result, out = run(capsys, getattr(nb07, "check_" + name), nb07.SOLUTIONS["check_" + name])
    assert result.passed and result.n_cases >= 3
    assert out.strip().splitlines()[-1] == f"All {result.n_cases} cases passed."


WRONG = [
    ("vanishing_bound", lambda L, w: 0.25**L, "the weight is missing"),
    ("vanishing_bound", lambda L, w: abs(w) * 0.25**L, "w appears in EVERY factor"),
    ("vanishing_bound", lambda L, w: (0.25 * w) ** L, "uses |w|"),
    ("vanishing_bound", lambda L, w: 0.25 * abs(w) * L, "MULTIPLIES"),
    ("vanishing_bound", lambda L, w: (0.5 * abs(w)) ** L, "largest slope is 0.25"),
    ("vanishing_bound", lambda L, w: (0.25 * abs(w)) ** (L - 1), "off by one layer"),
    ("clip_by_norm", lambda g, m: np.clip(g, -m, m), "clipped each entry"),
    ("clip_by_norm", lambda g, m: g * m / np.linalg.norm(g), "scaled a small gradient UP"),
    ("clip_by_norm", lambda g, m: np.linalg.norm(g), "got a single number"),
    (
        "residual_backward",
        lambda d, X, W, b: (
            (tanh_grads(d, X, W, b)[1]) @ W.T,
            X.T @ tanh_grads(d, X, W, b)[1],
            tanh_grads(d, X, W, b)[1].sum(0),
        ),
        "dropped the skip path",
    ),
    (
        "residual_backward",
        lambda d, X, W, b: (d, X.T @ tanh_grads(d, X, W, b)[1], tanh_grads(d, X, W, b)[1].sum(0)),
        "kept only the skip path",
    ),
    ("residual_backward", lambda d, X, W, b: (d + d @ W.T, X.T @ d, d.sum(0)), "skipped the tanh"),
    (
        "residual_backward",
        lambda d, X, W, b: (
            d + (d * (1 - (X @ W + b) ** 2)) @ W.T,
            X.T @ (d * (1 - (X @ W + b) ** 2)),
            (d * (1 - (X @ W + b) ** 2)).sum(0),
        ),
        "not 1 − z**2",
    ),
    (
        "residual_backward",
        lambda d, X, W, b: (
            d + tanh_grads(d, X, W, b)[1] @ W,
            X.T @ tanh_grads(d, X, W, b)[1],
            tanh_grads(d, X, W, b)[1].sum(0),
        ),
        "W.T",
    ),
    (
        "batchnorm_backward",
        lambda d, X, g, e: (d * g * bn_parts(X, e)[1], (d * bn_parts(X, e)[0]).sum(0), d.sum(0)),
        "as constants",
    ),
    (
        "batchnorm_backward",
        lambda d, X, g, e: (bn_parts(X, e)[1] * (d * g - (d * g).mean(0)), (d * bn_parts(X, e)[0]).sum(0), d.sum(0)),
        "VARIANCE is missing",
    ),
    (
        "batchnorm_backward",
        lambda d, X, g, e: (
            bn_parts(X, e)[1] * (d * g - bn_parts(X, e)[0] * (d * g * bn_parts(X, e)[0]).mean(0)),
            (d * bn_parts(X, e)[0]).sum(0),
            d.sum(0),
        ),
        "MEAN is missing",
    ),
    (
        "batchnorm_backward",
        lambda d, X, g, e: (
            nb07.batchnorm_backward(d, X, np.ones_like(g), e)[0],
            (d * bn_parts(X, e)[0]).sum(0),
            d.sum(0),
        ),
        "γ is missing",
    ),
    (
        "batchnorm_backward",
        lambda d, X, g, e: (nb07.batchnorm_backward(d, X, g, e)[0], (d * X).sum(0), d.sum(0)),
        "NORMALIZED input",
    ),
    ("batchnorm_backward", lambda d, X, g, e: (*nb07.batchnorm_backward(d, X, g, e)[:2], d.mean(0)), "times too small"),
    (
        "batchnorm_backward",
        lambda d, X, g, e: nb07._batchnorm_grads(d, X, g, e, "eps_outside"),
        "INSIDE the square root",
    ),
    ("batchnorm_backward", lambda d, X, g, e: nb07.batchnorm_backward(d, X, g, 0.0), "ε is missing"),
]


@pytest.mark.parametrize("name, fn, hint", WRONG, ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG)])
def test_wrong_answer_gets_a_hint_naming_the_mistake(capsys, name, fn, hint):
    result, out = run(capsys, getattr(nb07, "check_" + name), fn)
    assert not result.passed and hint in out, out


def test_issue12_swapped_base_and_exponent_is_not_called_off_by_one(capsys):
    # issue 12 §6: `L**0.25` was told "off by one layer" (at L = 1 both give 1)
    result, out = run(capsys, nb07.check_vanishing_bound, lambda L, w: L**0.25)
    assert result.n_passed == 0
    assert "off by one" not in out and out.count("exponent and base swapped") == result.n_cases


def test_a_hint_is_given_only_when_the_signature_is_unambiguous():
    # Two different mistakes with the same number on a case: neither hint is kept.
    kept = nb07._unambiguous([(1.0, "mistake A"), (1.0, "mistake B"), (3.0, "mistake C"), (2.0, "right")], 2.0)
    assert kept == [(3.0, "mistake C")]
    # The same hint twice is one signature, not a clash.
    assert [h for _, h in nb07._unambiguous([(1.0, "A"), (1.0, "A")], 2.0)] == ["A", "A"]


def test_stub_and_errors_give_one_line(capsys):
    def residual_backward(dout, X, W, b):
        raise NotImplementedError()

    result, out = run(capsys, nb07.check_residual_backward, residual_backward)
    assert out.strip().splitlines() == [
        "✗ `residual_backward` is not written yet: replace `raise NotImplementedError()` with your code, "
        "then run this cell again"
    ]
    assert not result.passed
    for name in CHECKERS:
        checker = getattr(nb07, "check_" + name)
        result, out = run(capsys, checker, lambda *args: None)
        assert result.n_passed == 0 and out.count("did you forget `return`?") == result.n_cases
        result, out = run(capsys, checker, lambda *args: "oops")
        assert result.n_passed == 0 and "got a string 'oops'" in out


def test_clip_per_array_instead_of_global_norm(capsys):
    def per_array(grads, max_norm):
        if isinstance(grads, dict):
            return {k: nb07.clip_by_norm(g, max_norm) for k, g in grads.items()}
        return nb07.clip_by_norm(grads, max_norm)

    result, out = run(capsys, nb07.check_clip_by_norm, per_array)
    assert (result.n_passed, result.n_cases) == (3, 4) and "ONE global norm" in out


def test_clip_accepts_in_place_scaling(capsys):
    def in_place(grads, max_norm):
        arrays = list(grads.values()) if isinstance(grads, dict) else [grads]
        norm = np.sqrt(sum(np.sum(g**2) for g in arrays))
        for g in arrays:
            g *= min(1.0, max_norm / norm)
        return grads

    assert run(capsys, nb07.check_clip_by_norm, in_place)[0].passed


# ----------------------------------------------- the right answers are right
def test_clip_reference_matches_the_package():
    rng = np.random.default_rng(2)
    grads = {"W": rng.normal(0, 5, size=(3, 2)), "b": rng.normal(0, 5, size=2)}
    ours = nb07.clip_by_norm(grads, 2.0)
    clip_grad_norm(grads, 2.0)
    for k in grads:
        np.testing.assert_allclose(ours[k], grads[k], rtol=1e-12)


def test_vanishing_bound_is_reached_by_the_chain_at_z_zero():
    from backprop_lessons.autograd import Value

    x = Value(0.5)
    a = x
    for _ in range(6):
        a = (8.0 * a - 4.0).sigmoid()  # z = 0 in every layer: the bound is reached
    a.backward()
    assert abs(x.grad - nb07.vanishing_bound(6, 8.0)) < 1e-9


def test_residual_reference_matches_the_package_and_finite_differences():
    rng = np.random.default_rng(3)
    X, dout = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    lin = Linear(3, 3, rng=4)
    block = Residual(Sequential(lin, Tanh()))
    block.forward(X)
    dX_pkg = block.backward(dout)
    dX, dW, db = nb07.residual_backward(dout, X, lin.W, lin.b)
    np.testing.assert_allclose(dX, dX_pkg, rtol=1e-10)
    np.testing.assert_allclose(dW, lin.grads["W"], rtol=1e-10)
    np.testing.assert_allclose(db, lin.grads["b"], rtol=1e-10)
    W, b = lin.W.copy(), lin.b.copy()
    num = numerical_gradient(lambda X_: np.sum((X_ + np.tanh(X_ @ W + b)) * dout), X.copy())
    assert rel_error(num, dX) < 1e-7


def test_batchnorm_reference_matches_the_package_and_finite_differences():
    rng = np.random.default_rng(4)
    X, dout = rng.normal(1.0, 2.0, size=(6, 3)), rng.normal(size=(6, 3))
    gamma = rng.uniform(0.5, 2.0, size=3)
    layer = BatchNorm1d(3)
    layer.params["gamma"][...] = gamma
    layer.forward(X)
    dX_pkg = layer.backward(dout)
    dX, dgamma, dbeta = nb07.batchnorm_backward(dout, X, gamma, layer.eps)
    np.testing.assert_allclose(dX, dX_pkg, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(dgamma, layer.grads["gamma"], rtol=1e-10)
    np.testing.assert_allclose(dbeta, layer.grads["beta"], rtol=1e-10)

    def loss(X_):
        xhat = (X_ - X_.mean(0)) / np.sqrt(X_.var(0) + layer.eps)
        return np.sum((gamma * xhat) * dout)

    assert rel_error(numerical_gradient(loss, X.copy()), dX) < 1e-6
