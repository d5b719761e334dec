"""Agent cases: a question, a workspace of recorded tool outputs, and what the answer must hold."""
