"""Content for terminals (docs/CONTENT_API.md): the versioned service catalog, and cases,
certificates and self-service applications answered through a :class:`CaseSource` adapter
(``adapter.py``); ``demo_source.py`` is the shipped one, reading what ``generator.py`` seeds."""
