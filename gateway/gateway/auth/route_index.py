"""The app's routes as the access table names them: ``"METHOD /path/{param}"``."""

from __future__ import annotations

from typing import Any

from fastapi.routing import iter_route_contexts


def route_key(method: str, path_format: str) -> str:
    return f"{'GET' if method == 'HEAD' else method} {path_format}"


def route_index(app: Any) -> list[tuple[set[str], Any, str, dict[str, Any]]]:
    """(methods, path regex, path format, convertors) of every HTTP route of the app,
    routers included (FastAPI nests included routers lazily)."""
    index = []
    for context in iter_route_contexts(app.routes):
        methods, regex = context.methods, getattr(context, "path_regex", None)
        if methods and regex is not None and context.path_format:
            index.append((set(methods), regex, context.path_format, dict(context.param_convertors or {})))
    return index


def declared_keys(app: Any) -> list[str]:
    """Every ``"METHOD /path"`` the app serves (HEAD folded into GET): what the access table must cover."""
    return sorted({route_key(m, fmt) for methods, _, fmt, _ in route_index(app) for m in methods})
