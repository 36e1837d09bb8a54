"""The wire protocol: the JSON Schemas in ``server/schemas/`` are its single source of truth.

Requests are validated against those files (with jsonschema-rs, fast enough for thousands of
events a second), the OpenAPI document embeds them, and the device side validates against
the same files, so the protocol cannot drift between the two.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

SCHEMAS = Path(__file__).parent / "schemas"
MAX_ERRORS = 5


class WireError(ValueError):
    """The body does not follow the protocol; ``reasons`` are short, JSON-pointer-located messages."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@cache
def schema(name: str) -> dict[str, Any]:
    """The parsed schema ``server/schemas/NAME.schema.json``."""
    with (SCHEMAS / f"{name}.schema.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _validator(name: str) -> Any:
    return jsonschema_rs.validator_for(schema(name), validate_formats=True)


def validate(name: str, instance: Any) -> None:
    """Raise ``WireError`` listing (at most ``MAX_ERRORS``) violations of schema ``name``."""
    validator = _validator(name)
    if validator.is_valid(instance):
        return
    reasons = []
    for error in validator.iter_errors(instance):
        where = "/" + "/".join(str(p) for p in error.instance_path)
        reasons.append(f"{where}: {error.message}")
        if len(reasons) >= MAX_ERRORS:
            break
    raise WireError(reasons)


def openapi_schema(name: str) -> dict[str, Any]:
    """The schema as an OpenAPI 3.1 request/response body schema (no ``$schema``/``$id`` keys)."""
    return {k: v for k, v in schema(name).items() if k not in ("$schema", "$id")}


def request_body(name: str) -> dict[str, Any]:
    """``openapi_extra`` for a route whose JSON body is validated by hand against ``name``."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": openapi_schema(name)}}}}
