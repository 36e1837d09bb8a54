"""Receipt (ESC/POS thermal) and A4 (CUPS) printing.

python-escpos provides the transports (USB, serial, TCP 9100, file) and is used as it is;
the text layer is ours because python-escpos sends Chinese without ``FS &`` and cannot be
told what a CJK character's width on paper is. ``virtual/`` is a printer simulator that
parses what it receives and renders it, so tests and people can see the receipt.
"""
