"""Sub-commands of ``kiosk``; one module each, imported on use."""
