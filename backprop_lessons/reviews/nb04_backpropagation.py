"""Review questions of notebook 04 (backpropagation), shown by ``review("04")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [{'key': 'nb04-q1',
  'question': 'How does backpropagation use the chain rule to find how each weight should change?',
  'options': [('It nudges each weight a little and measures how the loss changes',
               'Nudging every weight is finite differences. What does the backward pass hand from layer to '
               'layer?'),
              ('It starts from ∂E/∂ŷ at the output and works backwards: each operation multiplies the '
               'upstream gradient by its local derivative, so every weight receives ∂E/∂w',
               "Backprop is the chain rule applied node by node from the loss back to the inputs. A weight's "
               'gradient is the product of the local derivatives along the path(s) from the loss to it, '
               'summed over paths; the sign says which way to move it, the size how strongly the loss '
               'reacts.'),
              ('It compares each weight with the weights of a trained network',
               'Nudging every weight is finite differences. What does the backward pass hand from layer to '
               'layer?'),
              ('It solves an equation for the weights that make the loss zero',
               'Nudging every weight is finite differences. What does the backward pass hand from layer to '
               'layer?')],
  'answer': 1},
 {'key': 'nb04-q2',
  'question': 'What is the division of labour between backpropagation and gradient descent?',
  'options': [('Backprop updates the weights; gradient descent computes the loss',
               'Read the question again and try another answer.'),
              ('They are two names for the same algorithm',
               'Read the question again and try another answer.'),
              ('Backprop computes the gradient ∂E/∂w of every weight; gradient descent (the optimizer) uses '
               'it to update each weight, w ← w − α ∂E/∂w',
               "Backprop answers 'which way and how strongly?' for every weight (assign the blame); the "
               'optimizer decides how far to step (go adjust). That is why the same backprop works with SGD, '
               'momentum or Adam.'),
              ('Gradient descent computes the gradients; backprop chooses the learning rate',
               'Read the question again and try another answer.')],
  'answer': 2},
 {'key': 'nb04-q3',
  'question': 'A network has P = 1,000,000 weights. Roughly how many forward passes does one gradient cost '
              'with central finite differences, and with backprop?',
  'options': [('Both about 1,000,000', 'Read the question again and try another answer.'),
              ('Finite differences about 2,000,000; backprop one forward plus one backward pass, a few '
               "forward passes' worth of work",
               "Central differences need two forward passes per weight. Backprop reuses the forward pass's "
               'cache and gets every gradient in one backward pass, which costs about as much as a forward '
               'pass (roughly 2×).'),
              ('Finite differences about 2; backprop about 1,000,000',
               'Read the question again and try another answer.'),
              ('Both about 2', 'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb04-q4',
  'question': 'For a linear layer out = X·W + b with a batch of N examples, why does dW = Xᵀ·dout add up '
              'contributions from all N examples?',
  'options': [('Because the loss is an average', 'Read the question again and try another answer.'),
              ('Because W is used by every example, and a value used in several places receives the sum of '
               'the gradients from every use',
               "Each example's output uses the same W, so W is a shared node: its gradient is the sum over "
               'examples, exactly the += of notebook 03. Xᵀ·dout performs that sum as a matrix product.'),
              ('To make dW smaller', 'Read the question again and try another answer.'),
              ('It does not; dW only uses the last example',
               'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb04-q5',
  'question': 'Why does the forward pass keep a cache (here X and h)?',
  'options': [('To print them later', 'Read the question again and try another answer.'),
              ('The local derivatives of the backward pass need these forward values (∂(XW)/∂W involves X, '
               "tanh's slope is 1 − h²), and recomputing them would waste time",
               'Backprop trades memory for speed: everything the backward pass needs is stored once on the '
               'way forward. That is why training uses more memory than prediction.'),
              ('Because numpy needs it', 'Read the question again and try another answer.'),
              ('To reset the gradients to zero', 'Read the question again and try another answer.')],
  'answer': 1}]
