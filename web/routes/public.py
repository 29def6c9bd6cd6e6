"""The website channel: published announcements per organisation, their files, an Atom feed."""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from models.db import read_scope
from models.settings import get_settings
from services.errors import BadInput
from services.public import public_file, public_organisation, published
from web.deps import RowId
from web.templating import templates

router = APIRouter(prefix="/public", include_in_schema=False)


@router.get("/{org_code}", response_class=HTMLResponse)
def public_page(request: Request, org_code: str) -> Response:
    with read_scope() as session:
        org = _organisation(session, org_code)
        items = published(session, org)
    return templates.TemplateResponse(request, "public.html", {"user": None, "flash": None, "org": org,
                                                               "items": items})


@router.get("/{org_code}/feed.atom")
def feed(org_code: str) -> Response:
    """Links come from SARABAN_PUBLIC_BASE_URL, never from the request's Host header (which the
    sender chooses); unset, they are relative to the site and the ids are URNs."""
    with read_scope() as session:
        org = _organisation(session, org_code)
        items = published(session, org)
    base = get_settings().public_base_url.rstrip("/")
    body = templates.get_template("feed.atom").render(org=org, items=items, base=base,
                                                      id_base=f"{base}/public/{org.code}" if base else f"urn:saraban:{org.code}")
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/{org_code}/{publication_id}/{name}")
def public_download(org_code: str, publication_id: RowId, name: str) -> Response:
    with read_scope() as session:
        org = _organisation(session, org_code)
        try:
            path = public_file(session, org, publication_id, name)
        except BadInput as error:
            raise HTTPException(status_code=404, detail=str(error)) from error
    return FileResponse(path, filename=name)


def _organisation(session, code: str):  # noqa: ANN001, ANN202
    try:
        return public_organisation(session, code)
    except BadInput as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
