"""Textual stylesheets for pulsetui (shipped in the wheel as ``pulsetui.styles``)."""
