"""A line protocol over a serial port for older window (queue) systems; see protocol.py."""
