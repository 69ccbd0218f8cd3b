"""Review questions of notebook 03 (chain rule), shown by ``review("03")``.

Format: see ``backprop_lessons/reviews/__init__.py``.
"""

QUESTIONS = [{'key': 'nb03-q1',
  'question': 'u = 3x + 1 and L = u². What is dL/dx at x = 1?',
  'options': [('6', 'Find the two local slopes, dL/du = 2u and du/dx, at u = 4, and combine them.'),
              ('8', 'Find the two local slopes, dL/du = 2u and du/dx, at u = 4, and combine them.'),
              ('24', 'Find the two local slopes, dL/du = 2u and du/dx, at u = 4, and combine them.'),
              ('16', 'Find the two local slopes, dL/du = 2u and du/dx, at u = 4, and combine them.')],
  'answer': '24'},
 {'key': 'nb03-q2',
  'question': 'In the graph e = a·b, d = e + c, L = d·f, why is ∂L/∂c equal to ∂L/∂d?',
  'options': [('Because c and d have the same value', 'Read the question again and try another answer.'),
              ('Because the local derivative of a sum is 1: a sum passes the upstream gradient through '
               'unchanged',
               '∂L/∂c = ∂d/∂c · ∂L/∂d = 1 · ∂L/∂d. Adding c to e moves d one-for-one, so whatever L feels '
               'from d, it feels from c.'),
              ('Because c is an input of the graph', 'Read the question again and try another answer.'),
              ('It is a coincidence of these numbers', 'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb03-q3',
  'question': 'Why does the backward pass visit the nodes in reverse topological order (the output first)?',
  'options': [('It is faster, but any order gives the same gradients',
               'Read the question again and try another answer.'),
              ("A node's gradient is complete only after every node that uses it has added its contribution",
               'Each node passes on local derivative × ITS gradient. If it passed that on before all its '
               "users had reported back, it would hand on an incomplete (often zero) number, as the 'inputs "
               "first' run in section 6 showed."),
              ('Because inputs have no local derivatives', 'Read the question again and try another answer.'),
              ('So that the forward values can be recomputed on the way back',
               'Read the question again and try another answer.')],
  'answer': 1},
 {'key': 'nb03-q4',
  'question': 'A value a is used by two later nodes. What is ∂L/∂a?',
  'options': [('The contribution of the last node visited',
               'Read the question again and try another answer.'),
              ('The larger of the two contributions', 'Read the question again and try another answer.'),
              ('The sum of the two contributions (local derivative × upstream gradient along each path)',
               'Nudging a changes L along both paths at once, so the effects add: that is why backward() '
               'uses += and why `=` silently gives wrong gradients.'),
              ('Their average', 'Read the question again and try another answer.')],
  'answer': 2},
 {'key': 'nb03-q5',
  'question': 'At some point the gradient of the loss is ∇E = (−4, 6). Which statement is right?',
  'options': [('E decreases fastest in the direction (−4, 6)',
               'Read the question again and try another answer.'),
              ('E increases fastest in the direction (−4, 6), at a rate of √52 ≈ 7.21 per unit step',
               'The gradient points in the direction of steepest increase and its length is that rate. To '
               'lower the loss, step along −∇E, which is what gradient descent does.'),
              ('The minimum of E is at (−4, 6)', 'Read the question again and try another answer.'),
              ('w2 matters less than w1 here', 'Read the question again and try another answer.')],
  'answer': 1}]
