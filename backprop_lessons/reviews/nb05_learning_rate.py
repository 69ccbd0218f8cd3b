"""Review questions of notebook 05 (learning rate), shown by ``review("05")``.

Format: see ``backprop_lessons/reviews/__init__.py``. New numbers throughout (the notebook's
bowls have k = 4 and k = 6, its line fit the curvatures 0.677 and 2.009).
"""

QUESTIONS = [
    {
        "key": "nb05-alpha-and-backprop",
        "question": "You double the learning rate α and run one more training step. What changes in the backward pass?",
        "options": [
            (
                "Nothing: backprop computes the same gradients; only the step w ← w − α ∂E/∂w is twice as long",
                "Right. α appears only in the update. The gradients are a property of the loss and the current "
                "weights; the optimizer decides how far to move along them.",
            ),
            (
                "Every gradient doubles, because the chain rule multiplies in α once at each layer on the way back",
                "Backprop multiplies local derivatives along the chain rule; α is not one of them. It scales the "
                "step after the backward pass is done.",
            ),
            (
                "The gradients halve, so that the step stays the same size",
                "Nothing rescales the gradients to compensate: the step α·∂E/∂w really is twice as long, which is why "
                "a too-large α can diverge.",
            ),
            (
                "Backprop skips layers whose gradient is below α",
                "There is no such threshold: every weight gets its gradient, whatever α is.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb05-bowl-k8",
        "question": "On the bowl E(w) = ½·k·w² with k = 8, which learning rates make gradient descent converge?",
        "options": [
            (
                "0 < α < 0.125",
                "0.125 = 1/k is the rate that lands in ONE step (1 − αk = 0). Rates up to twice that still converge, "
                "overshooting and zig-zagging in.",
            ),
            ("0 < α < 0.25", "Right. Each step multiplies w by 1 − 8α, and |1 − 8α| < 1 exactly when 0 < α < 2/8."),
            ("0 < α < 2", "That would be the limit for k = 1. The steeper the bowl, the lower the limit: α < 2/k."),
            (
                "Any α > 0, if you train long enough",
                "Above 2/k every step multiplies w by a factor below −1: it flips sign and grows, and more epochs "
                "only make it worse.",
            ),
        ],
        "answer": 1,
    },
    {
        "key": "nb05-e-shaped-bowl-c",
        "question": "The loss is E(w) = 5w² (minimum at 0) and you use α = 0.15. What does gradient descent do?",
        "options": [
            (
                "It crawls: 0.15 is a small rate",
                "Small compared with what? Here k = 10 (E = ½·k·w²), so 1 − αk = −0.5: far from the crawl regime "
                "near +1.",
            ),
            (
                "It diverges, because α·k = 1.5 > 1",
                "The limit is |1 − αk| < 1, i.e. αk < 2, not αk < 1. At αk = 1.5 the factor is −0.5: each step "
                "overshoots, but by less than the last.",
            ),
            (
                "It oscillates around 0 while the distance halves every step",
                "Right. k = 10 (the second derivative of 5w²), so each step multiplies w by 1 − 0.15·10 = −0.5: "
                "sign flip, half the size.",
            ),
            (
                "It lands on the minimum in one step, because α is close to 1/k",
                "That needs 1 − αk = 0, i.e. α = 1/k = 0.1. Did you read k = 5 from E = 5w²? The ½ in ½·k·w² "
                "makes k = 10.",
            ),
        ],
        "answer": 2,
    },
    {
        "key": "nb05-slowest-direction",
        "question": "A quadratic loss has curvatures 1 and 9 in its two directions. With α = 0.2, which statement "
        "is true?",
        "options": [
            (
                "It converges, but a slightly larger α would be faster: the gentle direction is the slow one",
                "A larger α speeds up the gentle direction but makes the steep one overshoot more: |1 − α·9| grows "
                "above 0.8. At α = 0.2 the two factors are balanced.",
            ),
            (
                "It diverges, because 0.2 is larger than 1/9",
                "1/9 is the one-step rate of the steep direction; the limit is 2/9 ≈ 0.22. At 0.2 the steep factor "
                "is 1 − 1.8 = −0.8, inside (−1, 1).",
            ),
            (
                "Both directions shrink by the factor 0.8 per step: 0.2 = 2/(1 + 9) is the best single rate",
                "Right. |1 − 0.2·1| = |1 − 0.2·9| = 0.8: the gentle direction creeps, the steep one zig-zags, and "
                "any other α makes one of them slower.",
            ),
            (
                "The steep direction converges in one step, the gentle one never",
                "One step needs α = 1/9 for the steep direction; and every α in (0, 2) eventually converges in the "
                "gentle one.",
            ),
        ],
        "answer": 2,
    },
    {
        "key": "nb05-hyperparameter",
        "question": "Which of these is NOT a hyperparameter of training?",
        "options": [
            ("The batch size", "The batch size is chosen before training and never learned: a hyperparameter."),
            (
                "The bias of the output neuron",
                "Right. Biases and weights are the parameters backpropagation computes gradients for and "
                "gradient descent changes.",
            ),
            (
                "The decay rate of a learning-rate schedule",
                "A schedule's rate is a setting of the training procedure: a hyperparameter.",
            ),
            ("The number of epochs", "How long to train is chosen, not learned: a hyperparameter."),
        ],
        "answer": 1,
    },
]
