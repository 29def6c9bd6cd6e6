"""The website channel: published announcements per organisation, each readable on its own page,
searchable by fiscal year and words (a plain GET form: no script needed), their files (saved
under their names as on paper), an Atom feed; and /public, the offices that publish here."""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from models.db import read_scope
from models.digits import arabic_digits
from models.settings import get_settings
from services.errors import BadInput
from services.memo_life.attachments import download_name, stored_name
from services.printing.file_labels import content_disposition
from services.publication.chain_heads import heads_document, public_heads
from services.publication.public import (
    PUBLIC_LATEST,
    public_attachment,
    public_file,
    public_organisation,
    public_organisations,
    published,
    published_one,
    published_years,
)
from web.deps import RowId
from web.templating import templates

router = APIRouter(prefix="/public", include_in_schema=False)
YEAR_DIGITS = 4  # a BE year: 2569


@router.get("", response_class=HTMLResponse)
def offices(request: Request) -> Response:
    """Where the menu's "ประกาศ" leads from a page of no office (the verify page, an error)."""
    with read_scope() as session:
        organisations = public_organisations(session)
    return templates.TemplateResponse(
        request, "public_index.html", {"user": None, "flash": None, "organisations": organisations}
    )


@router.get("/{org_code}", response_class=HTMLResponse)
def public_page(request: Request, org_code: str, year: str = "", q: str = "") -> Response:
    fiscal_year, year_problem = _fiscal_year(year)
    with read_scope() as session:
        org = _organisation(session, org_code)
        searched = fiscal_year is not None or bool(q.strip())
        items = published(
            session, org, fiscal_year=fiscal_year, words=q[:200], latest=None if searched else PUBLIC_LATEST
        )
        years = published_years(session, org)
    return templates.TemplateResponse(
        request,
        "public.html",
        {
            "user": None,
            "flash": year_problem,
            "org": org,
            "items": items,
            "years": years,
            "year": fiscal_year,
            "q": q,
            "searched": searched,
            "only_latest": PUBLIC_LATEST if not searched and len(items) == PUBLIC_LATEST else None,
        },
        status_code=200 if year_problem is None else 400,
    )


@router.get("/{org_code}/feed.atom")
def feed(org_code: str) -> Response:
    """Links come from SARABAN_PUBLIC_BASE_URL, never from the request's Host header (which the
    sender chooses); unset, they are relative to the site and the ids are URNs."""
    with read_scope() as session:
        org = _organisation(session, org_code)
        items = published(session, org, latest=PUBLIC_LATEST)
    base = get_settings().public_base_url.rstrip("/")
    body = templates.get_template("feed.atom").render(
        org=org, items=items, base=base, id_base=f"{base}/public/{org.code}" if base else f"urn:saraban:{org.code}"
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/{org_code}/heads", response_class=HTMLResponse)
def heads_page(request: Request, org_code: str) -> Response:
    """The organisation's signed chain heads over time (services.publication.chain_heads)."""
    with read_scope() as session:
        org = _organisation(session, org_code)
        heads = public_heads(session, org)
    return templates.TemplateResponse(
        request, "public_heads.html", {"user": None, "flash": None, "org": org, "heads": heads}
    )


@router.get("/{org_code}/heads.json")
def heads_file(org_code: str) -> Response:
    """The statements with their signatures, time-stamps and certificates: a file to keep."""
    with read_scope() as session:
        org = _organisation(session, org_code)
        document = heads_document(session, org)
    return JSONResponse(document, headers={"Content-Disposition": f'attachment; filename="{org.code}-heads.json"'})


@router.get("/{org_code}/{publication_id}", response_class=HTMLResponse)
def announcement_page(request: Request, org_code: str, publication_id: RowId) -> Response:
    with read_scope() as session:
        org = _organisation(session, org_code)
        try:
            item = published_one(session, org, publication_id)
        except BadInput as error:
            raise HTTPException(status_code=404, detail=str(error)) from error
    return templates.TemplateResponse(
        request, "announcement.html", {"user": None, "flash": None, "org": org, "item": item}
    )


@router.get("/{org_code}/{publication_id}/attachments/{sha256}")
def public_attachment_download(org_code: str, publication_id: RowId, sha256: str) -> Response:
    """A file published with the announcement (never one of the memo's unpublished files)."""
    with read_scope() as session:
        org = _organisation(session, org_code)
        try:
            attachment, path = public_attachment(session, org, publication_id, sha256)
        except BadInput as error:
            raise HTTPException(status_code=404, detail=str(error)) from error
    disposition = content_disposition(download_name(attachment), stored_name(attachment))
    return FileResponse(path, media_type=attachment.media_type, headers={"Content-Disposition": disposition})


@router.get("/{org_code}/{publication_id}/{name}")
def public_download(org_code: str, publication_id: RowId, name: str) -> Response:
    with read_scope() as session:
        org = _organisation(session, org_code)
        try:
            published_file, path = public_file(session, org, publication_id, name)
        except BadInput as error:
            raise HTTPException(status_code=404, detail=str(error)) from error
    # Saved as on paper, in Thai (RFC 6266 filename*); a client that reads only `filename` gets
    # an ASCII name that still differs from every other announcement's.
    fallback = f"{org.code}-announcement-{publication_id}{path.suffix}"
    return FileResponse(
        path, headers={"Content-Disposition": content_disposition(published_file.download_name, fallback)}
    )


def _fiscal_year(typed: str) -> tuple[int | None, dict | None]:
    """The year typed or chosen (Thai or Arabic digits, BE); a message when it is not one."""
    digits = arabic_digits(typed.strip())
    if not digits:
        return None, None
    if digits.isdigit() and len(digits) == YEAR_DIGITS and int(digits) > 2400:
        return int(digits), None
    return None, {
        "kind": "error",
        "text": "ปีงบประมาณต้องเป็นปี พ.ศ. สี่หลัก เช่น ๒๕๖๙ (type the fiscal year as a "
        "four-digit Buddhist Era year, e.g. 2569)",
    }


def _organisation(session, code: str):  # noqa: ANN001, ANN202
    try:
        return public_organisation(session, code)
    except BadInput as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
