"""Use cases of the fleet: plain functions over a SQLAlchemy session, shared by API, dashboard and CLI."""
