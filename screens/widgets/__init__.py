"""Reusable widgets: tiles, keypads, the hidden maintenance corner."""
