"""The app's routes as the access table names them: ``"METHOD /path/{param}"``."""

from __future__ import annotations

from typing import Any

from fastapi.routing import iter_route_contexts


def route_key(method: str, path_format: str) -> str:
    return f"{'GET' if method == 'HEAD' else method} {path_format}"


RouteIndex = list[tuple[set[str], Any, str, dict[str, Any]]]
_cache: dict[tuple[Any, ...], RouteIndex] = {}


def _shape(app: Any) -> tuple[Any, ...]:
    """What the index depends on: the app's top-level routes and the routers they include
    (module-level objects, the same for every app ``create_app`` builds in a process)."""
    return tuple(
        (
            type(r).__name__,
            getattr(r, "path", None),
            id(r.original_router) if hasattr(r, "original_router") else getattr(r.endpoint, "__qualname__", None),
            len(getattr(getattr(r, "original_router", None), "routes", ())),
        )
        for r in getattr(app, "routes", ())
    )


def route_index(app: Any) -> RouteIndex:
    """(methods, path regex, path format, convertors) of every HTTP route of the app,
    routers included (FastAPI nests included routers lazily). Resolving the nesting costs
    about half a second, so an index is kept per shape of app (tests build thousands)."""
    shape = _shape(app)
    if shape not in _cache:
        _cache[shape] = _build(app)
    return _cache[shape]


def _build(app: Any) -> RouteIndex:
    index = []
    for context in iter_route_contexts(app.routes):
        methods, regex = context.methods, getattr(context, "path_regex", None)
        if methods and regex is not None and context.path_format:
            index.append((set(methods), regex, context.path_format, dict(context.param_convertors or {})))
    return index


def declared_keys(app: Any) -> list[str]:
    """Every ``"METHOD /path"`` the app serves (HEAD folded into GET): what the access table must cover."""
    return sorted({route_key(m, fmt) for methods, _, fmt, _ in route_index(app) for m in methods})
