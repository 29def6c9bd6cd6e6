"""The machine's office server (documents.pdf.office_server): a running LibreOffice under unoserver
that prints exactly what one soffice per call prints, is not needed for a PDF to be made, and is
never left behind by the process that started it."""

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from documents.docx.announcement import build_announcement_docx
from documents.docx.memo import build_memo_docx
from documents.pdf import office_server
from documents.pdf.office_server import ADDRESS_VARIABLE, bridge_path, convert_with_sarabun_metrics, running_office
from documents.pdf.paginated import PaginatedDocument, pdfs_with_continuations
from documents.pdf.preview_fonts import sarabun_metrics_env
from documents.pdf.soffice import soffice_available
from documents.pdf.text import pdf_page_texts, poppler_available
from documents.text.sample_004 import announcement_004, memo_004

pytestmark = pytest.mark.skipif(
    not (soffice_available() and bridge_path() and poppler_available()),
    reason="needs LibreOffice, its Python bridge (python3-uno) and poppler-utils",
)
DEADLINE_SECONDS = 120
NOBODY = 65534  # Debian's nobody and nogroup
SYSTEM_PYTHON = "/usr/bin/python3"  # python3-uno's, so installed wherever the office server runs


def documents() -> list[PaginatedDocument]:
    memo, announcement = memo_004(), announcement_004()
    return [
        PaginatedDocument("memo", lambda marks: build_memo_docx(memo, continuations=marks)),
        PaginatedDocument("announcement", lambda marks: build_announcement_docx(announcement, continuations=marks)),
    ]


def rasters(pdf: Path, out: Path) -> list[bytes]:
    subprocess.run(["pdftoppm", "-gray", "-r", "40", str(pdf), str(out / pdf.stem)], check=True, timeout=120)
    return [page.read_bytes() for page in sorted(out.glob(f"{pdf.stem}-*.pgm"))]


@pytest.fixture(scope="module")
def office():
    """A server of the module's own, even in a test process whose Prefect stack runs one already,
    started by a process that holds the secrets a worker holds."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ADDRESS_VARIABLE, raising=False)
        patch.setenv("SARABAN_DATABASE_URL", "postgresql+psycopg://saraban:not-for-libreoffice@db/saraban")
        patch.setenv("PREFECT_API_AUTH_STRING", "saraban:not-for-libreoffice-either")
        with running_office() as address:
            assert address and os.environ[ADDRESS_VARIABLE] == address
            yield address
        assert ADDRESS_VARIABLE not in os.environ


def test_the_office_server_prints_what_soffice_prints(office, tmp_path, monkeypatch):
    def no_soffice(*_args, **_kwargs):
        raise AssertionError("a soffice was started although the office server runs")

    with monkeypatch.context() as patched:
        patched.setattr(office_server, "convert_to_pdf", no_soffice)
        on_office = pdfs_with_continuations(documents(), tmp_path / "office")
    # An explicit environment means one soffice per call, with the same fonts.
    per_call = pdfs_with_continuations(documents(), tmp_path / "soffice", env=sarabun_metrics_env(tmp_path / "fonts"))
    for served, started in zip(on_office, per_call, strict=True):
        assert served.pages == started.pages and served.marks == started.marks and served.problems == []
        assert pdf_page_texts(served.pdf) == pdf_page_texts(started.pdf)
        # Thai digits are drawn from the profile's setting, not in the text: compare the pixels.
        (tmp_path / served.stem).mkdir()
        assert rasters(served.pdf, tmp_path / served.stem) == rasters(started.pdf, tmp_path / served.stem)
    assert on_office[0].pages == 2 and on_office[0].marks, "the 004 memo runs to two pages with its word"


def test_no_other_local_user_can_connect_to_anything_it_listens_on(office):
    """The review's attack: as another local user, connect to LibreOffice's UNO bridge (which reads
    and writes any file of the instance's user) or to the XML-RPC front. Every listener of the
    office group is a UNIX socket this user alone may connect to; none is on the network."""
    listening = _listening_sockets(_group_listening_at(office))
    assert listening["tcp"] == [], "nothing of the office server's listens on a TCP port"
    paths = listening["unix"]
    assert office in paths and any("OSL_PIPE" in path for path in paths), paths  # the front and LibreOffice's
    for path in paths:
        _connect(path)  # the instance's own user can (the check below means something)
        assert _connect_as_nobody(path) == "PermissionError", f"another user reached {path}"


def test_libreoffice_holds_no_secret_of_the_instance(office):
    for pid in _members(_group_listening_at(office)):
        names = {line.split(b"=", 1)[0].decode() for line in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")}
        assert not {name for name in names if name.startswith(("SARABAN_", "PREFECT_"))}, names
        assert "FONTCONFIG_FILE" in names or "fonts.conf" not in str(names)


def test_a_process_started_beside_it_uses_the_same_server(office):
    """`saraban serve` starts one for the box; its worker inherits it and starts no other."""
    group = _group_listening_at(office)
    with running_office() as again:
        assert again == office and _group_listening_at(office) == group
    assert os.environ[ADDRESS_VARIABLE] == office and _alive(group)


def test_a_dead_office_server_only_makes_the_pdf_slower(tmp_path, caplog, monkeypatch):
    monkeypatch.delenv(ADDRESS_VARIABLE, raising=False)  # a server of its own, to kill
    with running_office() as address:
        pipes = {Path(path).name for path in _listening_sockets(_group_listening_at(address))["unix"]}
        _kill_group_of_process_listening_at(address)
        (tmp_path / "memo.docx").write_bytes(build_memo_docx(memo_004()))
        with caplog.at_level(logging.WARNING, logger=office_server.__name__):
            (pdf,) = convert_with_sarabun_metrics([tmp_path / "memo.docx"], tmp_path / "out", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF") and len(pdf_page_texts(pdf)) == 2
    assert "starting soffice instead" in caplog.text
    assert not Path(address).parent.exists()
    left = [name for name in os.listdir("/tmp") if name.startswith(f"OSL_PIPE_{os.getuid()}_") and name in pipes]
    assert left == [], "the killed LibreOffice's pipes are removed with its server"


def test_a_worker_killed_with_9_leaves_no_libreoffice_behind(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nfrom documents.pdf.office_server import running_office\n"
            "with running_office() as address:\n    print(address, flush=True)\n    time.sleep(3600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[3],
        env={k: v for k, v in os.environ.items() if k != ADDRESS_VARIABLE},
    )  # a server of its own
    address = holder.stdout.readline().strip()
    group = _group_listening_at(address)
    assert _alive(group), "the office server and its LibreOffice run in their own group"
    holder.kill()
    holder.wait()
    deadline = time.monotonic() + DEADLINE_SECONDS
    while _alive(group):
        assert time.monotonic() < deadline, f"processes of the office group {group} still alive"
        time.sleep(0.2)


def test_without_the_bridge_there_is_no_server_and_pdfs_are_still_made(monkeypatch, tmp_path):
    monkeypatch.setattr(office_server, "UNO_PATHS", (str(tmp_path / "nowhere"),))
    monkeypatch.delenv(ADDRESS_VARIABLE, raising=False)  # none inherited either
    with running_office() as address:
        assert address is None and ADDRESS_VARIABLE not in os.environ
        (made,) = pdfs_with_continuations(documents()[1:], tmp_path)
    assert made.pdf.read_bytes().startswith(b"%PDF")


def _group_listening_at(address: str) -> int:
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"documents.pdf.office_process" in command and address.encode() in command:
            return os.getpgid(int(pid))
    raise AssertionError(f"no office process for {address}")


def _listening_sockets(group: int) -> dict[str, list[str]]:
    """What the group's processes listen on: TCP ports and UNIX socket paths (from /proc)."""
    inodes = set()
    for pid in _members(group):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                if (target := os.readlink(fd)).startswith("socket:["):
                    inodes.add(target[8:-1])
    tcp = [
        line.split()[1]
        for table in ("tcp", "tcp6")
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]
        if line.split()[9] in inodes and line.split()[3] == "0A"  # LISTEN
    ]
    unix = [
        fields[7]
        for line in Path("/proc/net/unix").read_text().splitlines()[1:]
        if len(fields := line.split()) == 8 and fields[6] in inodes and fields[5] == "01"  # listening
    ]
    return {"tcp": tcp, "unix": unix}


def _connect(path: str) -> None:
    with socket.socket(socket.AF_UNIX) as connection:
        connection.connect(path)


def _connect_as_nobody(path: str) -> str:
    if os.geteuid() != 0:
        pytest.skip("becoming another local user needs root")
    attempt = subprocess.run(
        [
            SYSTEM_PYTHON,  # the project's own interpreter sits in root's home, closed to nobody
            "-c",
            "import socket, sys\nconnection = socket.socket(socket.AF_UNIX)\n"
            "try:\n    connection.connect(sys.argv[1])\n    print('connected')\n"
            "except OSError as refused:\n    print(type(refused).__name__)\n",
            path,
        ],
        user=NOBODY,
        group=NOBODY,
        extra_groups=[],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd="/",
    )
    return attempt.stdout.strip()


def _kill_group_of_process_listening_at(address: str) -> None:
    os.killpg(_group_listening_at(address), signal.SIGKILL)


def _members(group: int) -> list[int]:
    return _alive(group)


def _alive(group: int) -> list[int]:
    members = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":  # a zombie is dead, only not yet reaped
            members.append(int(pid))
    return members
