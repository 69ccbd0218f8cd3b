"""Review questions of notebook 01 (forward pass), shown by ``review("01")``.

Format: see ``backprop_lessons/reviews/__init__.py``. New numbers, not the fruit example's;
each wrong option is a misconception a learner really has, with its own explanation.
"""

QUESTIONS = [
    {
        "key": "nb01-weighted-sum",
        "question": "A neuron has weights $w = (0.5, -2)$ and bias $b = 1$. It gets the input $x = (4, 1.5)$. "
        "What is its weighted sum $z$?",
        "options": [
            ("z = 0", "Right: 0.5·4 + (−2)·1.5 + 1 = 2 − 3 + 1 = 0, so this neuron is exactly undecided, σ(0) = 0.5."),
            ("z = −1", "That is w·x without the bias: the bias b = 1 is added after the weighted inputs."),
            ("z = 6", "The sign of the weight −2 was dropped: a negative weight makes its input count against."),
            ("z = 0.5", "0.5 is σ(z), the neuron's output, not the weighted sum z itself."),
        ],
        "answer": 0,
    },
    {
        "key": "nb01-layer-shapes",
        "question": "A batch X of 64 images, each described by 100 numbers, feeds a layer of 8 neurons. "
        "What are the shapes of W and of X @ W + b?",
        "options": [
            (
                "W (8, 100), output (64, 8)",
                "(64, 100) @ (8, 100) does not work: the inner sizes 100 and 8 differ. "
                "Each neuron's weights are a column of W, so W is (D, H).",
            ),
            (
                "W (100, 8), output (64, 8)",
                "Right: (N, D) @ (D, H) → (N, H), one row per image and one column per neuron.",
            ),
            ("W (100, 8), output (8, 64)", "The rows of the output are the examples, as in X: (N, H), not (H, N)."),
            (
                "W (64, 100), output (64, 100)",
                "W does not depend on the batch size (the same weights serve any number of examples), and the output has one column per neuron.",
            ),
        ],
        "answer": 1,
    },
    {
        "key": "nb01-bias-moves-line",
        "question": "A neuron's decision line is $3x_1 + 4x_2 - 10 = 0$. You change only the bias, from −10 to −5. "
        "What happens to the line?",
        "options": [
            (
                "It turns to a new direction",
                "The direction is set by w = (3, 4), which did not change: the line stays perpendicular to w.",
            ),
            (
                "It gets steeper, the output switches more sharply",
                "The sharpness grows with the size of w; the bias does not change it.",
            ),
            (
                "It slides towards (0, 0), to half its distance",
                "Right: the distance is |b| / ‖w‖ = 10/5 = 2 before and 5/5 = 1 after; the direction stays.",
            ),
            (
                "Nothing: the bias only shifts the output up",
                "The bias changes z everywhere, so the points where z = 0, the line, change too.",
            ),
        ],
        "answer": 2,
    },
    {
        "key": "nb01-scale-weights-and-bias",
        "question": "A neuron has $w = (1, -1)$, $b = 0.5$. You multiply $w$ and $b$ by 10. What changes?",
        "options": [
            (
                "The line moves ten times further from (0, 0)",
                "|10b| / ‖10w‖ = |b| / ‖w‖: scaling both leaves the distance as it was.",
            ),
            (
                "Nothing at all: every output stays the same",
                "The line stays, but z is 10 times larger off the line, so the outputs move towards 0 and 1.",
            ),
            (
                "The line stays; the outputs become more confident",
                "Right: 10(w·x + b) = 0 has the same solutions, but away from the line σ(10z) is closer to 0 or 1.",
            ),
            (
                "The accuracy goes up, because the neuron is now surer of itself",
                "Every point stays on the same side of the same line, so the accuracy does not change.",
            ),
        ],
        "answer": 2,
    },
    {
        "key": "nb01-why-activation",
        "question": "Someone removes every activation from a 5-layer network to make it faster. "
        "What can the network still represent?",
        "options": [
            (
                "Only a straight decision line, like one layer",
                "Right: a product of linear layers is one linear layer, X (W1 W2 … W5) + a bias vector.",
            ),
            (
                "Everything as before, just computed faster",
                "Without activations the layers collapse into one, so curved "
                "boundaries such as the moons are out of reach.",
            ),
            (
                "Nothing: the matrix shapes no longer fit",
                "Shapes do not depend on activations, which act entry by entry and keep the shape.",
            ),
            (
                "Curves, but only up to degree 5, one per layer",
                "Linear maps composed stay linear: no layer adds a power of x.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb01-count-parameters",
        "question": "How many weights and biases does the network mlp([3, 4, 2]) hold?",
        "options": [
            ("9 = 3 + 4 + 2", "That counts neurons (widths), not parameters: every connection has its own weight."),
            (
                "20 = 3·4 + 4·2, one weight per connection",
                "Those are the weights; each layer also has one bias per neuron, 4 + 2 more.",
            ),
            ("26 = (3·4 + 4) + (4·2 + 2)", "Right: a layer from D to H holds a (D, H) matrix and H biases."),
            ("24 = 3·4·2", "Layers are not multiplied together: each layer's parameters are added to the count."),
        ],
        "answer": 2,
    },
    {
        "key": "nb01-tanh-range",
        "question": "A hidden neuron uses tanh and has weighted sum $z = 0$. What does it output, and what does a sigmoid "
        "neuron output at the same $z$?",
        "options": [
            (
                "tanh gives 0.5, the sigmoid gives 0",
                "It is the other way round: tanh is centred on 0, the sigmoid on 0.5.",
            ),
            ("Both give 0.5, the middle of their range", "tanh runs from −1 to 1, so its middle value is 0, not 0.5."),
            ("tanh gives 0, the sigmoid gives 0.5", "Right: tanh(0) = 0 and σ(0) = 0.5; tanh(z) = 2σ(2z) − 1."),
            ("Both give 0", "σ(0) = 1 / (1 + e⁰) = 1/2: a sigmoid neuron with z = 0 is undecided, at 0.5."),
        ],
        "answer": 2,
    },
    {
        "key": "nb01-diagnose-last-activation",
        "question": "A network should predict house prices (in units of 100 000, so targets from 0.5 to 8). Its "
        "forward pass returns only numbers between 0 and 1, for every input. What is the likely bug?",
        "options": [
            (
                "The bias of the first layer is missing",
                "A missing bias moves the hidden neurons' lines, but the output could still be any number.",
            ),
            (
                "A sigmoid was applied after the last layer",
                "Right: σ squashes every score into (0, 1); the output layer of a regression has no activation.",
            ),
            (
                "W1 is transposed",
                "A transposed W1 would make the shapes fail (or mix the inputs), not bound the outputs.",
            ),
            (
                "There is no activation between the layers",
                "Then the network is linear, and a linear map's outputs are not bounded at all.",
            ),
        ],
        "answer": 1,
    },
]
