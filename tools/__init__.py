"""Developer tools: the cross-kernel check, the Python-version jobs, the learner work folder (see each module)."""
