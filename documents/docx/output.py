"""Saving a document as reproducible bytes.

The same context must give the same bytes, so that a stored document can be compared with a rebuilt
one and a hash identifies a revision. python-docx stamps two things with the clock: the template's
core properties (kept from the template unless set) and each zip entry's modification time (writestr
uses the current time). Both are fixed here.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT

# Core properties hold at most 255 characters each (python-docx refuses longer ones); the title
# is only metadata, so a long subject is cut there rather than failing the whole document.
CORE_PROPERTY_CHARS = 255
# The earliest time a zip entry can carry; any fixed value would do.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def set_core_properties(document: DocxDocument, *, title: str, author: str, date: dt.date) -> None:
    """Core properties taken from the context rather than from the clock or the template."""
    props = document.core_properties
    stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    title, author = title[:CORE_PROPERTY_CHARS], author[:CORE_PROPERTY_CHARS]
    props.title, props.author, props.last_modified_by = title, author, author
    props.created = props.modified = stamp
    props.revision = 1
    props.comments = ""


def document_bytes(document: DocxDocument) -> bytes:
    """The .docx bytes with every zip entry stamped with a fixed time."""
    _drop_template_thumbnail(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return _restamp_zip(buffer.getvalue())


def _drop_template_thumbnail(document: DocxDocument) -> None:
    # python-docx's template carries a thumbnail of some other document, which file managers would
    # show as the preview of ours. Parts are saved by following relationships, so dropping the
    # relationship drops the part.
    package_rels = document.part.package.rels
    for rel_id in [key for key, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        package_rels.pop(rel_id)


def _restamp_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=_ZIP_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()
