"""All Kivy code lives here; screens call only ``kiosk``."""
