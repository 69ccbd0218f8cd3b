"""Exercises that check themselves: call a checker with your function, read one line per case.

Used in notebooks 01-10. Example (notebook 01)::

    from backprop_lessons.exercises import check_layer_forward
    check_layer_forward(layer_forward)   # ✓/✗ per case, with a hint naming the mistake

Checkers (module): 01-02 checks_basics, 03 checks_chain, 04 checks_backprop
(+ the deliberately broken code of bugs.py), 05 checks_training, 06-07 checks_flow.
Reference solutions: ``show_solution("check_layer_forward")``.
"""

from ._runner import CheckResult
from .bugs import bug_hunt_suspects, buggy_linear_backward_variants, buggy_two_layer_backward_variants
from .checks_backprop import check_bug_hunt, check_linear_backward, check_two_layer_backward
from .checks_basics import check_layer_forward, check_mse, check_mse_gradient, check_neuron_forward
from .checks_chain import (
    GRAPH,
    SHARED_GRAPH,
    check_graph_gradients,
    check_multiply_backward,
    check_shared_node_gradients,
    check_tanh_backward,
)
from .checks_flow import check_clip_by_norm, check_relu_backward, check_sigmoid_prime, check_vanishing_bound
from .checks_training import LR_CHALLENGE, check_learning_rate_choice, check_lr_challenge, check_sgd_update
from .solutions import show_solution

__all__ = [
    "CheckResult",
    "show_solution",
    # 01
    "check_neuron_forward",
    "check_layer_forward",
    # 02
    "check_mse",
    "check_mse_gradient",
    # 03
    "GRAPH",
    "SHARED_GRAPH",
    "check_graph_gradients",
    "check_shared_node_gradients",
    "check_multiply_backward",
    "check_tanh_backward",
    # 04
    "check_linear_backward",
    "check_two_layer_backward",
    "bug_hunt_suspects",
    "check_bug_hunt",
    "buggy_linear_backward_variants",
    "buggy_two_layer_backward_variants",
    # 05
    "check_sgd_update",
    "check_learning_rate_choice",
    "check_lr_challenge",
    "LR_CHALLENGE",
    # 06
    "check_sigmoid_prime",
    "check_relu_backward",
    # 07
    "check_vanishing_bound",
    "check_clip_by_norm",
]

# --- notebooks 08-10 (checks_optim.py) ---
from .checks_optim import (  # noqa: E402
    CAPSTONE,
    capstone_data,
    check_adam_bias_correction,
    check_capstone,
    check_dropout_backward,
    check_l2_gradient,
    check_momentum_update,
    check_softmax_gradient,
)

__all__ += [
    # 08
    "check_momentum_update",
    "check_adam_bias_correction",
    # 09
    "check_l2_gradient",
    "check_dropout_backward",
    # 10
    "check_softmax_gradient",
    "check_capstone",
    "capstone_data",
    "CAPSTONE",
]
