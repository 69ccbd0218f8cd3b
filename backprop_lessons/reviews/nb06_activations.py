"""Review questions of notebook 06 (activation functions), shown by ``review("06")``.

Format: see ``backprop_lessons/reviews/__init__.py``. New numbers throughout (the notebook's
examples: z = 0, 1, 2, 5, 10; the 2-16-16-1 race; 14 dead units of 32).
"""

QUESTIONS = [
    {
        "key": "nb06-step-function",
        "question": "Why can't a network of step functions (output 1 if z > 0, else 0) be trained with backpropagation?",
        "options": [
            (
                "Its derivative is 0 wherever it exists, so the chain rule passes back a zero gradient",
                "Right. The loss becomes a staircase in every weight: flat treads give Δw = −α·0 = 0, and the "
                "jumps have no usable slope.",
            ),
            (
                "A step function is too expensive to compute in the forward pass",
                "It is one comparison, as cheap as ReLU. The problem is the backward pass, not the forward one.",
            ),
            (
                "Its outputs 0 and 1 are too far apart for the mean squared error to measure small improvements",
                "The loss measures them fine (the notebook computes E = 0.1667). What is missing is a slope to follow.",
            ),
            ("It can be, if the learning rate is large enough", "α multiplies the gradient: α · 0 is 0 for every α."),
        ],
        "answer": 0,
    },
    {
        "key": "nb06-collapse-three-layers",
        "question": "A network has three linear layers 4 → 32 → 32 → 2 and no activation functions. Which single layer "
        "computes exactly the same function?",
        "options": [
            (
                "None: three layers with 32 units can represent curved functions a single layer cannot",
                "Without a non-linearity each layer is X·W + b, and a composition of such maps is again one: "
                "depth alone buys nothing.",
            ),
            (
                "A 4 → 32 layer, the widest one",
                "The output still has 2 entries per example; the collapsed layer maps the 4 inputs straight to "
                "the 2 outputs.",
            ),
            (
                "One 4 → 2 layer with W = W₁W₂W₃ and b = (b₁W₂ + b₂)W₃ + b₃",
                "Right. Substitute each layer into the next: the weights multiply, and each bias is carried "
                "through the later weight matrices.",
            ),
            (
                "One 4 → 2 layer with W = W₁W₂W₃ and b = b₁ + b₂ + b₃",
                "The weights are right, but a bias added early passes through the later layers: b₁ is "
                "multiplied by W₂W₃, b₂ by W₃. (The shapes do not even match: b₁ has 32 entries.)",
            ),
        ],
        "answer": 2,
    },
    {
        "key": "nb06-sigmoid-slope-at-2",
        "question": "A sigmoid unit outputs a = σ(z) = 0.9 for some input. What is its slope σ′(z) there, and why is "
        "that cheap to get in the backward pass?",
        "options": [
            (
                "0.09, because σ′ = a(1 − a) uses only the output the forward pass already stored",
                "Right. 0.9 · (1 − 0.9) = 0.09: no exponential has to be recomputed.",
            ),
            (
                "0.9, because the sigmoid is its own derivative",
                "That is e^z. The sigmoid's derivative is a(1 − a), at most 0.25, so it can never be 0.9.",
            ),
            (
                "0.19, from 1 − a², read off the output",
                "1 − a² is tanh's derivative written with tanh's output. For the sigmoid it is a(1 − a).",
            ),
            (
                "It cannot be read from a; the backward pass must recompute e^{−z} from the stored input z",
                "The chain-rule derivation gives e^{−z}/(1 + e^{−z})², which simplifies to σ(z)(1 − σ(z)): the "
                "output is enough.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb06-quarter-is-a-bound",
        "question": "σ′(z) ≤ 0.25. A gradient passes back through one sigmoid layer and then through that layer's "
        "incoming weight matrix W. What can you say about how much it shrinks?",
        "options": [
            (
                "It always shrinks at least fourfold, whatever W is, since every sigmoid layer multiplies by σ′ ≤ 0.25",
                "The 0.25 bounds only the activation's factor. The weights multiply in too "
                "(∂E/∂a_prev = ∂E/∂z · Wᵀ): with large weights the product can exceed 1.",
            ),
            (
                "It shrinks exactly fourfold, because every unit sits at z = 0",
                "0.25 is the largest slope, reached only at z = 0; units elsewhere have smaller slopes, and the "
                "weights also matter.",
            ),
            (
                "The activation contributes a factor of at most 0.25; the weights can shrink or grow it further",
                "Right. Whether gradients vanish layer after layer depends on both; notebook 07 measures it.",
            ),
            (
                "It does not shrink: the sigmoid's slope only matters in the forward pass",
                "The backward pass multiplies the upstream gradient by σ′(z), entry by entry: that is the "
                "activation's whole role there.",
            ),
        ],
        "answer": 2,
    },
    {
        "key": "nb06-zero-centred",
        "question": "A hidden layer's activations for one example are all positive. What does that do to the gradient "
        "of the weights W₂ that read this layer (one output unit)?",
        "options": [
            (
                "Nothing special; only the size of the activations matters",
                "∂E/∂W₂ = aᵀ · ∂E/∂ŷ: each entry is an activation times the same upstream number, so their "
                "signs come from the activations.",
            ),
            (
                "All entries of the gradient share one sign, so the weights move all up or all down together",
                "Right. Reaching 'some up, some down' then takes zig-zag steps. tanh's outputs, spread around 0, "
                "avoid this, one reason tanh trained so much better than sigmoid in the race.",
            ),
            (
                "The gradient is zero, because units whose activations are all positive are saturated and stop learning",
                "Positive is not saturated: a sigmoid output of 0.6 has slope 0.24. The issue is the common sign.",
            ),
            (
                "The gradient explodes, because positive numbers add up",
                "Nothing grows here; each entry is an activation between 0 and 1 times one upstream number.",
            ),
        ],
        "answer": 1,
    },
    {
        "key": "nb06-diagnose-dead",
        "question": "After training a ReLU network with α = 3 you find that 20 of the 64 first-layer units output 0 "
        "on every training example, and more epochs at α = 0.1 change none of their weights. What fits?",
        "options": [
            (
                "The units are saturated; switching them to sigmoid, whose slope is never 0, would fix them",
                "ReLU does not saturate for z > 0. These units are on the flat side, z ≤ 0, for every input: "
                "dead, with slope exactly 0. Sigmoid would bring saturation, not a cure.",
            ),
            (
                "A bug in the backward pass; ReLU units cannot stay at zero",
                "This is exactly what correct backprop does: slope 0 for z ≤ 0 on every example gives a gradient "
                "of exactly 0, hence no update.",
            ),
            (
                "They will come back after enough epochs at the small rate",
                "A zero gradient stays zero: with ReLU nothing moves those weights, however long you train.",
            ),
            (
                "Dead ReLUs, likely from the large rate; leaky ReLU, a smaller α or He init help",
                "Right. A big step can push a unit's z below 0 for all inputs, after which its gradient is exactly "
                "0. A small negative slope (leaky ReLU) gives it a gradient again.",
            ),
        ],
        "answer": 3,
    },
    {
        "key": "nb06-leaky-backward",
        "question": "Leaky ReLU with slope 0.1 receives z = [−3, 2] and the upstream gradient dout = [0.5, 0.5]. "
        "What is dE/dz?",
        "options": [
            ("[0, 0.5]", "That is ReLU's backward pass. Leaky ReLU's slope for z ≤ 0 is 0.1, not 0."),
            ("[0.05, 0.5]", "Right. The slope is 0.1 where z ≤ 0 and 1 where z > 0, times dout: [0.1 · 0.5, 1 · 0.5]."),
            (
                "[−0.15, 1.0]",
                "That multiplies dout by the OUTPUT leaky_relu(z) = [−0.3, 2]; the chain rule needs the SLOPE.",
            ),
            ("[0.1, 1]", "That is the local slope alone: the chain rule multiplies it by dout = 0.5."),
        ],
        "answer": 1,
    },
]
