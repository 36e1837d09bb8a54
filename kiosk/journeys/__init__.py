"""The terminal's citizen journeys as plain use cases (no Kivy): the screens only display them.

Each module holds one journey's rules so they can be tested without a window: guide search,
the progress timeline, certificate printing (print-then-commit), and the idle countdown.
"""
