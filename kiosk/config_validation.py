"""Validating config sections with pydantic (imported only when a file must be checked).

:mod:`kiosk.config` declares its sections as frozen dataclasses whose constraints are written
as string annotations (``Annotated[float, Field(gt=0)]``). pydantic resolves those names in
the module's namespace, so :func:`_bind_annotation_names` puts pydantic's ``Field`` and
``AfterValidator`` there before the first adapter is built; everything else in the
annotations is already a name of that module.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, TypeVar

from pydantic import AfterValidator, Field, TypeAdapter, ValidationError

from kiosk.errors import ConfigError

T = TypeVar("T")


def _bind_annotation_names(model: type) -> None:
    namespace = vars(sys.modules[model.__module__])
    namespace.setdefault("Field", Field)
    namespace.setdefault("AfterValidator", AfterValidator)


@functools.cache
def adapter(model: type) -> TypeAdapter:
    _bind_annotation_names(model)
    return TypeAdapter(model)


def _key_of(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def _reason_of(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind in ("missing", "missing_keyword_only_argument"):
        return "required key is missing"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "unknown key"
    msg = str(err.get("msg", "invalid value"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    return msg


def validate(model: type[T], data: Any, path: str | Path, prefix: tuple[str, ...] = ()) -> T:
    """``data`` as a ``model``, or :class:`ConfigError` with one ``key: reason`` per problem."""
    if not isinstance(data, dict):
        raise ConfigError(path, [(_key_of(prefix), "must be a table")])
    try:
        return adapter(model).validate_python(data)
    except ValidationError as exc:
        problems = [(_key_of(prefix + tuple(e["loc"])), _reason_of(e)) for e in exc.errors()]
        raise ConfigError(path, problems) from None


def dump(section: Any) -> dict[str, Any]:
    """A section as plain JSON values (paths as strings), fit for :func:`validate` again."""
    return adapter(type(section)).dump_python(section, mode="json")
