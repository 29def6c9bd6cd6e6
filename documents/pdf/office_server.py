"""One LibreOffice kept running per machine for the PDFs, instead of one soffice per call.

Starting soffice costs about 0.8 CPU-s before it converts anything, and every publication makes
its PDFs in two passes (documents.pdf.paginated): most of a publication's LibreOffice time was
start-up. `saraban worker` (and `saraban serve`'s worker) therefore starts an office server
(documents.pdf.office_process: unoserver's converter, reachable by this user alone) once, with
TH Sarabun's metrics (documents.pdf.preview_fonts) and Thai digits (documents.pdf.soffice) set for its
LibreOffice, and puts its address in SARABAN_OFFICE_SERVER, which every flow run inherits.
A conversion there costs about 0.1 CPU-s a document.

unoserver's converter needs LibreOffice's Python bridge (Debian's python3-uno), which is built for
the system's Python 3.11; documents.pdf.office_process makes it importable. Where the bridge or
LibreOffice is missing, or the server stops answering, each conversion starts its own soffice
as before: slower, same pages (same fonts, same profile settings).
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from documents.pdf.preview_fonts import FONTCONFIG_NAME, sarabun_metrics_env
from documents.pdf.soffice import (
    CONVERT_TIMEOUT_SECONDS,
    ConversionFailed,
    convert_to_pdf,
    office_environment,
    soffice_available,
    write_thai_numerals_profile,
)

# The office server's UNIX socket, in a 0700 folder of the user running Saraban: the worker and
# its flow runs (which inherit this variable) can connect, no other local user can. Its `convert`
# takes and returns bytes; LibreOffice behind it listens on nothing reachable either
# (documents.pdf.office_process says how).
ADDRESS_VARIABLE = "SARABAN_OFFICE_SERVER"
SOCKET_NAME = "office.sock"
# Where distributions put LibreOffice's Python bridge (uno.py and pyuno.so): Debian and Ubuntu,
# then LibreOffice's own program folder (its packages from libreoffice.org, Fedora).
UNO_PATHS = ("/usr/lib/python3/dist-packages", "/usr/lib/libreoffice/program", "/opt/libreoffice/program")
START_SECONDS = 180  # unoserver waits 7 s by itself; a busy 2-core machine needs far more
ANSWER_SECONDS = 10  # for "are you there?" (`info`), which does no conversion

log = logging.getLogger(__name__)


class OfficeUnavailable(RuntimeError):
    """The office server did not answer or could not convert; the caller starts its own soffice."""


def bridge_path() -> str | None:
    """The folder holding LibreOffice's Python bridge, or None when it is not installed."""
    return next((path for path in UNO_PATHS if (Path(path) / "uno.py").exists()), None)


@contextmanager
def running_office() -> Iterator[str | None]:
    """Run unoserver for this machine while the block runs; yields its address (also put in the
    environment for every process started meanwhile), or None when it cannot run here. One this
    process inherited (`saraban serve`'s worker, from serve) is used as it is, not doubled."""
    inherited = os.environ.get(ADDRESS_VARIABLE)
    if inherited and _answers(inherited):
        yield inherited
        return
    if not soffice_available() or bridge_path() is None:
        log.warning(
            "LibreOffice or its Python bridge (python3-uno) is missing: every PDF conversion "
            "starts its own soffice (about 0.8 CPU-s more each)"
        )
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="saraban-office-") as scratch:  # 0700, this user's
        work = Path(scratch)
        write_thai_numerals_profile(work / "profile")
        address, pipe = str(work / SOCKET_NAME), f"saraban-office-{secrets.token_hex(16)}"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "documents.pdf.office_process",
                "--socket",
                address,
                "--pipe",
                pipe,
                "--user-installation",
                str(work / "profile"),
                "--conversion-timeout",
                str(CONVERT_TIMEOUT_SECONDS),
                "--temp-dir",
                str(work / "documents"),
            ],
            env=office_environment(work, sarabun_metrics_env(work / "fonts")),
            start_new_session=True,
        )  # its own process group: stopping it stops its LibreOffice too
        try:
            _wait_until_answering(address, process)
            os.environ[ADDRESS_VARIABLE] = address
            yield address
        finally:
            if os.environ.get(ADDRESS_VARIABLE) == address:
                del os.environ[ADDRESS_VARIABLE]
            _stop(process)
            for name in (pipe, _single_office_pipe((work / "profile").as_uri())):
                Path(f"/tmp/OSL_PIPE_{os.getuid()}_{name}").unlink(missing_ok=True)


def convert_with_sarabun_metrics(docx_paths: Sequence[Path], out_dir: Path, scratch: Path) -> list[Path]:
    """<out_dir>/<stem>.pdf for every file, printed with TH Sarabun's metrics: on this machine's
    office server when one runs, else in one soffice call (fonts prepared in `scratch`)."""
    address = os.environ.get(ADDRESS_VARIABLE)
    # Only where LibreOffice is installed: a process run without it (PATH) makes no PDF, as before.
    if address and soffice_available():
        try:
            return convert_on_office(address, docx_paths, out_dir)
        except OfficeUnavailable as problem:
            log.warning("the office server at %s did not convert (%s): starting soffice instead", address, problem)
    fonts = scratch / "fonts"  # both passes of a document share the fonts built for the first
    built = fonts / FONTCONFIG_NAME
    env = {"FONTCONFIG_FILE": str(built)} if built.exists() else sarabun_metrics_env(fonts)
    return convert_to_pdf(docx_paths, out_dir, env=env)


def convert_on_office(address: str, docx_paths: Sequence[Path], out_dir: Path) -> list[Path]:
    """Convert on the office server at `address`; the documents travel as bytes, so the server
    needs no access to the caller's folders."""
    out_dir.mkdir(parents=True, exist_ok=True)
    server = _proxy(address, CONVERT_TIMEOUT_SECONDS + 30)  # the server gives up on a conversion first
    pdfs = []
    for path in docx_paths:
        try:
            data = server.convert(xmlrpc.client.Binary(Path(path).read_bytes()))
        except (OSError, xmlrpc.client.Error) as error:
            raise OfficeUnavailable(f"{type(error).__name__}: {error}") from None
        content = data.data if isinstance(data, xmlrpc.client.Binary) else data
        if not content.startswith(b"%PDF"):  # checked before writing: no half-made file is left
            raise OfficeUnavailable(f"the office server returned no PDF for {Path(path).name}")
        pdf = out_dir / f"{Path(path).stem}.pdf"
        pdf.write_bytes(content)
        pdfs.append(pdf)
    return pdfs


def _single_office_pipe(user_installation: str) -> str:
    """The name of the pipe LibreOffice makes for its profile (to pass a second start's files on
    to the first): "SingleOfficeIPC_" and the MD5 of the profile's URL in UTF-16, each byte in hex
    without its leading zero (desktop/source/app/officeipcthread.cxx). Killed, LibreOffice leaves
    it in /tmp, as it does the pipe it accepts on."""
    digest = hashlib.md5(user_installation.encode("utf-16-le"), usedforsecurity=False).digest()
    return "SingleOfficeIPC_" + "".join(format(byte, "x") for byte in digest)


def _wait_until_answering(address: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not _answers(address):
        if process.poll() is not None:
            raise ConversionFailed(f"the office server exited with code {process.returncode} before it answered")
        if time.monotonic() > deadline:
            _stop(process)
            raise ConversionFailed(f"the office server did not answer within {START_SECONDS} s")
        time.sleep(0.3)


def _answers(address: str) -> bool:
    try:
        _proxy(address, ANSWER_SECONDS).info()
        return True
    except (OSError, xmlrpc.client.Error):
        return False


def _proxy(address: str, timeout: float) -> xmlrpc.client.ServerProxy:
    return xmlrpc.client.ServerProxy("http://office", transport=_UnixTransport(address, timeout), allow_none=True)


class _UnixTransport(xmlrpc.client.Transport):
    """XML-RPC over the server's UNIX socket, with a deadline (xmlrpc.client's own transport
    waits for ever; a hung LibreOffice must not hang a flow run)."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__()
        self.path, self.timeout = path, timeout

    def make_connection(self, host):  # noqa: ANN001, ANN201  (xmlrpc.client's signature)
        return _UnixConnection(self.path, self.timeout)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("office", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(self.timeout)
        try:
            connection.connect(self.socket_path)
        except OSError:
            connection.close()
            raise
        self.sock = connection


def _stop(process: subprocess.Popen) -> None:
    # LibreOffice's launcher does not always pass a SIGTERM on (it was seen to leave soffice.bin
    # unreaped and itself running), and its profile is a throw-away: the whole group is killed.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
