"""Review questions of notebook 10 (capstone), shown by ``review("10")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [{'key': 'nb10-q1',
  'question': 'What does one neuron compute in the forward pass?',
  'options': [('The gradient of the loss', 'Read the question again and try another answer.'),
              ('A weighted sum of its inputs plus a bias, passed through an activation function: a = f(w·x + '
               'b)',
               'Weights scale each input (the knobs), the bias shifts the sum, and the activation bends it; '
               'layers of such neurons, one after another, make the forward pass (notebook 01).'),
              ('The average of its inputs', 'Read the question again and try another answer.'),
              ('The error between prediction and target', 'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb10-q2',
  'question': 'How does backpropagation use the chain rule to find how each weight should change?',
  'options': [('It nudges each weight and measures the change of the loss',
               'Read the question again and try another answer.'),
              ("Starting from ∂E/∂E = 1 at the output, it multiplies each node's local derivative by the "
               'gradient arriving from above, layer by layer back to the input, adding up contributions '
               'where paths meet',
               'That backward sweep gives ∂E/∂w for every weight in about the cost of one forward pass; '
               'nudging every weight (finite differences) would need one forward pass per weight (notebooks '
               '03, 04).'),
              ('It solves an equation for the best weights directly',
               'Read the question again and try another answer.'),
              ('It compares the weights with their values in the previous epoch',
               'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb10-q3',
  'question': 'What is the division of labour between backpropagation and gradient descent?',
  'options': [('Backprop updates the weights; gradient descent computes the gradients',
               'Read the question again and try another answer.'),
              ('Backprop computes the gradient of the loss for every weight; gradient descent (the '
               'optimizer) uses it to change the weights, Δw = −α ∂E/∂w',
               'Calculate the error, assign the blame (backprop), go adjust the weights (the optimizer).'),
              ('They are two names for the same thing', 'Read the question again and try another answer.'),
              ('Gradient descent chooses the architecture; backprop trains it',
               'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb10-q4',
  'question': 'Training a network, the loss grows from epoch to epoch until it becomes NaN. What is the most '
              'likely cause?',
  'options': [('The learning rate is too large',
               'Steps that overshoot the minimum by more each time make the loss diverge (notebook 05). Too '
               'small a rate makes it crawl instead.'),
              ('The learning rate is too small', 'Read the question again and try another answer.'),
              ('The validation set is too small', 'Read the question again and try another answer.'),
              ('The network has too few layers', 'Read the question again and try another answer.')],
  'answer': 0},
 {'key': 'nb10-q5',
  'question': 'Why did the deep sigmoid network of this notebook learn almost nothing?',
  'options': [('Sigmoid is not differentiable', 'Read the question again and try another answer.'),
              ('Each sigmoid layer multiplies the backward gradient by σ′ ≤ 0.25, so the early layers get '
               'vanishing gradients',
               'The gradient shrank layer by layer on its way back (notebook 07); ReLU with He init keeps '
               'its size, and the same depth then trained well.'),
              ('The spiral data cannot be learned', 'Read the question again and try another answer.'),
              ('Softmax and sigmoid cannot be combined', 'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb10-q6',
  'question': 'Which statement about Adam is true?',
  'options': [('It needs no learning rate', 'Read the question again and try another answer.'),
              ("It combines momentum with a per-weight step size from the running size of each weight's "
               'gradients',
               "Adam still has α; it uses backprop's gradients like every optimizer; and like the others it "
               'can settle in a local minimum (notebook 08).'),
              ('It computes gradients without backpropagation',
               'Read the question again and try another answer.'),
              ('It always finds the global minimum', 'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb10-q7',
  'question': 'The training loss keeps falling while the validation loss rises. Which pair of remedies fits?',
  'options': [('A larger learning rate and more epochs', 'Read the question again and try another answer.'),
              ('Early stopping and L2 regularization (or dropout)',
               'That is overfitting (notebook 09): stop at the best validation epoch, and/or penalise large '
               'weights, drop units at random, or get more data.'),
              ('Removing the validation set', 'Read the question again and try another answer.'),
              ('Sigmoid instead of ReLU', 'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb10-q8',
  'question': 'Which is a real limitation of backpropagation?',
  'options': [('It only works for networks with one hidden layer',
               'Read the question again and try another answer.'),
              ('It cannot train convolutional or recurrent networks',
               'Read the question again and try another answer.'),
              ('It needs a target for every training example (supervised learning) and only follows the '
               'local slope',
               'Backprop trains any differentiable network, convolutional and recurrent ones included, in '
               'about the cost of a forward pass; but it needs labelled targets and, being a local method, '
               'can stall on plateaus or in local minima.'),
              ('It needs one forward pass per weight', 'Read the question again and try another answer.')],
  'answer': 2}]
