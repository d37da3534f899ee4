"""The OpenAPI document and the interactive documentation, served from the package's own files: Swagger UI at
``/docs`` and ReDoc at ``/redoc`` work on a network with no internet (police networks
often have none). The JavaScript and CSS come from the pinned ``fastapi-offline`` wheel
(MIT; Swagger UI is Apache-2.0, ReDoc MIT); the pages' CSP allows nothing but this origin."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

STATIC = files("fastapi_offline") / "static"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}
PREFIX = "/docs/static"
CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'"
)
TITLE = "TGD gateway"

router = APIRouter(include_in_schema=False)


def _locked(page: HTMLResponse) -> HTMLResponse:
    page.headers["content-security-policy"] = CSP
    return page


@router.get("/openapi.json")
async def openapi_document(request: Request) -> JSONResponse:
    """The published spec (the app is built with ``openapi_url=None``: served here, a FastAPI
    route like every other, so the access guard runs for it)."""
    return JSONResponse(request.app.openapi())


SWAGGER_UI_ASSETS = {
    "swagger_js_url": f"{PREFIX}/swagger-ui-bundle.js",
    "swagger_css_url": f"{PREFIX}/swagger-ui.css",
    "swagger_favicon_url": f"{PREFIX}/favicon.png",
    "oauth2_redirect_url": "/docs/oauth2-redirect",
}
REDOC_ASSETS = {"redoc_js_url": f"{PREFIX}/redoc.standalone.js", "redoc_favicon_url": f"{PREFIX}/favicon.png"}


def _viewer_route(path: str, name: str, render: Callable[..., HTMLResponse], **options: object) -> None:
    """A documentation viewer's page on this gateway's OpenAPI document."""

    async def viewer() -> HTMLResponse:
        return _locked(render(openapi_url="/openapi.json", title=f"{TITLE} - {name}", **options))

    router.add_api_route(path, viewer, methods=["GET"], name=render.__name__)


_viewer_route("/docs", "Swagger UI", get_swagger_ui_html, **SWAGGER_UI_ASSETS)


@router.get("/docs/oauth2-redirect")
async def swagger_ui_redirect() -> HTMLResponse:
    return _locked(get_swagger_ui_oauth2_redirect_html())


_viewer_route("/redoc", "ReDoc", get_redoc_html, **REDOC_ASSETS, with_google_fonts=False)


def _asset_route(name: str, media_type: str) -> None:
    async def asset() -> FileResponse:
        response = FileResponse(str(STATIC / name), media_type=media_type)
        response.headers["cache-control"] = "public, max-age=86400"
        return response

    router.add_api_route(f"{PREFIX}/{name}", asset, methods=["GET"], name=f"docs_asset_{name}")


for _name, _media_type in ASSETS.items():
    _asset_route(_name, _media_type)
