"""Headers on every response: what the browser may load, cache and downgrade.

Pages load script and style from this site only (saraban.js, saraban.css: nothing inline), so
an injected tag or attribute runs nothing. Signed-in pages, the API and memo downloads are
never stored by a browser or a proxy. HSTS is sent on HTTPS, or always behind a TLS proxy
(SARABAN_COOKIE_SECURE=always).
"""

from fastapi import Request
from fastapi.responses import Response

from web.routes.auth import cookie_secure

PAGES_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# FastAPI's /docs and /redoc load Swagger UI and ReDoc from jsDelivr with an inline start-up
# script; they show no one's data.
DOCS_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
               "style-src 'self' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
               "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com; "
               "worker-src blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
DOCS_PATHS = ("/docs", "/redoc")
CACHEABLE_PREFIXES = ("/static/", "/public/")  # the same for everyone, signed in or not
HSTS = "max-age=31536000; includeSubDomains"


async def security_headers(request: Request, call_next) -> Response:  # noqa: ANN001
    response = await call_next(request)
    path = request.url.path
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", DOCS_POLICY if path.startswith(DOCS_PATHS) else PAGES_POLICY)
    if not path.startswith(CACHEABLE_PREFIXES):
        response.headers["Cache-Control"] = "no-store"
    if cookie_secure(request):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
