"""What the terminal prints: receipt templates (ESC/POS) and A4 certificates (PDF).

Templates take plain data and mask personal data themselves, so no caller can forget to:
a receipt lying in the tray shows ``张*`` and ``1101**********1234`` only.
"""
