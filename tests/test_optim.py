"""Optimizers, clipping and schedules against hand-computed numbers and a quadratic bowl."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from backprop_lessons import optim

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
arrays = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=5), elements=finite)


def ill_conditioned_quadratic(condition=50.0):
    """A = Q diag(1, condition) Q^T rotated by 30 degrees, so no axis-aligned shortcut exists."""
    th = np.pi / 6
    Q = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    return Q @ np.diag([1.0, condition]) @ Q.T


def minimize(opt, A, steps, p0=(1.0, -2.0)):
    """Run opt on f(p) = 0.5 p^T A p (gradient A p); the minimum is p = 0."""
    params = {"p": np.array(p0, dtype=float)}
    for _ in range(steps):
        opt.step(params, {"p": A @ params["p"]})
    return params["p"]


@pytest.mark.parametrize(
    "name, lr, steps",
    [
        ("sgd", 0.03, 1000),  # stable iff lr < 2/50; slow direction shrinks by (1 - 0.03) per step
        ("momentum", 0.01, 1000),
        # Adam moves each coordinate by at most ~lr per step, whatever the curvature:
        # from p0 = (1, -2), lr = 0.01 still needs ~5000 steps, lr = 0.1 is done in 1000.
        ("adam", 0.1, 1000),
    ],
)
def test_each_optimizer_converges_on_an_ill_conditioned_quadratic(name, lr, steps):
    A = ill_conditioned_quadratic(50.0)
    p = minimize(optim.make_optimizer(name, lr), A, steps)
    assert np.linalg.norm(p) < 1e-6
    assert 0.5 * p @ A @ p < 1e-10


def test_sgd_diverges_on_the_quadratic_when_lr_exceeds_2_over_largest_curvature():
    A = ill_conditioned_quadratic(50.0)
    p = minimize(optim.SGD(0.041), A, 200)  # 2/50 = 0.04: |1 - 0.041*50| = 1.05 > 1
    assert np.linalg.norm(p) > 10.0


@given(p=arrays, data=st.data(), lr=st.floats(1e-4, 10.0))
def test_sgd_first_step_is_exactly_p_minus_lr_g(p, data, lr):
    g = data.draw(hnp.arrays(np.float64, p.shape, elements=finite))
    expected = p - lr * g
    params = {"w": p.copy()}
    optim.SGD(lr).step(params, {"w": g})
    np.testing.assert_array_equal(params["w"], expected)  # bit for bit


def test_step_updates_the_callers_arrays_in_place():
    W = np.ones((2, 3))
    params = {"0.W": W}
    optim.Adam(0.1).step(params, {"0.W": np.full((2, 3), 0.5)})
    assert params["0.W"] is W
    np.testing.assert_allclose(W, 0.9, rtol=0, atol=1e-8)


def test_momentum_matches_a_hand_computed_two_step_sequence():
    # f(p) = 0.5 * 2 * p^2, so g = 2p; lr 0.1, beta 0.9, p0 = 1:
    # step 1: g = 2,   v = 2,              p = 1 - 0.1*2    = 0.8
    # step 2: g = 1.6, v = 0.9*2 + 1.6 = 3.4, p = 0.8 - 0.1*3.4 = 0.46
    opt = optim.Momentum(0.1, beta=0.9)
    params = {"p": np.array([1.0])}
    trajectory = []
    for _ in range(2):
        opt.step(params, {"p": 2.0 * params["p"]})
        trajectory.append(params["p"][0])
    np.testing.assert_allclose(trajectory, [0.8, 0.46], rtol=0, atol=1e-15)
    np.testing.assert_allclose(opt.state["p"]["v"], [3.4], rtol=0, atol=1e-15)


def test_momentum_step_under_constant_gradient_tends_to_lr_g_over_1_minus_beta():
    opt = optim.Momentum(0.01, beta=0.9)
    params, g = {"p": np.zeros(3)}, {"p": np.array([1.0, -2.0, 0.5])}
    for _ in range(400):
        before = params["p"].copy()
        opt.step(params, g)
    np.testing.assert_allclose(params["p"] - before, -0.01 * g["p"] / (1 - 0.9), rtol=1e-12)


@given(
    g=hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(1e-3, 1e3) | st.floats(-1e3, -1e-3)),
    lr=st.floats(1e-4, 1.0),
)
def test_adam_first_step_moves_each_coordinate_by_about_lr(g, lr):
    # With bias correction m_hat = g and v_hat = g**2 at t = 1, so the step is
    # lr * g / (|g| + eps): lr up to a relative 1e-8 / 1e-3 = 1e-5, whatever |g| is.
    params = {"w": np.zeros_like(g)}
    optim.Adam(lr).step(params, {"w": g})
    np.testing.assert_allclose(params["w"], -lr * np.sign(g), rtol=2e-5)


def test_adam_second_step_matches_the_formulas_by_hand():
    b1, b2, lr, eps = 0.9, 0.999, 0.1, 1e-8
    g1, g2 = 3.0, -1.0
    m1, v1 = (1 - b1) * g1, (1 - b2) * g1**2
    m2, v2 = b1 * m1 + (1 - b1) * g2, b2 * v1 + (1 - b2) * g2**2
    p1 = -lr * (m1 / (1 - b1)) / (math.sqrt(v1 / (1 - b2)) + eps)
    p2 = p1 - lr * (m2 / (1 - b1**2)) / (math.sqrt(v2 / (1 - b2**2)) + eps)
    opt = optim.Adam(lr, b1, b2, eps)
    params = {"w": np.array([0.0])}
    opt.step(params, {"w": np.array([g1])})
    assert params["w"][0] == pytest.approx(p1, rel=1e-13)
    opt.step(params, {"w": np.array([g2])})
    assert params["w"][0] == pytest.approx(p2, rel=1e-13)
    assert opt.state["w"]["t"] == 2


def test_state_is_kept_per_key_and_reset_forgets_it():
    opt = optim.Momentum(0.1, beta=0.5)
    params = {"a": np.zeros(2), "b": np.zeros(3)}
    grads = {"a": np.ones(2), "b": -np.ones(3)}
    opt.step(params, grads)
    opt.step(params, grads)
    np.testing.assert_array_equal(opt.state["a"]["v"], [1.5, 1.5])  # 0.5*1 + 1
    np.testing.assert_array_equal(opt.state["b"]["v"], [-1.5, -1.5, -1.5])
    # Key order does not matter: state follows the key, not the position.
    swapped = {"b": params["b"], "a": params["a"]}
    opt.step(swapped, {"b": grads["b"], "a": grads["a"]})
    np.testing.assert_array_equal(opt.state["a"]["v"], [1.75, 1.75])
    opt.reset()
    assert opt.state == {}
    before = params["a"].copy()
    opt.step(params, grads)
    np.testing.assert_allclose(params["a"], before - 0.1, rtol=0, atol=1e-15)  # first step again: v = g


def test_lr_is_mutable_between_steps():
    opt = optim.Momentum(0.1, beta=0.9)
    params = {"p": np.zeros(1)}
    opt.step(params, {"p": np.ones(1)})  # v = 1, p = -0.1
    opt.lr = 0.01
    opt.step(params, {"p": np.ones(1)})  # v = 1.9, p = -0.1 - 0.019
    assert params["p"][0] == pytest.approx(-0.119, abs=1e-15)
    with pytest.raises(ValueError, match="learning rate must be a positive number, got 0"):
        opt.lr = 0


def test_adam_with_a_zero_gradient_coordinate_stays_finite():
    params = {"w": np.array([1.0, 1.0])}
    optim.Adam(0.1).step(params, {"w": np.array([0.0, 1.0])})
    np.testing.assert_allclose(params["w"], [1.0, 0.9], rtol=0, atol=1e-8)  # eps prevents 0/0


# ---------------------------------------------------------------- clipping
def test_clip_grad_norm_returns_the_norm_before_clipping_and_scales_to_max_norm():
    grads = {"W": np.array([[3.0, 0.0]]), "b": np.array([4.0, 12.0])}  # total norm sqrt(9+16+144) = 13
    original = {k: v.copy() for k, v in grads.items()}
    W = grads["W"]
    norm = optim.clip_grad_norm(grads, 6.5)
    assert norm == pytest.approx(13.0, rel=1e-15)
    assert grads["W"] is W  # in place
    for key in grads:
        np.testing.assert_allclose(grads[key], original[key] * 0.5, rtol=1e-15)  # one scale for all: direction kept
    total = math.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
    assert total == pytest.approx(6.5, rel=1e-14)


@pytest.mark.parametrize("max_norm", [13.0, 13.0001, 100.0])
def test_clip_grad_norm_is_a_no_op_at_or_below_the_threshold(max_norm):
    grads = {"W": np.array([[3.0, 0.0]]), "b": np.array([4.0, 12.0])}
    original = {k: v.copy() for k, v in grads.items()}
    assert optim.clip_grad_norm(grads, max_norm) == pytest.approx(13.0, rel=1e-15)
    for key in grads:
        np.testing.assert_array_equal(grads[key], original[key])


@given(g=arrays, max_norm=st.floats(1e-3, 1e3))
def test_clip_grad_norm_property(g, max_norm):
    norm_before = float(np.sqrt(np.sum(g * g)))
    returned = optim.clip_grad_norm(g, max_norm)  # a single array works too
    assert returned == pytest.approx(norm_before, rel=1e-12, abs=1e-300)
    assert float(np.sqrt(np.sum(g * g))) <= max_norm * (1 + 1e-12) + 1e-300


def test_clip_grad_norm_leaves_non_finite_gradients_alone():
    grads = {"W": np.array([np.inf, 1.0])}
    assert optim.clip_grad_norm(grads, 1.0) == math.inf
    np.testing.assert_array_equal(grads["W"], [np.inf, 1.0])


# ---------------------------------------------------------------- schedules
def test_step_decay_values():
    schedule = optim.step_decay(0.1, factor=0.5, every=10)
    got = [schedule(e) for e in (0, 9, 10, 19, 20, 35)]
    np.testing.assert_allclose(got, [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125], rtol=1e-15)


def test_exponential_decay_values():
    schedule = optim.exponential_decay(0.2, rate=0.9)
    got = [schedule(e) for e in (0, 1, 2, 3)]
    np.testing.assert_allclose(got, [0.2, 0.18, 0.162, 0.1458], rtol=1e-14)


def test_schedule_drives_an_optimizer_lr():
    opt = optim.SGD(1.0)
    schedule = optim.step_decay(1.0, factor=0.1, every=2)
    lrs = []
    for epoch in range(5):
        opt.lr = schedule(epoch)
        lrs.append(opt.lr)
    np.testing.assert_allclose(lrs, [1.0, 1.0, 0.1, 0.1, 0.01], rtol=1e-15)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: optim.SGD(-0.1), ValueError, "learning rate must be a positive number, got -0.1"),
        (lambda: optim.SGD(0.0), ValueError, "learning rate must be a positive number, got 0"),
        (lambda: optim.Adam(float("nan")), ValueError, "learning rate must be a positive number, got nan"),
        (lambda: optim.Momentum(float("inf")), ValueError, "learning rate must be a positive number, got inf"),
        (lambda: optim.SGD("0.1"), TypeError, "learning rate must be a positive number, got str"),
        (lambda: optim.Momentum(0.1, beta=1.0), ValueError, "beta must be in [0, 1), got 1.0"),
        (lambda: optim.Adam(0.1, beta1=-0.1), ValueError, "beta1 must be in [0, 1), got -0.1"),
        (lambda: optim.Adam(0.1, beta2=float("nan")), ValueError, "beta2 must be in [0, 1), got nan"),
        (lambda: optim.Adam(0.1, eps=0), ValueError, "eps must be a positive number, got 0"),
        (
            lambda: optim.make_optimizer("rmsprop", 0.1),
            ValueError,
            "unknown optimizer 'rmsprop'; choose one of: adam, momentum, sgd",
        ),
        (lambda: optim.make_optimizer("sgd", -1), ValueError, "learning rate must be a positive number, got -1"),
        (lambda: optim.clip_grad_norm({"W": np.ones(2)}, 0), ValueError, "max_norm must be a positive number, got 0"),
        (lambda: optim.step_decay(0.1, factor=1.5), ValueError, "factor must be in (0, 1], got 1.5"),
        (lambda: optim.step_decay(0.1, every=0), ValueError, "every must be a positive whole number, got 0"),
        (
            lambda: optim.exponential_decay(0.1)(-1),
            ValueError,
            "epoch (counted from 0) must be a whole number >= 0, got -1",
        ),
        (
            lambda: optim.SGD(0.1).step({"W": np.ones(2)}, {"b": np.ones(2)}),
            ValueError,
            "params and grads need the same keys; missing grads ['W'], extra grads ['b']",
        ),
        (
            lambda: optim.SGD(0.1).step({"W": np.ones((2, 3))}, {"W": np.ones((3, 2))}),
            ValueError,
            "grads['W'] has shape (3, 2) but params['W'] has shape (2, 3)",
        ),
    ],
)
def test_bad_arguments_get_one_clear_message(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)


def test_reusing_an_optimizer_on_another_model_asks_for_reset():
    opt = optim.Adam(0.1)
    opt.step({"0.W": np.ones((2, 3))}, {"0.W": np.ones((2, 3))})
    expected = r"state for '0.W' has shape \(2, 3\), the parameter has shape \(4, 3\); call reset\(\)"
    with pytest.raises(ValueError, match=expected):
        opt.step({"0.W": np.ones((4, 3))}, {"0.W": np.ones((4, 3))})
    opt.reset()
    opt.step({"0.W": np.ones((4, 3))}, {"0.W": np.ones((4, 3))})  # fine after reset
    assert opt.state["0.W"]["m"].shape == (4, 3)


def test_optimizer_repr_shows_hyperparameters():
    assert repr(optim.Momentum(0.1, beta=0.5)) == "Momentum(lr=0.1, beta=0.5)"
    assert repr(optim.make_optimizer("adam", 0.01)) == "Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-08)"


# ------------------------------------------------ the notebook's step functions
def momentum_step(w, g, v, lr, beta=0.9):  # notebook 08, as printed there
    v = beta * v + g
    return w - lr * v, v


def adam_step(w, g, m, s, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):  # notebook 08, as printed there
    m = beta1 * m + (1 - beta1) * g
    s = beta2 * s + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t)
    s_hat = s / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(s_hat) + eps), m, s


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_optimizers_are_notebook_08s_step_functions_bit_for_bit(seed):
    rng = np.random.default_rng(seed)
    grads = [rng.normal(scale=10.0 ** rng.integers(-3, 3), size=(3, 4)) for _ in range(6)]
    w0 = rng.normal(size=(3, 4))
    sgd, mom, adam = optim.SGD(0.1), optim.Momentum(0.1, beta=0.8), optim.Adam(0.01)
    p_sgd, p_mom, p_adam = ({"W": w0.copy()} for _ in range(3))
    w_sgd, (w_mom, v), (w_adam, m, s) = w0, (w0, np.zeros_like(w0)), (w0, np.zeros_like(w0), np.zeros_like(w0))
    for t, g in enumerate(grads, start=1):
        sgd.step(p_sgd, {"W": g})
        mom.step(p_mom, {"W": g})
        adam.step(p_adam, {"W": g})
        w_sgd = w_sgd - 0.1 * g  # notebook 04 / 08's sgd_step
        w_mom, v = momentum_step(w_mom, g, v, 0.1, beta=0.8)
        w_adam, m, s = adam_step(w_adam, g, m, s, t, 0.01)
    np.testing.assert_array_equal(p_sgd["W"], w_sgd)
    np.testing.assert_array_equal(p_mom["W"], w_mom)
    np.testing.assert_array_equal(mom.state["W"]["v"], v)
    np.testing.assert_array_equal(p_adam["W"], w_adam)
    np.testing.assert_array_equal(adam.state["W"]["m"], m)
    np.testing.assert_array_equal(adam.state["W"]["s"], s)  # one name for the second moment: s
    assert adam.state["W"]["t"] == len(grads)
