"""Review questions of notebook 02 (loss), shown by ``review("02")``.

Format: see ``backprop_lessons/reviews/__init__.py``. New numbers, not the worked example's;
each wrong option is a misconception a learner really has, with its own explanation.
"""

QUESTIONS = [
    {
        "key": "nb02-mse-by-hand",
        "question": "Predictions $\\hat{y} = (3, 0, 2, 1)$, targets $y = (1, 0, 3, 1)$. What is the mean squared error?",
        "options": [
            (
                "−0.25",
                "That is the mean of the plain errors y − ŷ = (−2, 0, 1, 0): errors of opposite sign "
                "cancel unless each one is squared first.",
            ),
            ("1.25", "Right: the squared errors are 4, 0, 1, 0; their mean is 5/4 = 1.25."),
            ("5", "That is the sum of the squared errors: the mean divides it by n = 4."),
            ("0.75", "That is the mean absolute error (2 + 0 + 1 + 0)/4: the MSE squares each error first."),
        ],
        "answer": 1,
    },
    {
        "key": "nb02-sum-cancels",
        "question": "A model's errors on four points are +2, −2, +1, −1. Why is their sum a bad score?",
        "options": [
            (
                "It is 0, as if the model were perfect",
                "Right: errors of opposite sign cancel; squaring (or absolute values) makes every miss count.",
            ),
            (
                "The sum is negative, and a loss must be positive",
                "The sum here is 0, not negative; the trouble is that misses cancel, whatever the sign of the total.",
            ),
            (
                "Summing is fine; only the mean would be wrong",
                "Mean or sum, +2 and −2 still cancel: the problem is the sign of the errors, not the averaging.",
            ),
            (
                "The sum grows with the number of points",
                "That is a reason to average rather than sum, but it is not "
                "why this particular sum fails: it is 0 for a bad model.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb02-which-way",
        "question": "At the current weight, a finite difference gives $dE/dw \\approx +3$. Which way should $w$ move "
        "to lower the loss?",
        "options": [
            (
                "Increase w, following the slope",
                "A positive slope means E goes UP as w grows: following it climbs the valley wall.",
            ),
            ("Decrease w", "Right: move against the sign of the slope; w ← w − α · 3 makes w smaller."),
            (
                "Leave it: a positive slope means the loss is positive",
                "The sign of the slope says which way E changes, not whether E itself is positive.",
            ),
            (
                "It cannot be told without drawing the whole landscape",
                "The local slope is enough for the direction: that is why training works without a map.",
            ),
        ],
        "answer": 1,
    },
    {
        "key": "nb02-gd-step",
        "question": "A weight $w = 2$ has slope $\\partial E/\\partial w = -0.5$. With learning rate $\\alpha = 0.2$, "
        "what is $w$ after one gradient-descent step?",
        "options": [
            ("1.9", "That adds α times the slope: w + α·(−0.5). The step goes against the slope, w − α·slope."),
            ("2.5", "That is w − slope, without the learning rate: α sets how big the step is."),
            ("2.1", "Right: w − α · slope = 2 − 0.2 · (−0.5) = 2.1; a negative slope means increase w."),
            ("−0.1", "That is the step −α · slope with its sign flipped, not the new weight: add the step to w."),
        ],
        "answer": 2,
    },
    {
        "key": "nb02-partial",
        "question": "$E = \\frac{1}{4}\\sum_{i=1}^{4}(\\hat{y}_i - y_i)^2$ with $\\hat{y}_2 = 5$, $y_2 = 2$. What is "
        "$\\partial E/\\partial \\hat{y}_2$?",
        "options": [
            ("6", "That is 2(ŷ₂ − y₂) without the 1/n = 1/4 of the mean."),
            ("1.5", "Right: (2/n)(ŷ₂ − y₂) = (2/4)·3 = 1.5; only the second term of the sum contains ŷ₂."),
            ("−1.5", "The sign is flipped: E grows when ŷ₂ grows above y₂, so the slope is positive."),
            ("2.25", "That is the term (1/4)(ŷ₂ − y₂)² itself, the loss contribution, not its slope."),
        ],
        "answer": 1,
    },
    {
        "key": "nb02-db",
        "question": "For the line $\\hat{y} = w x + b$ the slopes per prediction are $\\partial E/\\partial \\hat{y} = "
        "(0.5, -1, 0.25)$ at inputs $x = (2, 1, 4)$. What is $\\partial E/\\partial b$?",
        "options": [
            ("1", "That is ∂E/∂w = 0.5·2 − 1·1 + 0.25·4: b moves every prediction by 1, not by its x."),
            ("−0.25", "Right: each ŷᵢ grows by 1 when b grows by 1, so ∂E/∂b = 0.5 − 1 + 0.25 = −0.25."),
            ("−0.0833", "That is the mean of the slopes: they already hold the 1/n of the loss, so add them up."),
            ("0", "A slope is not zero just because some terms are negative: add them, 0.5 − 1 + 0.25."),
        ],
        "answer": 1,
    },
    {
        "key": "nb02-bce-confident-wrong",
        "question": "A spam filter gives an email that IS spam ($y = 1$) the score $z = -9$, so $p = \\sigma(z) \\approx 0.0001$. "
        "Trained with MSE on $p$ instead of BCE, what happens on this email?",
        "options": [
            (
                "It gets a huge push, because the error 1 − p is as large as it can be",
                "The error is large, but the push is the slope dE/dz ≈ −2p, almost 0: on the flat tail of σ, p hardly moves with z.",
            ),
            (
                "Almost nothing: the slope is about −2p ≈ −0.0002, so z barely moves",
                "Right: MSE on p whispers for confident mistakes; BCE's slope p − 1 ≈ −1 would push z up at full strength.",
            ),
            (
                "The loss is infinite, so training stops",
                "That is BCE's cost −log p as p → 0, and it is finite here (≈ 9.2); "
                "MSE's cost (1 − p)² never exceeds 1.",
            ),
            (
                "The same as with BCE: both losses are lowest at p = 1",
                "Both have their minimum at p = 1, but their slopes far from it differ by a factor of thousands.",
            ),
        ],
        "answer": 1,
    },
    {
        "key": "nb02-diagnose-gradient",
        "question": "On a batch of $n = 8$ predictions, someone's `mse_gradient` returns exactly 4 times the right "
        "slopes, with the right signs. Which line did they write?",
        "options": [
            ("2 * (y_hat - y)", "That is n = 8 times too large: the 1/n of the mean is missing, not only a factor 2."),
            (
                "y_hat - y",
                "Right: 2(ŷ − y)/n times n/2 = ŷ − y; both the factor 2 and the 1/n are missing, off by n/2 = 4.",
            ),
            (
                "2 * (y - y_hat) / y.size",
                "That has the right size but the wrong sign: it would send every weight uphill.",
            ),
            (
                "(y_hat - y) / y.size",
                "That is half the right size (the factor 2 from the square is missing), not 4 times.",
            ),
        ],
        "answer": 1,
    },
]
