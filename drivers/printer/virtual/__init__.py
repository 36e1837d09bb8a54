"""A virtual 80/58 mm thermal printer: ESC/POS parser, paper model, renderer, TCP/pty server."""
