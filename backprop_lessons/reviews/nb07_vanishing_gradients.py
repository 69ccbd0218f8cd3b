"""Review questions of notebook 07 (vanishing and exploding gradients), shown by ``review("07")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [
    {
        "key": "nb07-chain-factor",
        "question": "A chain of 6 sigmoid neurons, one per layer, each with weight $w = 4$. What is the largest "
        "size $|\\partial a_6/\\partial x|$ can have?",
        "options": [
            (
                "1",
                "Each factor is $w\\,\\sigma'(z) \\le 4 \\cdot 0.25 = 1$, so the product of six of them is at "
                "most $1^6 = 1$, reached only if every $z$ sits at 0.",
            ),
            (
                "$0.25^6 \\approx 2.4 \\cdot 10^{-4}$",
                "That bound holds only for $|w| \\le 1$. The weight multiplies in at every layer: $(0.25 \\cdot 4)^6$.",
            ),
            (
                "$4 \\cdot 0.25^6 \\approx 10^{-3}$",
                "The weight is not applied once: every one of the six factors is "
                "$w\\,\\sigma'(z)$, so it appears six times.",
            ),
            ("$4^6 = 4096$", "That forgets the sigmoid's slope, at most 0.25 in every layer."),
        ],
        "answer": 0,
    },
    {
        "key": "nb07-layer-factor",
        "question": "Hidden layers of 64 sigmoid units with weights of std 1, where $\\mathrm{rms}(\\sigma'(z))$ is "
        "about 0.1. Roughly what factor does one layer apply to the gradient's size on the way back?",
        "options": [
            (
                "about 0.8: $\\sqrt{64} \\cdot 1 \\cdot 0.1$",
                "Each entry of $\\delta W^{\\top}$ sums 64 terms of std-1 "
                "weights (spread $\\sqrt{64} = 8$), then $\\sigma'$ "
                "multiplies by about 0.1.",
            ),
            (
                "at most 0.25, the sigmoid's largest slope",
                "That is the thin chain with $|w| \\le 1$; in a layer the "
                "weight matrix's scale multiplies in, here about 8.",
            ),
            (
                "about 6.4: $64 \\cdot 0.1$",
                "Independent terms add their variances, not their sizes: the spread of "
                "a sum of 64 grows like $\\sqrt{64}$, not 64.",
            ),
            (
                "exactly 1, because the weights have std 1",
                "The slope still multiplies in, and the 64 terms of the sum add up to a spread of about 8.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb07-diagnose-profile",
        "question": "A 12-layer ReLU network with std-1 weights: the per-entry gradient is about $10^3$ in every "
        "layer, first/last ratio 0.5, and training diverges in epoch 1. Which change treats the cause?",
        "options": [
            (
                "He initialization (std $\\sqrt{2/D}$)",
                "The ratio near 1 hides it: every layer multiplies the "
                "signal by about $\\sqrt{D/2}$, forward and backward. He "
                "scales the weights so that factor is 1.",
            ),
            (
                "Nothing: a first/last ratio of 0.5 is healthy",
                "The sizes are the symptom: forward activations "
                "and backward gradients both grow layer by layer, "
                "and the products come out alike.",
            ),
            (
                "Switch to sigmoid units, whose slope is at most 0.25",
                "That trades exploding for vanishing gradients; the weight scale stays wrong.",
            ),
            (
                "Gradient clipping at norm 1",
                "Clipping stops the divergence but not the cause: in the notebook "
                "the clipped ReLU network was still at loss 150 after 60 epochs.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb07-he-derivation",
        "question": "You build a layer with fan-in $D = 200$ for an activation that keeps a quarter of $\\mathbb{E}"
        "[z^2]$, i.e. $\\mathbb{E}[a^2] = \\tfrac14 \\mathrm{Var}(z)$. Which weight std keeps "
        "$\\mathrm{Var}(z)$ the same from layer to layer?",
        "options": [
            (
                "$\\sqrt{4/200} \\approx 0.14$",
                "$\\mathrm{Var}(z) = D\\,\\mathrm{Var}(w)\\,\\tfrac14 \\mathrm{Var}(z)$ "
                "gives $\\mathrm{Var}(w) = 4/D$.",
            ),
            (
                "$\\sqrt{2/200} = 0.1$",
                "That is He's choice for ReLU, which keeps half of $\\mathbb{E}[z^2]$; "
                "this activation keeps a quarter.",
            ),
            ("$4/200 = 0.02$", "$4/D$ is the variance; the standard deviation is its square root."),
            (
                "$1$, whatever the fan-in $D$ is",
                "Then $\\mathrm{Var}(z) = 200 \\cdot \\tfrac14 = 50$ times the previous layer's: the signal explodes.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb07-clipping",
        "question": "A network's gradient norm in layer 1 is $10^{-7}$, in the last layer 0.5, total norm 0.6. "
        "What does clipping at max_norm = 1 do?",
        "options": [
            (
                "Nothing: the total norm is already below 1",
                "Clipping only ever scales a gradient DOWN, and only when the total norm is above the limit.",
            ),
            (
                "It scales layer 1's tiny gradient up to norm 1",
                "Clipping never enlarges a gradient; it is no cure for vanishing gradients.",
            ),
            (
                "It clips each layer to norm 1 separately",
                "Clipping by norm uses one norm over all the arrays together, and 0.6 is below the limit anyway.",
            ),
            (
                "It scales everything by 1/0.6",
                "That would stretch the step; clipping caps its length at max_norm and leaves shorter ones alone.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb07-residual",
        "question": "A stack of residual blocks $X + \\sigma(XW + b)$ (sigmoid branches) starts with a loss "
        "several times the baseline's, although its gradient reaches layer 1 well. Why?",
        "options": [
            (
                "Each sigmoid branch adds a positive amount: the signal drifts up",
                "σ's output averages about 0.5: after 9 blocks the signal sat near 4, saturating later blocks and "
                "inflating the last layers' gradients.",
            ),
            (
                "The skip path multiplies the gradient by the sigmoid's slope, at most 0.25, in every block",
                "The skip path's local derivative is 1: it hands the gradient back unchanged.",
            ),
            (
                "Residual connections only work with ReLU",
                "The tanh network with std-1 weights gained the most from them; what matters is a branch centred at 0.",
            ),
            (
                "The skip path makes the gradient vanish",
                "The opposite: the first/last ratio rose from 1.5e-3 to 8.5e-2 with the skips.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb07-batchnorm-modes",
        "question": "A network with BatchNorm1d layers, still in training mode, predicts a single test example "
        "and then the same example inside a batch of 50. What happens?",
        "options": [
            (
                "The single one is refused; in the batch, its output depends on the 49 others",
                "In training mode the layer normalizes with the batch's own mean and variance; a batch of one has "
                "variance 0. Call eval() to use the running averages.",
            ),
            (
                "Both give the same output: normalization is per example",
                "BatchNorm normalizes each feature over the BATCH, not each example by itself.",
            ),
            (
                "Both give the same output, because γ and β were fixed at the end of training and do not change",
                "γ and β are fixed, but in training mode μ and v still come from the current batch.",
            ),
            (
                "Only the running averages change, the outputs do not",
                "The running averages are updated in training mode, but the output uses the batch's statistics.",
            ),
        ],
        "answer": 0,
    },
]
