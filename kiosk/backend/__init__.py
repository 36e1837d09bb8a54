"""Where the terminal's content comes from: the service catalog, cases, certificates, applications.

:mod:`kiosk.backend.base` is the interface the journeys use (docs/CONTENT_API.md is its wire
form); the management server's content API implements it over HTTP, and a provincial platform
could implement it directly.
"""
