"""The domain core of the terminal and the evaluator: no Kivy here.

Importing this package does no work; modules are loaded when used so that ``kiosk run``
reaches its first frame quickly.
"""
__version__ = "0.1.0"
