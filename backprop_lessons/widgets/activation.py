"""The activation explorer of notebook 06: the same network with a different activation.

Left: the activation f and its derivative f′ (backpropagation multiplies by f′
at every layer, so its size decides how gradients flow). Right: the decision
boundary that a fixed-seed 2-16-16-C network with that activation learns on
the chosen dataset. Each (activation, dataset) pair is trained once and then
cached, so going back to an earlier choice is instant.

A pair not trained yet takes ~70 ms to train on a quiet 2-core machine (more on a
busy one; benchmarks/results.md). Chosen in the browser, it is
trained in the background: the picture shows f, f′ and the untrained network at
once, then (at most every 0.1 s) the boundary after 10, 30, 60, 100 or 200
epochs ("training… epoch 60 of 300") and finally the trained one, the same as a
change in code gives (which trains before it returns, so that a notebook
cell's numbers are final).
"""

import time

import numpy as np

from backprop_lessons._checks import check_choice
from backprop_lessons.activations import get_activation
from backprop_lessons.data import make_dataset
from backprop_lessons.layers import mlp
from backprop_lessons.plots import CLASS_MARKERS, COLORS, activation_label, decision_grid, decision_rgb, plot_activation
from backprop_lessons.training import predict, train
from backprop_lessons.widgets._background import Precomputer, from_browser
from backprop_lessons.widgets._canvas import (
    CachedPixels,
    Explorer,
    FastFigure,
    PixelImage,
    dropdown,
)

__all__ = ["activation_explorer", "ActivationExplorer", "ACTIVATION_CHOICES", "DATASET_CHOICES"]

ACTIVATION_CHOICES = ("sigmoid", "tanh", "relu", "leaky_relu")
DATASET_CHOICES = ("moons", "spiral", "circles", "xor")
_DATASET_ARGS = {"spiral": {"n_per_class": 80}}  # 240 points, 3 classes
_GRID = 120
_EPOCHS, _LR = 300, 0.02
_FRAMES = (10, 30, 60, 100, 200)  # epochs at which a browser's learner sees the boundary so far
_Z = np.linspace(-3.0, 3.0, 241)
# Why each derivative matters for backprop (shown in the status line).
_DERIVATIVE_NOTE = {
    "sigmoid": "σ′ is at most 0.25: the activation's own factor in every layer's backward pass",
    "tanh": "tanh′ is at most 1 but almost 0 once |z| > 3 (saturation)",
    "relu": "ReLU′ is 1 for active units (no shrinking) and 0 for inactive ones",
    "leaky_relu": "leaky ReLU′ is 1 or 0.01: never exactly 0, so no unit stops learning",
}


def _about(activation):
    """The end of every status line: the network, and why this activation's derivative matters."""
    return f"(2-16-16 network, Adam, α = {_LR}). {_DERIVATIVE_NOTE[activation]}."


class ActivationExplorer(Explorer):
    """See ``activation_explorer``. Controls: activation_dropdown, dataset_dropdown.

    After every change ``.accuracy`` and ``.history`` describe the trained network.
    """

    text_plain = "<activation explorer: run the notebook to interact>"
    #: seconds between two frames of a pair training in the background (see _frames)
    frame_gap = 0.1

    def __init__(self, dataset="moons", activation="tanh"):
        check_choice(dataset, DATASET_CHOICES, "dataset")
        check_choice(activation, ACTIVATION_CHOICES, "activation")
        self.activation_dropdown = dropdown("activation", list(ACTIVATION_CHOICES), activation)
        self.dataset_dropdown = dropdown("dataset", list(DATASET_CHOICES), dataset)
        # (activation, dataset) -> (rgb image, History, accuracy); the other pairs are trained in a
        # background thread while the learner looks at the first picture (Precomputer)
        self.precomputer = Precomputer()
        self.cache = self.precomputer.results
        self._data = {}  # dataset -> (X, y, grid points, extent)
        self._watched = None  # the pair a browser change is watching train (frames pushed as it goes)
        self._progress = {}  # pair -> (epoch, rgb image) of its latest frame while it trains
        self._last_frame = 0.0  # time.perf_counter() of the last such frame

        # What changes with the activation (f, f′, the legend text, the boundary) is animated;
        # the static background depends only on the dataset's axes limits (static_key), so
        # a new activation costs no full redraw, only the blitting of these artists.
        self.fast = FastFigure(width_ratios=[1.0, 1.1])
        self.fast.max_backgrounds = len(DATASET_CHOICES)
        self.fast.figure.get_layout_engine().set(wspace=0.04)  # room between the panels (the picture is cut there)
        ax, bx = self.fast.axes
        drawing = plot_activation(activation, ax=ax, z_range=(_Z[0], _Z[-1]))
        self.f_line, self.df_line, self.legend = drawing.f_line, drawing.df_line, drawing.legend
        # The legend's first label names the activation: animated, its pixels cached per label
        # (CachedPixels, drawn first; the f and f′ lines never reach the legend's corner).
        self.fast.animate(CachedPixels(self.legend), self.f_line, self.df_line)
        ax.set_ylim(-1.25, 3.1)
        ax.set_xlim(_Z[0], _Z[-1])
        ax.set_title("activation f and its derivative f′", fontsize="medium")

        # Model outputs on a _GRID x _GRID grid, smoothed once per pair to screen pixels
        # (PixelImage: no imshow resampling per frame), then the points and the frame on top.
        self.boundary_image = self.fast.animate(PixelImage(bx, smooth=True))
        self.points = [
            bx.scatter(
                [], [], s=18, color=COLORS[k], marker=CLASS_MARKERS[k], edgecolors="black", linewidths=0.5, zorder=3
            )
            for k in range(3)
        ]
        self.fast.animate(*self.points)
        self.fast.animate(*bx.spines.values())  # the image would otherwise cover their inner half
        self._pixels = {}  # (activation, dataset) -> boundary at screen resolution (uint8 RGBA)
        # The layout is frozen before the first dataset is shown; lay it out with the limits an
        # imshow of the grid would have (tick labels up to "100"), the layout this explorer has
        # always had, so every dataset's tick labels fit.
        bx.set_xlim(-0.5, _GRID - 0.5)
        bx.set_ylim(-0.5, _GRID - 0.5)
        bx.set_xlabel("x₁")
        bx.set_ylabel("x₂")
        bx.set_title("decision boundary after training", fontsize="medium")
        self._finish([self.activation_dropdown, self.dataset_dropdown])

    def _dataset(self, name):
        if name not in self._data:  # (a race between two threads only computes the same data twice)
            X, y = make_dataset(name, **_DATASET_ARGS.get(name, {}))
            grid, extent = decision_grid(X, resolution=_GRID)
            self._data[name] = (X, y, grid, extent)
        return self._data[name]

    def trained(self, activation, dataset):
        """(rgb image (G, G, 3), History, train accuracy) for a pair, training it on first use."""
        return self.precomputer.get((activation, dataset), lambda: self._train(activation, dataset))

    def _precompute_next(self):
        """The pairs a learner may pick next: other activations on this dataset first, then the rest."""
        activation, dataset = self.activation_dropdown.value, self.dataset_dropdown.value
        pairs = [(a, dataset) for a in ACTIVATION_CHOICES] + [(activation, d) for d in DATASET_CHOICES]
        pairs += [(a, d) for d in DATASET_CHOICES for a in ACTIVATION_CHOICES]
        for a, d in pairs:
            self.precomputer.want((a, d), lambda a=a, d=d: self._train(a, d))

    def _network(self, activation, dataset):
        """The fresh, seeded 2-16-16 network for a pair (untrained), and its loss."""
        _, y, _, _ = self._dataset(dataset)
        n_classes = int(y.max()) + 1
        out = 1 if n_classes == 2 else n_classes  # one logit for 2 classes, C scores otherwise
        init = "he" if "relu" in activation else "xavier"  # the init each activation was designed with
        return mlp([2, 16, 16, out], activation=activation, init=init, rng=0), ("bce" if out == 1 else "softmax")

    def _train(self, activation, dataset):
        """Train the 2-16-16 network for one pair (fresh, seeded: any thread gives the same result)."""
        X, y, grid, _ = self._dataset(dataset)
        model, loss = self._network(activation, dataset)
        # pause_point: a learner's change goes first; _frames: the boundary so far, for a browser
        callbacks = [self.precomputer.pause_point, self._frames((activation, dataset), grid)]
        history = train(model, X, y, loss=loss, optimizer="adam", lr=_LR, epochs=_EPOCHS, callbacks=callbacks)
        rgb = decision_rgb(predict(model, grid), (_GRID, _GRID))
        return rgb, history, history.train_acc[-1]

    def _frames(self, key, grid):
        """A train callback: at the epochs in _FRAMES, show the boundary so far if a browser watches this pair.

        Predicting does not change the model, so the training is exactly the synchronous one.
        A frame costs ~20 ms (predict, smooth, draw, encode), a third of the whole run on a quiet
        machine: it is skipped if the last one is less than ``frame_gap`` seconds old, so a fast
        machine shows the trained network sooner and a slow (busy) one shows it learning.
        """
        epoch = 0

        def frame(model, step):
            nonlocal epoch
            epoch += 1  # full batch: one step per epoch
            if (
                epoch in _FRAMES
                and self.precomputer.in_worker()
                and time.perf_counter() - self._last_frame >= self.frame_gap
                and self._wanted(key)
            ):
                self._progress[key] = (epoch, decision_rgb(predict(model, grid), (_GRID, _GRID)))
                self.push(lambda: self._wanted(key), wait=False)  # the main thread may be waiting for us

        return frame

    def _wanted(self, key):
        """Is a browser still watching ``key`` train (selected, and not shown final by a change in code)?"""
        return self._watched == key and (self.activation_dropdown.value, self.dataset_dropdown.value) == key

    def _start_training(self, key):
        """A browser chose a pair not trained yet: train it next in the background.

        True if the trained frame can be drawn now: it is known, or there is no background
        thread (stopped), so it is trained here.
        """
        if self.precomputer.in_worker():  # a frame the background thread draws starts nothing
            return key in self.cache
        self._watched = key
        queued = self.precomputer.want(
            key, lambda: self._train(*key), first=True, done=lambda: self.push(lambda: self._wanted(key))
        )
        return key in self.cache or not queued

    def _training_frame(self, key):
        """The boundary so far (epoch 0: the untrained network) and its status line."""
        activation, dataset = key
        epoch, rgb = self._progress.get(key, (0, None))
        if rgb is None:
            model, _ = self._network(activation, dataset)
            rgb = decision_rgb(predict(model, self._dataset(dataset)[2]), (_GRID, _GRID))
        self.boundary_image.set_data(rgb)
        self.history = self.accuracy = None
        self._last_frame = time.perf_counter()
        error = self.precomputer.errors.get(key)
        if error is not None:
            return f"{activation} on {dataset}: training failed ({type(error).__name__}: {error})."
        return f"{activation} on {dataset}: training… epoch {epoch} of {_EPOCHS} {_about(activation)}"

    def next_static_keys(self):
        return [self._dataset(d)[3] for d in DATASET_CHOICES if d != self.dataset_dropdown.value]

    def apply_static(self, key):
        bx = self.fast.axes[1]
        bx.set_xlim(key[:2])
        bx.set_ylim(key[2:])

    def static_key(self):
        # Only the dataset's axes limits change the static picture (ticks of the right panel).
        return self._dataset(self.dataset_dropdown.value)[3]

    def update(self):
        activation, dataset = self.activation_dropdown.value, self.dataset_dropdown.value
        f, f_prime = get_activation(activation)
        self.f_line.set_data(_Z, f(_Z))
        self.df_line.set_data(_Z, f_prime(_Z))
        self.legend.get_texts()[0].set_text(f"f(z) = {activation_label(activation)}")

        X, y, _, extent = self._dataset(dataset)
        key = (activation, dataset)
        if key not in self.cache and from_browser() and not self._start_training(key):
            text = self._training_frame(key)
        else:
            text = self._trained_frame(key)
        for k, pts in enumerate(self.points):
            pts.set_offsets(X[y == k] if k <= y.max() else np.empty((0, 2)))
        self._precompute_next()
        bx = self.fast.axes[1]
        bx.set_xlim(extent[:2])
        bx.set_ylim(extent[2:])
        return text

    def _trained_frame(self, key):
        """The trained network's boundary (training it now if needed) and its status line."""
        activation, dataset = key
        # final: frames still on their way are stale (and the background thread need not try
        # to draw them while this thread may be waiting for its result)
        self._watched = None
        rgb, self.history, self.accuracy = self.trained(activation, dataset)
        self._progress.pop(key, None)
        if key not in self._pixels:
            self.boundary_image.set_data(rgb)  # bilinear smoothing to screen pixels, once per pair
            self._pixels[key] = self.boundary_image.get_array()
        else:
            self.boundary_image.set_data(self._pixels[key])
        return (
            f"{activation} on {dataset}: train accuracy {self.accuracy:.0%} after {_EPOCHS} epochs {_about(activation)}"
        )


def activation_explorer(dataset="moons", activation="tanh"):
    """Compare activations (notebook 06): f and f′ on the left, the learned boundary on the right.

    dataset    -- "moons", "spiral", "circles" or "xor" (starting choice of the dropdown).
    activation -- "sigmoid", "tanh", "relu" or "leaky_relu".
    Returns an ActivationExplorer; controls ``.activation_dropdown`` and ``.dataset_dropdown``.
    Every pair trains a 2-16-16 network (seed 0, Adam, 300 full-batch epochs) once and is cached.
    """
    return ActivationExplorer(dataset=dataset, activation=activation)
