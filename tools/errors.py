"""Errors that tools raise for bad input; the CLI turns them into one line and exit code 2."""

from __future__ import annotations


class InputError(Exception):
    """An input cannot be used: missing, unreadable, empty, malformed.

    `subject` names the file (or 'stdin'); the message says what is wrong with it.
    """

    def __init__(self, subject: str, problem: str) -> None:
        super().__init__(f"{subject}: {problem}")
        self.subject = subject
        self.problem = problem
