"""Every route of the app, and a well-formed request to each, for the role x endpoint matrix.

Routes are read from a freshly built app (``server.app.create_app``), so a route another change
adds is in the matrix at once. The request to a route is built from its endpoint's signature:
path parameters get a value of the right type that names nothing (so an allowed caller gets a
404/422 and nothing changes), form fields get a harmless value and the caller's CSRF token (so the
only thing that can refuse a caller is the authorisation check, not CSRF or validation).
"""
from __future__ import annotations

import inspect
import re
import types
import typing
from dataclasses import dataclass
from typing import Any, Callable

from fastapi import params as fastapi_params
from fastapi import UploadFile
from starlette.routing import Mount

from server.app import create_app
from server.settings import Settings

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PATH_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-z]+)?}")
MISSING_INT = "999999"
MISSING_STR = "zz-missing"


@dataclass(frozen=True)
class AppRoute:
    method: str
    path: str  # the template, e.g. /devices/{device_id}
    endpoint: Callable[..., Any] | None

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def _flat_routes(app: Any) -> list[tuple[str, set[str], Callable[..., Any] | None, bool]]:
    """(path, methods, endpoint, is_mount) for every route, through included routers."""
    out: list[tuple[str, set[str], Callable[..., Any] | None, bool]] = []
    try:  # FastAPI >= 0.16x keeps included routers as one route each
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - older FastAPI: app.routes is already flat
        contexts = [(r, r) for r in app.routes]
    else:
        contexts = [(c.original_route, c) for c in iter_route_contexts(app.routes)]
    for original, context in contexts:
        path = getattr(context, "path", None) or getattr(original, "path", "")
        if isinstance(original, Mount):
            out.append((path, {"GET"}, None, True))
            continue
        methods = set(getattr(original, "methods", None) or ())
        out.append((path, methods, getattr(original, "endpoint", None), False))
    return out


def app_routes(settings: Settings) -> list[AppRoute]:
    """Every (method, path) the app answers, HEAD left out (it follows GET)."""
    app = create_app(settings)
    try:
        routes = []
        for path, methods, endpoint, _mount in _flat_routes(app):
            for method in sorted(methods & set(METHODS)):
                routes.append(AppRoute(method, path, endpoint))
        return routes
    finally:
        app.state.ctx.engine.dispose()


def _hints(endpoint: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(endpoint, include_extras=True)
    except Exception:  # noqa: BLE001 - a hint we cannot resolve is treated as str
        return {}


def _base_type(hint: Any) -> Any:
    """``int`` for ``int``, ``Annotated[int, ...]`` and ``int | None``; otherwise the hint itself."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def concrete_path(route: AppRoute, values: dict[str, str] | None = None) -> str:
    """The path with each parameter replaced by ``values[name]`` or a value that names nothing."""
    hints = _hints(route.endpoint) if route.endpoint else {}
    given = values or {}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in given:
            return given[name]
        if name == "fmt":
            return "csv"
        return MISSING_INT if _base_type(hints.get(name, str)) is int else MISSING_STR

    path = PATH_PARAM.sub(fill, route.path)
    return path + "/style.css" if route.path == "/static" else path


def form_fields(route: AppRoute) -> tuple[dict[str, str], dict[str, tuple[str, bytes, str]]]:
    """Harmless values for the endpoint's declared ``Form()`` fields, and its ``File()`` uploads."""
    data: dict[str, str] = {}
    files: dict[str, tuple[str, bytes, str]] = {}
    if route.endpoint is None:
        return data, files
    hints = _hints(route.endpoint)
    for name, parameter in inspect.signature(route.endpoint).parameters.items():
        hint = hints.get(name, parameter.annotation)
        extras = typing.get_args(hint)[1:] if typing.get_origin(hint) is typing.Annotated else ()
        marker = next((m for m in extras if isinstance(m, fastapi_params.Form)), None)
        if marker is None and isinstance(parameter.default, fastapi_params.Form):
            marker = parameter.default
        if marker is None:
            continue
        if isinstance(marker, fastapi_params.File) or _base_type(hint) is UploadFile:
            files[name] = ("x.txt", b"x", "text/plain")
        elif _base_type(hint) is int:
            data[name] = MISSING_INT
        else:
            data[name] = "zz"
    return data, files
