"""pulsetui: a keyboard-driven terminal app for managers who sell the project,
line-manage the consultant on it and look after the client, all at once."""

__version__ = "0.1.0"
