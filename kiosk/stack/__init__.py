"""Launchers for the local services that the demo and the tests run on one machine.

Xvfb, pcscd with vsmartcard-vpcd, cupsd with a cups-pdf queue, PostgreSQL and the device
simulators each get a small class with ``start()``, ``stop()`` and context-manager use.
They are product code, not test code, because ``kiosk demo`` uses the same launchers.
"""
