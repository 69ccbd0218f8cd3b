# nbgrader settings of the course: read by `nbgrader` in a course directory (`make course` copies this
# file there) and by `make notebooks`, which builds the learner edition with the same preprocessors.
# Nothing here is needed by a learner; nbgrader is the optional extra `pip install -e '.[instructor]'`.
c = get_config()  # noqa: F821 (nbgrader's config loader provides it)

c.CourseDirectory.course_id = "backprop-lessons"

# What a solution region (### BEGIN SOLUTION / ### END SOLUTION) becomes in the learner edition.
# nbgrader's default, written out because the course's checkers recognise exactly this stub
# ("`fn` is not written yet: replace `raise NotImplementedError()` with your code").
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# nbgrader gives each cell 30 s when it autogrades; a notebook's training cells can take longer on a
# busy machine (the slowest whole notebook runs ~12 s alone, much longer under load).
c.Execute.timeout = 600
