"""Review questions of notebook 04 (backpropagation), shown by ``review("04")``.

Format: see ``backprop_lessons/reviews/__init__.py``. New numbers and shapes, not the notebook's
worked example; each wrong option is a real misconception with its own explanation.
"""

QUESTIONS = [
    {
        "key": "nb04-what-backprop-computes",
        "question": "In the cycle calculate the error → assign the blame → go adjust the weights, what does backpropagation itself do?",
        "options": [
            (
                "It computes dE/dw for every weight, from the output back",
                "Right: backprop is the 'assign the blame' step. It only computes gradients; it changes no weight.",
            ),
            (
                "It updates every weight by w ← w − α dE/dw",
                "That is the optimizer's step (gradient descent). Backprop supplies the gradients the update uses.",
            ),
            (
                "It nudges each weight in turn and measures how much the loss changes",
                "That is finite differences: two forward passes per weight. Backprop gets all gradients from one backward pass.",
            ),
            (
                "It computes the prediction ŷ and the loss E",
                "That is the forward pass ('calculate the error'). Backprop starts where it ends, at dE/dŷ.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb04-dW-shape",
        "question": "A linear layer out = XW + b has X of shape (32, 10) and W of shape (10, 4). With dout of shape (32, 4), which expression is dW?",
        "options": [
            (
                "X.T @ dout, shape (10, 4)",
                "Right: dW_ij = Σ_n X_ni dout_nj sums over the 32 examples, and (10, 32) @ (32, 4) gives W's shape (10, 4).",
            ),
            (
                "dout @ X.T, shape (32, 32)",
                "A gradient has the shape of its parameter, (10, 4). This product pairs examples with examples and has no meaning here.",
            ),
            (
                "dout.T @ X, shape (4, 10)",
                "The numbers are right but arranged as the transpose: W is (10, 4), so dW must be (10, 4) too: X.T @ dout.",
            ),
            (
                "dout @ W.T, shape (32, 10)",
                "That is dX, the gradient for the layer's input (the shape of X), which is handed on to the layer before.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb04-db-sum",
        "question": "Why is db the SUM of dout over the batch, db = dout.sum(axis=0), and not one row per example?",
        "options": [
            (
                "b is added to every example, so its gradient adds up all their contributions",
                "Right: b_j is used by out_nj for every n; a value used several times receives the sum of its uses' gradients.",
            ),
            (
                "Because the loss is a mean over the batch, the rows of dout must be averaged, not summed",
                "The 1/N of the mean is already inside dout (dE/dŷ = 2(ŷ − y)/N). Averaging again would make db N times too small.",
            ),
            (
                "It is a shortcut; one row per example would be more exact",
                "Not a shortcut: the bias is ONE parameter per unit, so its gradient has shape (H,). The sum is exact.",
            ),
            (
                "Because the local derivative ∂out/∂b is 0 for all but one example",
                "It is 1 for EVERY example: b is added to each row of XW. That is why all the rows of dout count.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb04-dX-to-earlier-layer",
        "question": "A second linear layer has W₂ of shape (6, 3) and receives dout of shape (8, 3). What does it hand back to the layer before it?",
        "options": [
            (
                "dout @ W₂.T, shape (8, 6)",
                "Right: dX_ni = Σ_j dout_nj W_ij, the gradient for the layer's input: one row per example, one column per input unit.",
            ),
            (
                "dW₂, shape (6, 3)",
                "dW₂ stays with this layer (the optimizer uses it). The earlier layer needs the gradient of its OUTPUT, which is this layer's input.",
            ),
            (
                "dout itself, shape (8, 3)",
                "dout is the gradient at this layer's output. Passing through the layer multiplies by the local derivatives, the weights W₂.",
            ),
            (
                "W₂.T @ dout.T, shape (3, 8)",
                "That product does not even fit: (3, 6) @ (3, 8). The result must have the input's shape (8, 6).",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb04-sensitivity-not-share",
        "question": "After a backward pass, |dE/dw₁| = 0.6 and |dE/dw₂| = 0.2 while E = 0.5. What can you conclude?",
        "options": [
            (
                "A small change of w₁ moves E about 3 times as much as the same change of w₂",
                "Right: a gradient is a sensitivity, ΔE ≈ dE/dw · Δw, valid for small steps.",
            ),
            (
                "w₁ caused 60 % of the error and w₂ 20 %",
                "Gradients are not shares of E: here they add up to 0.8, more than E = 0.5. They measure how E reacts, not who made it.",
            ),
            (
                "Setting w₁ to 0 would remove 0.6 from the loss",
                "The gradient predicts the effect of SMALL changes only; setting a weight to 0 is a large step, and E cannot drop below 0.",
            ),
            (
                "The backward pass must be wrong, because the gradients should add up to the loss E",
                "Nothing makes the gradients add up to E: they are rates of change (E per unit of w), not pieces of E.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb04-gradient-check-diagnosis",
        "question": "A gradient check of your 2-layer backward pass gives relative errors dW₂ 3e-10, db₂ 2e-11, dW₁ 0.4, db₁ 0.3. Where is the bug most likely?",
        "options": [
            (
                "Between the output layer and W₁: in dh = dŷ·W₂ᵀ or tanh's slope",
                "Right: the output layer's gradients are correct, so dŷ is right; everything that goes wrong happens after W₂, on the way to W₁.",
            ),
            (
                "In dE/dŷ, the gradient of the loss",
                "A wrong dŷ would spoil EVERY gradient, dW₂ and db₂ included. They pass, so dŷ is right.",
            ),
            (
                "Nowhere: relative errors below 1 are fine",
                "A correct backward pass gives about 1e-7 or less. 0.4 means the gradients differ in the first digit.",
            ),
            (
                "In the finite differences, because h = 1e-5 is too small",
                "The same check passes for W₂ and b₂ with the same h. A check that disagrees only behind tanh points at the backward pass.",
            ),
        ],
        "answer": 0,
    },
    {
        "key": "nb04-efficiency",
        "question": "A network has P = 50,000 weights. About how many forward passes does a finite-difference gradient need, and what does backprop need?",
        "options": [
            (
                "100,000; backprop one forward and one backward pass",
                "Right: a central difference needs two forward passes per weight; backprop gets all P gradients from one backward pass.",
            ),
            (
                "50,000; backprop 50,000 backward passes",
                "Backprop does not go weight by weight: one backward pass hands every layer its gradients at once.",
            ),
            (
                "2; backprop 1",
                "Finite differences nudge one weight at a time: f(w + h) and f(w − h) for EACH weight, so 2P passes.",
            ),
            (
                "100,000 for finite differences, and backprop needs just as many",
                "Then backprop would bring nothing. Its point is that one backward pass costs about as much as one or two forward passes.",
            ),
        ],
        "answer": 0,
    },
]
