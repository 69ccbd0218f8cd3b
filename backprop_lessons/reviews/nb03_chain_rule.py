"""Review questions of notebook 03 (chain rule), shown by ``review("03")``.

Format: see ``backprop_lessons/reviews/__init__.py``. New numbers, not the notebook's worked examples;
each wrong option is a real misconception with its own explanation.
"""

QUESTIONS = [
    {
        "key": "nb03-chain-new-numbers",
        "question": "u = 2x − 1 and L = u³. What is dL/dx at x = 2?",
        "options": [
            ("54", "Right: u = 3, so dL/du = 3u² = 27, and du/dx = 2; along a chain the slopes multiply: 27 · 2 = 54."),
            (
                "27",
                "27 is only the outer slope dL/du = 3u². L depends on x through u, so multiply by the inner slope du/dx = 2.",
            ),
            (
                "29",
                "That adds the two slopes, 27 + 2. Along a chain they multiply: turning x turns u twice as much, and L 27 times as much as u.",
            ),
            (
                "13.5",
                "That divides the outer slope by the inner one, 27 / 2. The chain rule multiplies them: dL/dx = dL/du · du/dx.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb03-two-paths",
        "question": "m = a·b and L = m + a, with a = 5 and b = 2. What is the gradient dL/da?",
        "options": [
            (
                "3",
                "Right: two paths. Through m: ∂m/∂a · dL/dm = b · 1 = 2. Directly: ∂L/∂a · dL/dL = 1. They add: 2 + 1 = 3.",
            ),
            (
                "2",
                "2 = b is only the path through the product. a also feeds the sum directly, which adds 1 · 1: dL/da = b + 1.",
            ),
            (
                "1",
                "1 is only the direct path, the local derivative of L = m + a. The path through m = a·b adds b · 1 = 2.",
            ),
            (
                "10",
                "10 = a·b is the forward value of m, not a slope. Gradients are built from local derivatives times upstream gradients.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb03-two-symbols",
        "question": "For m = a·b, L = m + a, how do ∂L/∂a and dL/da differ?",
        "options": [
            (
                "∂L/∂a = 1 is the slope of the one operation L = m + a; dL/da = b + 1 counts every path",
                "Right: ∂ is one operation with its other input m held fixed; dL/da, stored in a.grad, is what the backward pass adds up.",
            ),
            (
                "They are the same number, written two ways",
                "They agree only when a reaches L along a single path. Here a feeds L directly and through m: 1 versus b + 1.",
            ),
            (
                "∂L/∂a is a finite-difference estimate, dL/da the exact value",
                "Both are exact slopes. The difference is how much of the graph they follow: one operation, or the whole calculation.",
            ),
            (
                "dL/da = 1 is the local slope and ∂L/∂a = b + 1 the total",
                "That swaps the two. In this course the curly ∂ always means one operation, the upright d the whole calculation.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb03-topological-order",
        "question": "Why does the backward pass visit the nodes in reverse topological order (the output first)?",
        "options": [
            (
                "Any order gives the same gradients; this one is just faster",
                "Not the same: section 6 ran the loop inputs first and a, b, c, e all came out 0 instead of 6, −4, −2, −2.",
            ),
            (
                "A node's gradient is complete only after every node that uses it has added its part",
                "Right: a node passes on local derivative × its own gradient, so that gradient must be final first.",
            ),
            (
                "Because inputs have no local derivatives",
                "Inputs do receive gradients (dL/da = 6 in the example). The order is about when a gradient is complete, not about inputs.",
            ),
            (
                "Because the forward pass has to be undone step by step",
                "Nothing is undone: the forward values stay and are used. The order only ensures each node has heard from all its users.",
            ),
        ],
        "answer": 1,
    },
    {
        "key": "nb03-assign-instead-of-add",
        "question": "A backward pass writes parent.grad = local * node.grad (= instead of +=). On which graph are its gradients still all correct?",
        "options": [
            (
                "e = a·b, d = e + c, L = d·f",
                "Right: there every value is used exactly once, so each node receives one contribution and = and += agree.",
            ),
            (
                "L = a·b + a",
                "a is used twice here; with = it keeps only the last contribution: −4 or 1 instead of b + 1 = −3 (for a = 3, b = −4).",
            ),
            (
                "L = a·a",
                "The product uses a twice, as both factors: the two contributions a and a must add to 2a; = keeps only one.",
            ),
            (
                "On every graph; it only breaks deep networks",
                "Depth does not matter. Any value used more than once (a weight in a batch, an input feeding many neurons) is broken.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb03-central-difference-error",
        "question": "A central difference with h = 0.01 is off by 2·10⁻⁵ for a smooth function. About how far off is it with h = 0.001?",
        "options": [
            (
                "2·10⁻⁷",
                "Right: the central difference's error shrinks like h², so 10 times smaller h gives 100 times smaller error.",
            ),
            (
                "2·10⁻⁶",
                "A factor 10 is how the FORWARD difference improves (error ∝ h). The central one cancels that term and improves like h².",
            ),
            (
                "still 2·10⁻⁵",
                "The estimate does improve as h shrinks, until rounding errors take over at much smaller h (around 10⁻⁸).",
            ),
            (
                "2·10⁻⁸",
                "That would be an error shrinking like h³. For the central difference the leading error term is proportional to h².",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb03-gradient-direction",
        "question": "At some point the gradient of a loss is ∇E = (3, −4). In which direction does a small step lower E fastest?",
        "options": [
            (
                "along (−3, 4)/5, at a rate of 5 per unit step",
                "Right: −∇E points straight downhill and |∇E| = √(9 + 16) = 5 is the fastest rate of change.",
            ),
            (
                "along (3, −4)/5, since the gradient points downhill",
                "The gradient points UPHILL: along ∇E the loss rises fastest. The downhill direction is −∇E.",
            ),
            (
                "along (0, 1), the axis with the larger gradient",
                "Moving along one axis uses only one component (rate 4). The combination (−3, 4)/5 beats every single axis.",
            ),
            (
                "along (−3, 4)/5, at a rate of 7 per unit step",
                "Direction right, rate wrong: the rate is the LENGTH of the gradient, √(3² + 4²) = 5, not 3 + 4.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb03-new-operation",
        "question": "You add out = x³ to a scalar engine. Which local derivative must the node store for the input x = −2?",
        "options": [
            ("12", "Right: ∂(x³)/∂x = 3x² = 3 · 4 = 12, computed from the number x.data in the forward pass."),
            ("−8", "−8 = x³ is the forward value the node stores as data. The local derivative is its slope, 3x²."),
            (
                "−12",
                "3x² is never negative: squaring removes the sign of x = −2. The slope of x³ is positive everywhere except at 0.",
            ),
            (
                "3",
                "The exponent alone is not the slope; the power rule multiplies it by x to one power less: 3 · x² = 12.",
            ),
        ],
        "answer": 0,
    },
]
