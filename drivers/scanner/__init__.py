"""QR and barcode input: cameras decoded with zxing-cpp, serial scanners, keyboard-wedge scanners.

Every source hands the kiosk the same :class:`drivers.scanner.codes.ScannedCode` (format,
raw bytes, text, encoding), so the payload rules do not care how a code was read.
"""
