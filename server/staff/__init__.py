"""Window staff for the evaluators: directory, PIN/card hashes, photos, demo staff, 差评 reasons.

The evaluator must let staff sign in while the server is unreachable, so the site's staff
directory (with PIN and card hashes) is cached on the evaluators of that site; see
``directory.py`` for why that is acceptable and how it is limited.
"""
