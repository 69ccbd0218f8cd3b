"""Review questions of notebook 08 (optimizers), shown by ``review("08")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [
    {
        "key": "nb08-momentum-steady",
        "question": "Momentum with $\\beta = 0.8$ and $\\alpha = 0.05$ on a long, even slope whose gradient stays "
        "$g = 2$. After many steps, how long is each step?",
        "options": [
            (
                "0.5",
                "The velocity approaches $g/(1-\\beta) = 2/0.2 = 10$, and the step is $\\alpha v = 0.05 \\cdot 10$.",
            ),
            (
                "0.1",
                "That is plain SGD's step $\\alpha g$; momentum's velocity keeps adding the gradient, up to "
                "$1/(1-\\beta)$ times it.",
            ),
            (
                "0.08",
                "Momentum does not multiply the step by $\\beta$; the velocity sums $g + \\beta g + \\beta^2 g + "
                "\\dots$",
            ),
            (
                "It keeps growing without limit",
                "That happens only at $\\beta = 1$; with $\\beta < 1$ the old gradients fade and the sum converges.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb08-adam-first-step",
        "question": "Adam with $\\alpha = 0.002$ takes its first step with the gradient $[10^{-6}, 50]$. Roughly how "
        "far does each weight move?",
        "options": [
            (
                "0.002 each",
                "At $t = 1$ the corrected averages are $\\hat m = g$ and $\\hat s = g^2$, so the step is "
                "$\\alpha\\, g/|g| = \\pm\\alpha$ for every weight.",
            ),
            ("$2 \\cdot 10^{-9}$ and 0.1", "That is SGD's $\\alpha g$; Adam divides each gradient by its own size."),
            (
                "about 0.0063 each",
                "That would be the step without bias correction: $0.1/\\sqrt{0.001} \\approx 3.2$ times too large.",
            ),
            (
                "0 for the first weight: its gradient is too small to count",
                "Adam's step depends on the gradient's sign and consistency, not its scale (apart from $\\epsilon$).",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb08-diagnose-adam-loop",
        "question": "A learner's Adam loop makes its first few steps about 3 times longer than $\\alpha$, and later "
        "steps are about $\\alpha$. Which mistake fits?",
        "options": [
            (
                "The bias correction is missing",
                "Without it $m$ is too small by $1-\\beta_1^t$ and $\\sqrt s$ by "
                "$\\sqrt{1-\\beta_2^t}$: at $t = 1$ the step is $0.1/\\sqrt{0.001} "
                "\\approx 3.2\\,\\alpha$.",
            ),
            (
                "The square root of $\\hat s$ is missing",
                "Then the step would be $\\alpha\\,\\hat m/\\hat s \\approx "
                "\\alpha/|g|$, wrong by the gradient's scale at every step.",
            ),
            (
                "$t$ was never increased",
                "With $t$ stuck at 1 the correction is only right at the first step; the "
                "first step would be exactly $\\alpha$, later ones too short.",
            ),
            (
                "$m$ adds the whole gradient, as momentum does",
                "Then $m$ would be 10 times larger than an average and the steps 10 times too long, also later.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb08-ravine-limit",
        "question": "On a ravine $E = \\tfrac12(0.5\\,w_1^2 + 40\\,w_2^2)$, up to which $\\alpha$ does plain SGD converge?",
        "options": [
            (
                "$\\alpha < 2/40 = 0.05$",
                "The steepest direction sets the limit: each step multiplies $w_2$ by "
                "$1 - 40\\alpha$, which must stay between −1 and 1.",
            ),
            ("$\\alpha < 2/0.5 = 4$", "That is the gentle direction's limit; the steep one diverges long before."),
            (
                "$\\alpha < 1/40$",
                "At $1/40$ the steep direction is solved in one step, but rates up to $2/40$ "
                "still converge, oscillating.",
            ),
            (
                "Any $\\alpha$: a quadratic bowl always converges",
                "Too large a step overshoots by more each time: the factor $|1 - 40\\alpha|$ exceeds 1.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb08-minibatch-noise",
        "question": "With mini-batches of 16 the gradient estimate scatters by about 0.8. About how much with "
        "batches of 256 (from a large dataset)?",
        "options": [
            ("0.2", "The scatter shrinks like $1/\\sqrt{B}$: 16 times the batch, $\\sqrt{16} = 4$ times less noise."),
            (
                "0.05",
                "That is $1/B$: averaging $B$ independent estimates divides the VARIANCE by $B$, the spread "
                "only by $\\sqrt B$.",
            ),
            ("0.8", "A larger batch averages more examples, so its estimate scatters less."),
            (
                "0, because the batch is large",
                "Only the full batch has no scatter at all; any random subset still varies from draw to draw.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb08-schedule",
        "question": "Training with mini-batches and a constant $\\alpha$, the loss falls quickly, then keeps "
        "jittering above its best value. What helps most?",
        "options": [
            (
                "A schedule that lowers $\\alpha$ later in training",
                "Near the bottom each step is a kick of size α × (noisy slope); smaller α late calms the kicks.",
            ),
            ("A larger constant $\\alpha$", "Larger steps make every noisy kick larger: the jitter grows."),
            (
                "More epochs at the same $\\alpha$",
                "The noise does not fade with time at a fixed rate; the loss keeps bouncing at the same level.",
            ),
            ("Smaller mini-batches", "Smaller batches give noisier gradients, so the jitter gets worse, not better."),
        ],
        "answer": 0,
    },
    {
        "key": "nb08-sweep-reading",
        "question": "A sweep gives SGD's lowest final loss at the largest rate tried, and a second run at that rate "
        "with one weight nudged by $10^{-9}$ ends at a very different loss. What may you conclude?",
        "options": [
            (
                "That rate is at the edge of stability; its number is not to be trusted",
                "A run whose result changes under a $10^{-9}$ nudge is chaotic: rounding on another CPU changes it too. "
                "Extend the grid and compare only stable runs.",
            ),
            (
                "SGD's best rate is that one",
                "An optimum at the edge of a grid is not located: the curve may keep "
                "falling, or the run may be chaotic, as here.",
            ),
            (
                "SGD's best rate is 10 times momentum's",
                "One fragile run cannot carry a rule; in the notebook the 1/(1 − β) match held only at small rates.",
            ),
            (
                "The nudge was too large to tell",
                "$10^{-9}$ is far below any meaningful change of a weight; a stable "
                "run's loss would change only in its last digits.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb08-diagnose-jitter",
        "question": "Mini-batch training with a constant α: the loss drops fast, then keeps jumping up and down "
        "around a value clearly above the best possible, epoch after epoch. What fits best?",
        "options": [
            (
                "α is above the speed limit 2/λmax: the run is slowly diverging and will blow up later",
                "A diverging run grows without bound; this loss stays in a band. The steps are stable, just noisy.",
            ),
            (
                "The gradients are computed wrongly; run a gradient check",
                "Wrong gradients rarely give a fast drop followed by a steady band. The band is the noise of "
                "mini-batch gradients times a constant α.",
            ),
            (
                "Let α decay over time (a schedule), or use larger batches",
                "Right. Near the bottom each step is a kick of α × (noisy slope). Shrinking α (step or exponential "
                "decay) or the noise (larger B) lets the weights settle.",
            ),
            (
                "Train for more epochs with the same settings",
                "With a constant α the kicks never get smaller, so more epochs keep the loss in the same band.",
            ),
        ],
        "answer": 2,
    },
]
