"""好差评 (service ratings) on the management server.

``intake`` turns ``rating`` events (and QR-page ratings) into rows; ``workdays`` is the Chinese
working-day calendar; ``rectification`` runs the 差评 loop; ``stats`` computes the rates;
``claims`` handles 恶意差评; ``export``/``push`` send GB/T 39046 records upstream; ``qr`` makes
the rating-QR windows; ``access`` says which role may do and see what.
"""
