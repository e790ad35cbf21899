"""The Textual front-end."""
