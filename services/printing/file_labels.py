"""What each of a memo's files is, in words, and the name it is saved under when downloaded.

The files keep their stored names (`memo-r2-m2-print.docx`: round 2, two minutes, the print
layout), which publication records and frozen PDFs refer to. A person sees a label beside each
("บันทึกข้อความ ฉบับที่ ๒ พร้อมเกษียน ๒ รายการ · PDF") and saves a name that says the same.
"""

import functools
import re
from dataclasses import dataclass
from urllib.parse import quote

from models.digits import thai_digits

_STORED = re.compile(
    r"^(?P<kind>memo|announcement)-r(?P<round>\d+)(?:-m(?P<minutes>\d+))?(?P<print>-print)?"
    r"\.(?P<suffix>docx|pdf)$"
)
_KINDS = {"memo": "บันทึกข้อความ", "announcement": "ประกาศ"}
_FORMATS = {
    ("pdf", False): "PDF",
    ("docx", False): "Word (แก้ไขได้)",
    ("docx", True): "Word จัดหน้าตรงกับ PDF (พร้อมคำต่อเนื่อง)",
}
_UNSAFE = re.compile(r"[\\/:*?\"<>|\s]+")  # what a file name may not hold on Windows, and spaces


@dataclass(frozen=True)
class FileLabel:
    name: str  # as stored, and in the download link
    label: str  # what the file is, in Thai
    download_name: str  # the name it is saved under


def file_label(name: str, register_number: str) -> FileLabel:
    """The label and download name of one stored file of the memo with `register_number`."""
    parts = _STORED.match(name)
    if parts is None:
        return FileLabel(name, name, name)
    kind, round_ = _KINDS[parts["kind"]], thai_digits(parts["round"])
    minutes = f" พร้อมเกษียน {thai_digits(parts['minutes'])} รายการ" if parts["minutes"] not in (None, "0") else ""
    file_format = _FORMATS[(parts["suffix"], bool(parts["print"]))]
    label = f"{kind} ฉบับที่ {round_}{minutes} · {file_format}"
    words = [kind, register_number, f"ฉบับที่{round_}"]
    if parts["minutes"] not in (None, "0"):
        words.append(f"เกษียน{thai_digits(parts['minutes'])}")
    if parts["print"]:
        words.append("จัดหน้า")
    return FileLabel(name, label, "-".join(_safe(w) for w in words if w) + f".{parts['suffix']}")


# A file name is at most 255 bytes on most disks (ext4, APFS), and a Thai letter takes 3 in UTF-8: a
# long subject is shortened, at a word, so that the name's end (its number and year, what makes it
# unique) is never cut; a few bytes are left for the " (1)" a browser adds to a second copy.
NAME_BYTES = 248
SHORTENED = "…"


@functools.lru_cache(maxsize=4096)  # a public page names 50 announcements' files on every view
def announcement_download_name(
    organisation: str, subject: str, register_number: str, fiscal_year: int, suffix: str
) -> str:
    """The name a published announcement is saved under, as its paper is titled:
    "ประกาศเทศบาลตำบลโคกพุทรา-เรื่อง-มาตรการ...-ที่๓๐-ปีงบประมาณ๒๕๖๙.pdf". The register number
    ("อท ๕๓๗๐๑.๔/๓๐": the office's prefix, then a running number per fiscal year) with the year
    is unique among the office's announcements, so two with the same subject (a yearly one) do
    not save over each other; the prefix, the same on all of them, is left out to leave room for
    the subject. The fiscal year, not the year of the date: a number of October and one of the
    January before share a calendar year."""
    head = f"{_safe('ประกาศ' + organisation)}-เรื่อง-"
    running = register_number.rsplit("/", 1)[-1]
    tail = f"-ที่{_safe(running)}-ปีงบประมาณ{thai_digits(str(fiscal_year))}.{suffix}"
    room = NAME_BYTES - len((head + tail).encode("utf-8"))
    return f"{head}{_shortened('-'.join(_safe(w) for w in subject.split()), room)}{tail}"


def _shortened(text: str, room: int) -> str:
    if len(text.encode("utf-8")) <= room:
        return text
    # Thai is written without spaces: cut between words (PyThaiNLP), never inside one.
    from pythainlp.tokenize import word_tokenize  # loads its dictionary: only for a long subject

    kept = ""
    for word in word_tokenize(text, engine="newmm"):
        if len((kept + word + SHORTENED).encode("utf-8")) > room:
            break
        kept += word
    return kept.rstrip("-") + SHORTENED


def content_disposition(download_name: str, stored_name: str) -> str:
    """`attachment` with the Thai name for every current browser (RFC 6266 filename*) and the
    stored ASCII name for any client that reads only `filename`."""
    return f"attachment; filename=\"{stored_name}\"; filename*=UTF-8''{quote(download_name, safe='')}"


def _safe(word: str) -> str:
    return _UNSAFE.sub("", word.replace("/", "-")).strip("-.")
