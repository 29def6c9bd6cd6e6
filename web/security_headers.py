"""Headers on every response: what the browser may load, cache and downgrade.

Pages load script and style from this site only (saraban.js, saraban.css: nothing inline), so
an injected tag or attribute runs nothing; /docs too (Swagger UI is served from here, web.routes.docs). Signed-in pages, the API and memo downloads are
never stored by a browser or a proxy. HSTS is sent on HTTPS, or always behind a TLS proxy
(SARABAN_COOKIE_SECURE=always).
"""

from fastapi import Request
from fastapi.responses import Response

from web.routes.auth import cookie_secure

PAGES_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
CACHEABLE_PREFIXES = (
    "/static/",
    "/public/",
    "/docs/assets/",
    "/favicon.ico",
)  # the same for everyone, signed in or not
HSTS = "max-age=31536000; includeSubDomains"


async def security_headers(request: Request, call_next) -> Response:  # noqa: ANN001
    response = await call_next(request)
    path = request.url.path
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", PAGES_POLICY)  # /docs too: Swagger UI is served from here
    if not path.startswith(CACHEABLE_PREFIXES):
        response.headers["Cache-Control"] = "no-store"
    if cookie_secure(request):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
