"""Review questions of notebook 10 (capstone), shown by ``review("10")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [
    {
        "key": "nb10-first-experiment",
        "question": "A deep 4-class sigmoid network's training loss sits at log 4 ≈ 1.39 from epoch 10 on. Its gradient RMS is "
        "3e-1 in the last layer and 2e-4 in the first. What is the best first experiment?",
        "options": [
            (
                "Switch the sigmoid units to ReLU, nothing else",
                "Right: a gradient that shrinks 1,000-fold towards the input is vanishing, and one change aimed at it "
                "tells you whether that was the cause.",
            ),
            (
                "Add L2 regularization to stop it from overfitting",
                "L2 fights overfitting, but a network stuck at the guessing loss does not fit even its training data.",
            ),
            (
                "Train ten times longer with the same settings",
                "Vanishing gradients make progress very slow: in this notebook 1,000 epochs took the stuck sigmoid "
                "network only from 0.26 to 0.56.",
            ),
            (
                "Change activation, init and learning rate at once",
                "It may work, but then you cannot tell which of the three changes did it. One change at a time.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb10-softmax-number",
        "question": "One example (N = 1) has scores s = (2, 0, 0) and true class 1. What is ∂E/∂s₁ for the "
        "softmax cross-entropy? (e² ≈ 7.39)",
        "options": [
            ("about 0.11", "That is p₁ = 1/(7.39 + 2) ≈ 0.107 itself; the true class also gets −1: p₁ − 1."),
            ("about −0.89", "Right: p₁ = 1/9.39 ≈ 0.107, and for the true class the gradient is p₁ − 1 ≈ −0.893."),
            ("exactly −1.00", "−1 is the one-hot part alone; the predicted probability p₁ ≈ 0.107 is added to it."),
            ("about 0.79", "0.79 is p₀, the probability of class 0; the question asks about the score of class 1."),
        ],
        "answer": 1,
    },
    {
        "key": "nb10-update-ratio",
        "question": "In a diverging run every layer's update-to-weight ratio α·RMS(dW)/RMS(W) is about 1. "
        "What does that say?",
        "options": [
            (
                "The network is healthy: a ratio near 1 is the ideal value",
                "About 1e-3 is the healthy rule of thumb; 1 is a thousand times too large.",
            ),
            (
                "The learning rate must be exactly 1",
                "The ratio multiplies α by the gradient's size: α = 0.05 with gradients of RMS ~20 gives it too.",
            ),
            (
                "One step changes each weight by about its own size",
                "Right: the weights are thrown around at every step, so the loss cannot settle; it explodes.",
            ),
            (
                "About half of the ReLU units have died",
                "Dead units pass no gradient and push the ratio down, not up; 'dead' is its own column.",
            ),
        ],
        "answer": 2,
    },
    {
        "key": "nb10-what-experiments-show",
        "question": "Which conclusion do this notebook's single-change experiments on the deep sigmoid network support?",
        "options": [
            (
                "Depth alone makes deep sigmoid networks untrainable",
                "Adam trained the same five sigmoid layers to 0.98 without changing the depth.",
            ),
            (
                "The learning rate played no part in the problem",
                "The update-to-weight ratios were all below 1e-3, and a 10× larger α lifted accuracy from 0.26 to 0.57.",
            ),
            (
                "Xavier initialization fixes vanishing gradients in sigmoid networks",
                "Xavier alone made the first/last gradient ratio worse (6e-4) and left accuracy at 0.27.",
            ),
            (
                "Adam alone, and ReLU alone, each rescued it in 150 epochs",
                "Right: each of these single changes reached a validation accuracy above 0.95.",
            ),
        ],
        "answer": 3,
    },
    {
        "key": "nb10-fresh-data",
        "question": "Why does check_fix judge your fix on 1,500 fresh points and not on the validation set?",
        "options": [
            (
                "You chose settings by looking at the validation set",
                "Right: once it guided your choices, the validation set is part of the tuning and flatters the result.",
            ),
            (
                "Fresh points are easier to classify",
                "They come from the same noisy spiral, with the same difficulty; only nobody has seen them.",
            ),
            (
                "The validation set overlaps the training set in many points",
                "The split is disjoint: no point is in both. The issue is how the validation set was used.",
            ),
            (
                "More points always give a higher accuracy",
                "More points give a more precise estimate, not a higher one.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb10-loss-or-accuracy",
        "question": "Two fixes of an overfitting network, judged on 2,000 fresh points: A reaches accuracy 0.88 and "
        "cross-entropy 0.61; B reaches accuracy 0.90 and cross-entropy 0.27. What do the numbers say?",
        "options": [
            (
                "A still makes confident mistakes; B does not",
                "Right: two points of accuracy, but more than twice the loss. A's wrong answers are extreme, as an "
                "overfit network's are; this is why the capstone grades the fix by the loss.",
            ),
            (
                "They are about equally good: the accuracies differ by only 0.02",
                "Accuracy counts only which side of the boundary a point falls on; the loss also weighs how confident "
                "each answer is, and there A is far worse.",
            ),
            (
                "A is better, since a higher loss means it has learned more",
                "The loss is what training minimizes: lower is better, on fresh data as on training data.",
            ),
            (
                "Nothing: loss and accuracy cannot both be right",
                "They measure different things and often disagree in size; here both favour B.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb10-rnn-shared",
        "question": "A recurrent network applies the same weight matrix W at all 50 time steps. Backpropagation "
        "through time gives W the gradient ...",
        "options": [
            (
                "of the last time step only, where the loss is computed",
                "Every step used W, so every step contributes; keeping only one is the = instead of += bug of notebook 03.",
            ),
            (
                "summed over the 50 per-step contributions",
                "Right: a value used in several places receives the sum of the gradients of every use, as the "
                "convolution's filter weights did.",
            ),
            (
                "averaged over the 50 steps, so that long sequences do not weigh more",
                "The chain rule gives a sum; an average would be a different (rescaled) rule, not the gradient.",
            ),
            (
                "of zero, because the steps cancel each other out",
                "The contributions differ from step to step and have no reason to cancel.",
            ),
        ],
        "answer": 1,
    },
    {
        "key": "nb10-autoencoder",
        "question": "An autoencoder learns from images that have no labels. How can backpropagation, which needs "
        "a target, train it?",
        "options": [
            (
                "It cannot: backpropagation is for labelled data only",
                "It needs a target, not a human label: a target can be made from the data itself.",
            ),
            (
                "By using finite differences instead",
                "Finite differences compute the same gradient of the same loss; they still need a target.",
            ),
            (
                "The input is the target: reconstruct it",
                "Right: the loss compares the network's reconstruction with its own input, then it is backprop as usual.",
            ),
            (
                "By setting every target to zero",
                "Then the network would learn to output zeros, which teaches it nothing about the images.",
            ),
        ],
        "answer": 2,
    },
]
