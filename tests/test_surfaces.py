"""The 2-D loss surfaces of notebook 08: exact gradients, the landmarks they claim, and run_optimizer."""

import numpy as np
import pytest

from backprop_lessons.gradcheck import numerical_gradient, rel_error
from backprop_lessons.optim import SGD, Adam, Momentum
from backprop_lessons.surfaces import SURFACES, get_surface, run_optimizer

NAMES = list(SURFACES)


def _points(surface, n=25, seed=0):
    """Random points in (and a little beyond) the surface's window."""
    rng = np.random.default_rng(seed)
    (x0, x1), (y0, y1) = surface.xlim, surface.ylim
    return np.column_stack([rng.uniform(x0 - 1, x1 + 1, n), rng.uniform(y0 - 1, y1 + 1, n)])


@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_finite_differences(name):
    s = SURFACES[name]
    for p in _points(s):
        numeric = numerical_gradient(lambda q: float(s.f(q)), p.copy())
        assert rel_error(s.grad(p), numeric) < 1e-7, (name, p)


@pytest.mark.parametrize("name", NAMES)
def test_f_and_grad_are_vectorized_over_any_leading_shape(name):
    s = SURFACES[name]
    P = _points(s, n=12).reshape(3, 4, 2)
    E, G = s.f(P), s.grad(P)
    assert E.shape == (3, 4) and G.shape == (3, 4, 2)
    for i in range(3):
        for j in range(4):
            assert E[i, j] == pytest.approx(float(s.f(P[i, j])), rel=1e-12)
            np.testing.assert_allclose(G[i, j], s.grad(P[i, j]), rtol=1e-12)
    W1, W2 = P[..., 0], P[..., 1]
    np.testing.assert_allclose(s.f_xy(W1, W2), E, rtol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_minimum_is_a_stationary_point_with_the_lowest_loss(name):
    s = SURFACES[name]
    assert np.linalg.norm(s.grad(np.array(s.minimum))) < 1e-9
    assert s.E_min == pytest.approx(0.0, abs=1e-12)
    w1 = np.linspace(*s.xlim, 301)
    w2 = np.linspace(*s.ylim, 301)
    W1, W2 = np.meshgrid(w1, w2)
    assert s.f_xy(W1, W2).min() >= s.E_min - 1e-12
    assert s.f(np.array(s.start)) > s.E_min + 0.5  # every race starts well above the bottom
    x, y = s.start
    assert s.xlim[0] < x < s.xlim[1] and s.ylim[0] < y < s.ylim[1]


def test_ravine_curvatures_and_stability_limit():
    s = SURFACES["ravine"]
    # Hessian by finite differences of the exact gradient: diag(0.1, 18).
    H = np.array([(s.grad(np.array(e) * 1e-4) - s.grad(-np.array(e) * 1e-4)) / 2e-4 for e in np.eye(2)])
    np.testing.assert_allclose(H, np.diag([0.1, 18.0]), atol=1e-8)
    assert run_optimizer(SGD(0.105), s, 300).diverged_at is None  # below 2/18
    assert run_optimizer(SGD(0.12), s, 300).diverged_at is not None  # above 2/18


def test_saddle_is_a_saddle():
    s = SURFACES["saddle"]
    assert np.allclose(s.grad(np.zeros(2)), 0.0)
    assert s.f(np.zeros(2)) == pytest.approx(0.25)
    eps = 1e-3
    assert s.f(np.array([eps, 0.0])) > 0.25 > s.f(np.array([0.0, eps]))  # up along w1, down along w2
    np.testing.assert_allclose(s.f(np.array([[0.0, 1.0], [0.0, -1.0]])), 0.0, atol=1e-15)


def test_local_minimum_surface_has_a_plateau_a_dip_and_a_valley():
    s = SURFACES["local_minimum"]
    # The plateau: the slope at the start is tiny compared with the valley's walls.
    assert np.linalg.norm(s.grad(np.array(s.start))) < 0.02
    assert np.linalg.norm(s.grad(np.array([0.5, 0.0]))) > 0.2
    # The dip: gradient descent started next to it settles there, well above the global minimum.
    local = run_optimizer(SGD(0.05), s, 2000, start=(-1.3, 1.2))
    assert np.linalg.norm(local.points[-1] - np.array([-1.2, 1.1])) < 0.15  # the hillside shifts it a little
    assert np.linalg.norm(s.grad(local.points[-1])) < 1e-6
    assert 0.4 < local.final_loss < 0.6


@pytest.mark.parametrize("optimizer", [SGD(0.1), Momentum(0.1, beta=0.9), Adam(0.1)])
def test_run_optimizer_applies_the_package_optimizer_step_by_step(optimizer):
    s = SURFACES["saddle"]
    path = run_optimizer(optimizer, s, steps=20)
    assert path.points.shape == (21, 2) and path.losses.shape == (21,)
    np.testing.assert_allclose(path.points[0], s.start)
    np.testing.assert_allclose(path.losses, s.f(path.points))
    # Replay with a fresh optimizer of the same kind: the same points.
    fresh = type(optimizer)(0.1)
    params = {"w": np.array(s.start, dtype=float)}
    for t in range(1, 21):
        fresh.step(params, {"w": s.grad(params["w"])})
        np.testing.assert_allclose(path.points[t], params["w"], rtol=1e-12)


def test_documented_outcomes_of_the_default_race():
    """The module docstrings promise these outcomes at α = 0.1, β = 0.9, 150 steps."""
    ravine = {
        n: run_optimizer(o, "ravine", 150)
        for n, o in {"sgd": SGD(0.1), "momentum": Momentum(0.1), "adam": Adam(0.1)}.items()
    }
    assert ravine["momentum"].final_loss < ravine["adam"].final_loss < ravine["sgd"].final_loss
    saddle = run_optimizer(SGD(0.1), "saddle", 150)
    assert saddle.losses[50] == pytest.approx(0.25, abs=0.02)  # still lingering at the saddle point
    assert saddle.final_loss < 1e-3  # but gone by the end
    local = {
        n: run_optimizer(o, "local_minimum", 150)
        for n, o in {"sgd": SGD(0.1), "momentum": Momentum(0.1), "adam": Adam(0.1)}.items()
    }
    assert local["sgd"].final_loss > 0.95  # still on the plateau
    assert local["adam"].final_loss == pytest.approx(0.527, abs=0.01)  # in the local minimum
    assert local["momentum"].final_loss < 1e-3  # rolled through to the global minimum


def test_divergence_is_reported_not_raised():
    path = run_optimizer(SGD(0.5), "ravine", 100)
    assert path.diverged_at is not None and path.diverged_at < 100
    assert len(path.points) == path.diverged_at + 1
    assert path.losses[-1] > 1e4 * path.losses[0] * 0.99
    huge = run_optimizer(SGD(1e200), "saddle", 50)  # overflows to inf/NaN on the way
    assert huge.diverged_at == 1 and np.isinf(huge.losses[-1])


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="unknown surface 'bowl'; choose one of: local_minimum, ravine, saddle"):
        get_surface("bowl")
    with pytest.raises(ValueError, match="steps must be a positive whole number"):
        run_optimizer(SGD(0.1), "ravine", 0)
    with pytest.raises(ValueError, match="2 coordinates"):
        SURFACES["ravine"].f(np.zeros(3))
    assert get_surface(SURFACES["saddle"]) is SURFACES["saddle"]
    assert repr(SURFACES["saddle"]) == "Surface('saddle': a saddle point)"
