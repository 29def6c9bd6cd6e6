"""Errors a caller can show as they are: what went wrong and what to fix."""


class BadInput(Exception):
    """The request cannot be understood or refers to something that does not exist."""
