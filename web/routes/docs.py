"""/docs: the JSON API's Swagger UI, served from this site (PyPI swagger-ui-py's copy of Swagger
UI 5), so that it works on an office network without internet and under the pages' CSP: no
inline script (the start-up is web/static/api-docs.js), nothing from another host. ReDoc is off:
no package ships it for Python, and Swagger UI shows the same operations."""

from pathlib import Path

import swagger_ui
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from web.templating import templates

router = APIRouter(include_in_schema=False)
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
SWAGGER_UI_DIR = Path(swagger_ui.__file__).resolve().parent / "static"
# Only what the page loads; the package also carries Swagger Editor, which is not served.
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js.map": "application/json",
    "swagger-ui.css.map": "application/json",
}
ASSET_CACHE = "public, max-age=86400"  # the files change only with the pinned package


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    return templates.TemplateResponse(request, "api_docs.html", {"openapi_url": request.app.openapi_url})


@router.get("/docs/assets/{name}")
def api_docs_asset(name: str) -> Response:
    if name not in ASSETS:
        raise HTTPException(status_code=404, detail=f"ไม่พบไฟล์ {name} (no such file)")
    return FileResponse(SWAGGER_UI_DIR / name, media_type=ASSETS[name], headers={"Cache-Control": ASSET_CACHE})


@router.get("/favicon.ico")
def favicon() -> Response:
    # Browsers ask for it at the root whatever the page links; base.html links it too.
    return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/x-icon", headers={"Cache-Control": ASSET_CACHE})
