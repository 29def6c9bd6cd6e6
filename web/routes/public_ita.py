"""The ITA pages of the public site: an organisation's catalogue for a fiscal year with each
item's state (/public/<org>/ita/<year>), one item's page (/public/<org>/ita/<year>/<code>: the
one address the office gives the assessors, which stays the same when a document is superseded),
and the publication request form's files.

Registered before web.routes.public: its "/{org_code}/{publication_id}/{name}" would otherwise
take "/kokphutsa/ita/2570" for a file of publication "ita"."""

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from models import Organisation
from models.clock import utcnow
from models.db import read_scope
from models.digits import arabic_digits
from models.fiscal import fiscal_year_label
from services.errors import BadInput
from services.ita.catalogue_view import SHAPE_WORDS
from services.ita.public_item import public_catalogue, public_item, public_year, request_file
from services.printing.file_labels import content_disposition
from services.publication.public import public_organisation
from web.deps import RowId
from web.templating import templates

router = APIRouter(prefix="/public", include_in_schema=False)
YEAR_DIGITS = 4


def fiscal_year_in_path(typed: str) -> int:
    """A BE year in Thai or Arabic digits ("๒๕๗๐", "2570"); anything else is no page (404)."""
    digits = arabic_digits(typed.strip())
    if not (digits.isascii() and digits.isdigit() and len(digits) == YEAR_DIGITS and int(digits) > 2400):
        raise HTTPException(status_code=404, detail=f"ไม่พบปีงบประมาณ {typed} (no fiscal year '{typed}')")
    return int(digits)


@router.get("/{org_code}/ita/{fiscal_year}", response_class=HTMLResponse)
def ita_year(request: Request, org_code: str, fiscal_year: str) -> Response:
    year = fiscal_year_in_path(fiscal_year)
    with read_scope() as session:
        org = _organisation(session, org_code)
        try:
            catalogue = public_catalogue(session, org, year)
            items = public_year(session, org, year, utcnow())
        except BadInput as error:
            raise HTTPException(status_code=404, detail=str(error)) from error
    return templates.TemplateResponse(
        request,
        "public_ita_year.html",
        {
            "user": None,
            "flash": None,
            "org": org,
            "year": year,
            "year_label": fiscal_year_label(year),
            "catalogue": catalogue,
            "items": items,
        },
    )


@router.get("/{org_code}/ita/{fiscal_year}/{item_code}", response_class=HTMLResponse)
def ita_item(request: Request, org_code: str, fiscal_year: str, item_code: str) -> Response:
    year = fiscal_year_in_path(fiscal_year)
    with read_scope() as session:
        org = _organisation(session, org_code)
        try:
            found = public_item(session, org, year, item_code, utcnow())
        except BadInput as error:
            raise HTTPException(status_code=404, detail=str(error)) from error
    return templates.TemplateResponse(
        request,
        "public_ita_item.html",
        {
            "user": None,
            "flash": None,
            "org": org,
            "year": year,
            "year_label": fiscal_year_label(year),
            "found": found,
            "shape_words": SHAPE_WORDS,
        },
    )


@router.get("/{org_code}/{publication_id}/request/{name}")
def publication_request_download(org_code: str, publication_id: RowId, name: str) -> Response:
    """The publication request form (แบบขออนุญาตเผยแพร่) kept beside the organisation's publication."""
    with read_scope() as session:
        org = _organisation(session, org_code)
        try:
            request, path = request_file(session, org, publication_id, name)
        except BadInput as error:
            raise HTTPException(status_code=404, detail=str(error)) from error
    suffix = path.rsplit(".", 1)[-1]
    download = f"แบบขออนุญาตเผยแพร่ข้อมูล-{org.name}-ประกาศเลขที่-{publication_id}.{suffix}"
    fallback = f"{org.code}-publication-request-{request.publication_id}.{suffix}"
    return FileResponse(path, headers={"Content-Disposition": content_disposition(download, fallback)})


def _organisation(session, code: str) -> Organisation:  # noqa: ANN001
    try:
        return public_organisation(session, code)
    except BadInput as error:
        raise HTTPException(status_code=404, detail=str(error)) from error
