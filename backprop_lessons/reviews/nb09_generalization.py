"""Review questions of notebook 09 (generalization), shown by ``review("09")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [
    {
        "key": "nb09-curves",
        "question": "After 500 epochs a network's training loss is 0.02 and still falling; its validation loss fell "
        "to 0.30 at epoch 120 and is 0.85 now. What is happening?",
        "options": [
            (
                "It overfits: it memorizes the training set",
                "Right: the training loss improves while the validation loss has been rising for 380 epochs.",
            ),
            (
                "It underfits: it needs more capacity or more epochs",
                "An underfitting network does badly on its TRAINING data too; this one fits it almost perfectly.",
            ),
            (
                "The learning rate is too large and training diverges",
                "A diverging run's training loss would jump up; here it falls smoothly.",
            ),
            (
                "The validation set must contain errors in its labels",
                "Noisy labels exist, but they would not make the validation loss rise only after epoch 120.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb09-choose-lambda",
        "question": "You train with λ = 0, 0.001 and 0.01. Training losses: 0.04, 0.12, 0.26; validation losses: "
        "0.95, 0.35, 0.46. Which λ do you keep, and why?",
        "options": [
            (
                "λ = 0: it has the lowest training loss",
                "The penalty can only make the training fit worse, so the training loss always prefers λ = 0.",
            ),
            (
                "λ = 0.01: the most regularization is the safest",
                "Too much penalty underfits: its training loss of 0.26 shows it cannot even fit the training data.",
            ),
            (
                "λ = 0.001: the lowest validation loss",
                "Right: hyperparameters are chosen on the validation set, not on the loss the optimizer minimizes.",
            ),
            (
                "None: the two losses disagree, so the experiment failed",
                "They are expected to disagree; that is why there are two of them.",
            ),
        ],
        "answer": 2,
    },
    {
        "key": "nb09-weight-decay-factor",
        "question": "With plain gradient descent, α = 0.1 and λ = 0.01, an L2-regularized step first multiplies "
        "every weight by what factor?",
        "options": [
            ("0.99, that is 1 − λ", "The learning rate scales the penalty's gradient λW too: the factor is 1 − αλ."),
            ("0.999, that is 1 − αλ", "Right: W − α(∂E/∂W + λW) = (1 − αλ)W − α∂E/∂W, and 1 − 0.1 · 0.01 = 0.999."),
            ("0.9, that is 1 − α", "That would be a decay by the learning rate alone, without λ."),
            (
                "1, since the penalty only changes the reported loss",
                "The penalty's gradient λW is added to every weight's gradient, so it changes the step.",
            ),
        ],
        "answer": 1,
    },
    {
        "key": "nb09-adam-l2",
        "question": "Why is `train(..., l2=λ)` with Adam not the same as weight decay?",
        "options": [
            (
                "Adam ignores the penalty's gradient",
                "Adam uses it, but rescales it: the λW part is divided by the size of each weight's recent gradients.",
            ),
            (
                "Adam rescales λW with each weight's own gradient size",
                "Right: weights with large data gradients are decayed less than λ says; AdamW decays separately.",
            ),
            (
                "Weight decay only exists for biases, not for weights",
                "It is the other way round: biases are usually left out of the penalty.",
            ),
            (
                "It is the same; the two names are interchangeable for every optimizer",
                "They coincide for plain gradient descent only; notebook 09 shows Adam's first step moving every weight by α.",
            ),
        ],
        "answer": 1,
    },
    {
        "key": "nb09-patience-rule",
        "question": "Validation losses per epoch: 0.50, 0.40, 0.42, 0.41, 0.45, 0.39. With patience 3, at which "
        "epoch does the rule stop, and which weights does it keep?",
        "options": [
            (
                "It stops at epoch 6 and keeps epoch 6",
                "Epoch 5 is already 3 epochs after the best (epoch 2) without a new low: the rule has stopped by then.",
            ),
            ("It stops at epoch 3 and keeps epoch 2", "Epoch 3 is only 1 epoch after the best; the patience is 3."),
            (
                "It stops at epoch 5 and keeps epoch 2",
                "Right: the best is epoch 2 (0.40); epochs 3, 4, 5 do not beat it, and 5 − 2 = 3 reaches the patience.",
            ),
            ("It never stops and keeps the last epoch", "It stops as soon as 3 epochs in a row fail to beat the best."),
        ],
        "answer": 2,
    },
    {
        "key": "nb09-dropout-output",
        "question": "A unit's activation is 1.2. With inverted dropout p = 0.25 in training mode, what can its "
        "output be, and what is it in evaluation mode?",
        "options": [
            (
                "0 or 1.6 in training; 1.2 in evaluation",
                "Right: kept units are divided by 1 − p = 0.75 (1.2 / 0.75 = 1.6); evaluation passes 1.2 unchanged.",
            ),
            (
                "0 or 1.2 in training; 0.9 in evaluation",
                "That is the old, non-inverted dropout, which scales at evaluation time instead of in training.",
            ),
            (
                "0 or 1.5 in training; 1.2 in evaluation",
                "1.5 would be 1.2 · 1.25, multiplying by 1 + p; inverted dropout divides by 1 − p.",
            ),
            (
                "always 0.9, in training and in evaluation",
                "0.9 = 1.2 · 0.75 is the average of the training outputs of the OLD scheme, not a possible output.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb09-more-data",
        "question": "Growing the training set from 30 to 200 noisy points leaves the validation accuracy at 0.90 "
        "but cuts the final validation loss by three. How can both be true?",
        "options": [
            (
                "The loss must have been computed on the training set",
                "Both numbers are measured on the same validation set.",
            ),
            (
                "Accuracy counts sides; the loss also punishes confident mistakes",
                "Right: with more data the network makes fewer extreme, confident errors, even where it still errs.",
            ),
            ("With 200 points the network has fewer weights", "The network is the same; only the data changed."),
            (
                "Accuracy always lags behind the loss by a few hundred epochs",
                "There is no such rule; the two measure different things.",
            ),
        ],
        "answer": 1,
    },
]
