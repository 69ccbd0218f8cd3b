"""Reference solutions to the exercises of notebooks 01-10, one plain function each.

Read one with ``show_solution("check_layer_forward")`` — after trying! Each
function is named after its checker without the ``check_`` prefix and passes
that checker. Shapes: N examples, D input features, H hidden units.
"""

import numpy as np

__all__ = [
    "neuron_forward", "layer_forward", "mse", "mse_gradient",
    "graph_gradients", "shared_node_gradients", "multiply_backward", "tanh_backward",
    "linear_backward", "two_layer_backward", "bug_hunt",
    "sgd_update", "learning_rate_choice", "lr_challenge",
    "sigmoid_prime", "relu_backward", "vanishing_bound", "clip_by_norm",
]


# ----------------------------------------------------------------- notebook 01
def neuron_forward(x, w, b):
    """One sigmoid neuron: x (D,), w (D,), b a number -> a number."""
    z = np.dot(w, x) + b  # weighted sum plus bias
    return 1.0 / (1.0 + np.exp(-z))  # sigmoid squashes z into (0, 1)


def layer_forward(X, W, b):
    """A linear layer on a batch: X (N, D), W (D, H), b (H,) -> (N, H)."""
    return X @ W + b  # b is broadcast: added to every row


# ----------------------------------------------------------------- notebook 02
def mse(y_hat, y):
    """Mean squared error: one number."""
    return np.mean((y_hat - y) ** 2)


def mse_gradient(y_hat, y):
    """dE/dy_hat for E = mean((y_hat - y)**2): same shape as y_hat."""
    n = y.size  # the mean divides by the number of entries
    return 2.0 * (y_hat - y) / n


# ----------------------------------------------------------------- notebook 03
def graph_gradients():
    """dL/dnode on e = a*b, d = e + c, L = d*f with a=2, b=-3, c=10, f=-2."""
    a, b, c, f = 2.0, -3.0, 10.0, -2.0
    e = a * b
    d = e + c
    dL_dd = f  # L = d * f: the slope with respect to d is the other factor
    dL_df = d
    dL_de = dL_dd * 1.0  # d = e + c: a sum passes the gradient on unchanged
    dL_dc = dL_dd * 1.0
    dL_da = dL_de * b  # e = a * b: upstream gradient times local slope
    dL_db = dL_de * a
    return {"a": dL_da, "b": dL_db, "c": dL_dc, "d": dL_dd, "e": dL_de, "f": dL_df}


def shared_node_gradients():
    """dL/da and dL/db on L = a*b + a with a = 3, b = -4: a is used twice."""
    a, b = 3.0, -4.0
    dL_da = 0.0
    dL_da += b  # the path through a * b
    dL_da += 1.0  # the path through + a: contributions ADD UP
    return {"a": dL_da, "b": a}


def multiply_backward(a, b, dout):
    """out = a * b: each input's slope is the other input, times dout."""
    return b * dout, a * dout


def tanh_backward(x, dout):
    """out = tanh(x): dx = (1 - tanh(x)**2) * dout, same shape as x."""
    t = np.tanh(x)
    return (1.0 - t**2) * dout


# ----------------------------------------------------------------- notebook 04
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


# ----------------------------------------------------------------- notebook 05
def sgd_update(w, grad, lr):
    """One gradient-descent step: move against the gradient."""
    return w - lr * grad


def learning_rate_choice(k=4.0):
    """A learning rate that converges on E(w) = 0.5 * k * w**2: anything in (0, 2/k)."""
    return 1.0 / k  # 1 - lr * k = 0: the minimum in one step


def lr_challenge():
    """Settings for check_lr_challenge: below the stability limit (about 1), not far below."""
    return {"lr": 0.5, "epochs": 20, "optimizer": "sgd"}


# ----------------------------------------------------------------- notebook 06
def sigmoid_prime(x):
    """Slope of the sigmoid: s * (1 - s), at most 0.25."""
    s = 1.0 / (1.0 + np.exp(-x))
    return s * (1.0 - s)


def relu_backward(x, dout):
    """out = max(x, 0): the gradient passes where x > 0 and stops elsewhere."""
    return dout * (x > 0)  # a new array: dout itself is left unchanged


# ----------------------------------------------------------------- notebook 07
def vanishing_bound(L):
    """The most a gradient can keep through L sigmoid layers: one factor 0.25 per layer."""
    return 0.25**L


def clip_by_norm(grads, max_norm):
    """Scale an array (or a dict of arrays) down to total L2 norm max_norm, if above it."""
    arrays = grads.values() if isinstance(grads, dict) else [grads]
    norm = np.sqrt(sum(np.sum(g**2) for g in arrays))  # ONE norm over every entry
    scale = min(1.0, max_norm / norm)
    if isinstance(grads, dict):
        return {name: g * scale for name, g in grads.items()}
    return grads * scale


# ------------------------------------------------------------ reading a solution
def show_solution(name):
    """Print the reference solution for a checker: show_solution("check_mse").

    name: the checker's name (with or without "check_"), or the checker itself.
    Prints nothing else and returns None, so a notebook cell shows only the code.
    """
    import inspect
    import sys

    key = getattr(name, "__name__", name)
    key = key[len("check_"):] if isinstance(key, str) and key.startswith("check_") else key
    module = sys.modules[__name__]
    if not isinstance(key, str) or key not in __all__:
        valid = ", ".join("check_" + n for n in __all__)
        shown = repr(getattr(name, "__name__", name)) if isinstance(key, str) else f"a {type(name).__name__}"
        print(f"There is no solution for {shown}; choose one of: {valid}")
        return None
    print(f"Reference solution for check_{key} (backprop_lessons/exercises/solutions.py):\n")
    print(inspect.getsource(getattr(module, key)).rstrip())
    return None


# ------------------------------------------------------ notebooks 08, 09 and 10
# (appended with checks_optim.py; show_solution finds them through __all__)
__all__ += [
    "momentum_update", "adam_bias_correction", "l2_gradient", "dropout_backward",
    "softmax_gradient", "capstone",
]


def momentum_update(w, grad, velocity, lr, beta):
    """One momentum step, as optim.Momentum takes it: returns (new w, new velocity)."""
    velocity = beta * velocity + grad  # the old velocity decays, the new gradient is added
    w = w - lr * velocity  # step along the velocity, not the raw gradient
    return w, velocity


def adam_bias_correction(m, v, t, beta1, beta2):
    """Undo the start at 0 of Adam's running averages after t steps (t = 1 after the first)."""
    m_hat = m / (1.0 - beta1**t)  # at t = 1: m = (1 - beta1) g, so m_hat = g
    v_hat = v / (1.0 - beta2**t)  # at t = 1: v = (1 - beta2) g**2, so v_hat = g**2
    return m_hat, v_hat


def l2_gradient(W, lam):
    """Gradient of the L2 penalty 0.5 * lam * sum(W**2): the 0.5 cancels the 2 of the square."""
    return lam * W


def dropout_backward(dout, keep, p):
    """Inverted dropout, training mode: out = X * keep / (1 - p), so dX = dout * keep / (1 - p)."""
    return dout * keep / (1.0 - p)  # dropped units (keep False) get no gradient


def softmax_gradient(scores, y):
    """dE/dscores for the mean softmax cross-entropy: (softmax - one_hot(y)) / N, shape (N, C)."""
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)  # exp of numbers <= 0 cannot overflow
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)  # (N, C), rows sum to 1
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1.0  # subtract the one-hot of the true class
    return dscores / N  # the loss is a mean over N examples


def capstone():
    """A configuration that passes check_capstone: returns (model, history, X_val, y_val).

    Two hidden layers of 64 ReLU units with He init (no vanishing gradients), Adam with
    lr = 0.01 (no learning rate to hand-tune per layer), 300 full-batch epochs.
    """
    from backprop_lessons.exercises.checks_optim import capstone_data
    from backprop_lessons.layers import mlp
    from backprop_lessons.training import train

    X_train, X_val, y_train, y_val = capstone_data()
    model = mlp([2, 64, 64, 3], activation="relu", init="he", rng=0)
    history = train(model, X_train, y_train, loss="softmax", optimizer="adam", lr=0.01, epochs=300,
                    X_val=X_val, y_val=y_val)
    return model, history, X_val, y_val
