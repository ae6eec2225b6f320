"""The API's docs at /docs, offline: Swagger UI 5's files (which read OpenAPI 3.1) come from
the fastapi-swagger package and are served from /docs-assets: the page needs no CDN."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"


def install_docs(app: FastAPI, title: str) -> None:
    """Serve Swagger UI at /docs over the app's /openapi.json (the app is made with
    `docs_url=None, redoc_url=None`, so FastAPI's CDN pages are off)."""
    from importlib.resources import files

    folder = str(files("fastapi_swagger") / "resources")
    app.mount(ASSETS, StaticFiles(directory=folder), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{title} — API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
