"""Hardware drivers and their simulators.

Nothing here imports Kivy or ``kiosk``: a driver speaks one device's protocol over one
transport and reports its state as a :class:`drivers.health.Health`.
"""
