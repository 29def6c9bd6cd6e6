"""Attachments are judged by their content, never their names (documents.attachment_check): real
files made here pass, a program renamed .pdf, a zip that is not a .docx, a broken image and a file
over the limit are refused with what to fix, in Thai and English."""

import io
import zipfile

import pytest
from PIL import Image

from documents.attachment_check import DOCX, MAX_BYTES, PDF, PNG, BadAttachment, checked_attachment
from tests.attachment_files import program_named_pdf, small_docx, small_png, tiny_pdf


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [("plan.pdf", tiny_pdf, PDF), ("order.docx", small_docx, DOCX), ("scan.png", small_png, PNG)],
)
def test_real_files_of_each_kind_are_accepted(name, make, kind):
    assert checked_attachment(name, make()) == kind


def test_a_jpeg_is_accepted_whatever_its_name():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "JPEG")
    assert checked_attachment("photo.pdf", buffer.getvalue()).media_type == "image/jpeg"


def test_a_program_renamed_pdf_is_refused_saying_what_to_do():
    with pytest.raises(BadAttachment) as refused:
        checked_attachment("หนังสือที่อ้างถึง.pdf", program_named_pdf())
    message = str(refused.value)
    assert "ไม่ใช่ PDF" in message and "not a complete PDF" in message and "หนังสือที่อ้างถึง.pdf" in message


def test_a_pdf_cut_short_is_refused():
    with pytest.raises(BadAttachment):
        checked_attachment("plan.pdf", tiny_pdf()[:-40])


def test_a_zip_without_the_parts_of_a_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("payload.bin", b"\x00" * 100)
    with pytest.raises(BadAttachment):
        checked_attachment("order.docx", buffer.getvalue())


def test_a_docx_cut_short_is_refused():
    with pytest.raises(BadAttachment):
        checked_attachment("order.docx", small_docx()[:-200])


def test_an_image_with_png_magic_but_broken_body_is_refused():
    png = small_png()
    with pytest.raises(BadAttachment):
        checked_attachment("scan.png", png[:60])


def test_a_file_over_the_limit_is_refused_with_the_limit():
    oversize = tiny_pdf() + b"%" * MAX_BYTES
    with pytest.raises(BadAttachment) as refused:
        checked_attachment("report.pdf", oversize)
    assert "เกินที่กำหนด" in str(refused.value) and f"{MAX_BYTES:,}-byte limit" in str(refused.value)


def test_an_empty_file_is_refused():
    with pytest.raises(BadAttachment, match="empty"):
        checked_attachment("blank.pdf", b"")
