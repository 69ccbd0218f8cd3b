"""Interactive explorers for the notebooks (ipywidgets), fast enough to drag a slider.

Each explorer is made by a function, draws its first picture immediately and
shows as a widget in a live notebook (and as a PNG elsewhere):

    neuron_explorer()          notebook 01: one sigmoid neuron, its decision line
    fit_explorer()             notebook 02: fit a line by hand, E(w) and dE/dw
    learning_rate_explorer()   notebook 05: crawling, good, oscillating, diverging
    activation_explorer()      notebook 06: activations and the boundaries they learn
    gradient_flow_explorer()   notebook 07: vanishing/exploding gradients and fixes
    optimizer_race()           notebook 08: SGD, momentum and Adam from the same start
    generalization_explorer()  notebook 09: data size, L2 and dropout vs validation loss
    backprop_stepper(value)    notebook 03: the backward pass, one node at a time
    review("04")               every notebook: its review questions (banks in reviews/)
    predict_first(q, options)  every notebook: a prediction before the result, then .reveal()

Controls are attributes (e.g. ``explorer.lr_slider``); setting ``.value`` in
code re-renders at once, which is how the tests and benchmarks drive them.
"""

from backprop_lessons.widgets.activation import activation_explorer
from backprop_lessons.widgets.generalization import generalization_explorer
from backprop_lessons.widgets.gradient_flow import gradient_flow_explorer
from backprop_lessons.widgets.learning_rate import learning_rate_explorer
from backprop_lessons.widgets.neuron import fit_explorer, neuron_explorer
from backprop_lessons.widgets.optimizers import optimizer_race
from backprop_lessons.widgets.predict import predict_first
from backprop_lessons.widgets.quiz import review
from backprop_lessons.widgets.stepper import backprop_stepper

__all__ = [
    "neuron_explorer",
    "fit_explorer",
    "backprop_stepper",
    "learning_rate_explorer",
    "activation_explorer",
    "gradient_flow_explorer",
    "optimizer_race",
    "generalization_explorer",
    "review",
    "predict_first",
]
