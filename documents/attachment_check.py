"""What an attachment (สิ่งที่ส่งมาด้วย) is, judged by its bytes, never by its name.

A signer opens these files: a program renamed "plan.pdf" must not reach them. So a file is
accepted only as one of four kinds, each recognised by its content: a PDF (its magic), a Word
.docx (a readable zip holding the two parts every .docx has), or a PNG or JPEG image decoded
in full by Pillow. Anything else, and anything over the size limit, is refused with what to do.
"""

import io
import warnings
import zipfile
from dataclasses import dataclass

from PIL import Image

MAX_BYTES = 10 * 1024 * 1024  # per file: a scanned letter or a plan; bigger belongs elsewhere
MAX_FILES = 5  # per revision: "a few" files, as a memo's สิ่งที่ส่งมาด้วย list is
MAX_IMAGE_SIDE = 12_000  # pixels: a scan at 600 dpi of an A3 page; beyond that a decompression bomb
DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")
MAX_DOCX_ENTRIES = 2_000  # a .docx has tens of parts; thousands is a zip made to exhaust the reader


@dataclass(frozen=True)
class AttachmentKind:
    media_type: str  # what the download says it is
    label: str  # how a person names it: "PDF", "Word", "ภาพ PNG"


PDF = AttachmentKind("application/pdf", "PDF")
DOCX = AttachmentKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (.docx)")
PNG = AttachmentKind("image/png", "ภาพ PNG")
JPEG = AttachmentKind("image/jpeg", "ภาพ JPEG")
KINDS = {kind.media_type: kind for kind in (PDF, DOCX, PNG, JPEG)}
_IMAGES = {"PNG": PNG, "JPEG": JPEG}


class BadAttachment(ValueError):
    """A file refused, with what to fix (Thai, then English in parentheses)."""


def checked_attachment(name: str, data: bytes) -> AttachmentKind:
    """The kind of `data` if it may be attached; BadAttachment naming the file otherwise."""
    if not data:
        raise BadAttachment(f"ไฟล์ {name} ว่างเปล่า กรุณาเลือกไฟล์ใหม่ (the file {name} is empty: choose the file again)")
    if len(data) > MAX_BYTES:
        raise BadAttachment(
            f"ไฟล์ {name} มีขนาด {_megabytes(len(data))} MB เกินที่กำหนด {_megabytes(MAX_BYTES)} MB "
            f"กรุณาลดขนาดไฟล์หรือแบ่งเป็นหลายไฟล์ (the file {name} is {len(data):,} bytes, over the "
            f"{MAX_BYTES:,}-byte limit: make it smaller or split it)"
        )
    kind = _pdf(data) or _docx(data) or _image(data)
    if kind is None:
        raise BadAttachment(
            f"ไฟล์ {name} ไม่ใช่ PDF, Word (.docx) หรือภาพ PNG/JPEG ที่สมบูรณ์ (ตรวจจากเนื้อไฟล์ ไม่ใช่ชื่อไฟล์) "
            "กรุณาบันทึกเป็น PDF แล้วแนบใหม่ (the file "
            f"{name} is not a complete PDF, .docx, PNG or JPEG, judged by its content, not its name: "
            "save it as a PDF and attach it again)"
        )
    return kind


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _pdf(data: bytes) -> AttachmentKind | None:
    # The magic first, and the end-of-file marker in the last KB: a truncated upload has none.
    return PDF if data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:] else None


def _docx(data: bytes) -> AttachmentKind | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if len(names) > MAX_DOCX_ENTRIES or not all(part in names for part in DOCX_PARTS):
                return None
            if archive.testzip() is not None:  # every member's CRC: a truncated upload fails here
                return None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None
    return DOCX


def _image(data: bytes) -> AttachmentKind | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(_IMAGES)) as image:
                if not (0 < image.width <= MAX_IMAGE_SIDE and 0 < image.height <= MAX_IMAGE_SIDE):
                    return None
                image.verify()  # the structure to its end, with every checksum
            with Image.open(io.BytesIO(data), formats=list(_IMAGES)) as image:
                image.load()  # every pixel: a truncated file fails here
                return _IMAGES[image.format]
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
