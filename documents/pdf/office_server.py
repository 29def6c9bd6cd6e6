"""One LibreOffice kept running per machine for the PDFs (unoserver), instead of one soffice per call.

Starting soffice costs about 0.8 CPU-s before it converts anything, and every publication makes
its PDFs in two passes (documents.pdf.paginated): most of a publication's LibreOffice time was
start-up. `saraban worker` (and `saraban serve`'s worker) therefore starts unoserver once, with
TH Sarabun's metrics (documents.pdf.preview_fonts) and Thai digits (documents.pdf.soffice) set for its
LibreOffice, and puts its address in SARABAN_OFFICE_SERVER, which every flow run inherits.
A conversion there costs about 0.1 CPU-s a document.

unoserver's server needs LibreOffice's Python bridge (Debian's python3-uno), which is built for
the system's Python 3.11; documents.pdf.office_process makes it importable. Where the bridge or
LibreOffice is missing, or the server stops answering, each conversion starts its own soffice
as before: slower, same pages (same fonts, same profile settings).
"""

from __future__ import annotations

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
    soffice_available,
    write_thai_numerals_profile,
)

ADDRESS_VARIABLE = "SARABAN_OFFICE_SERVER"  # "127.0.0.1:<port>/<token>": the machine's unoserver
# unoserver's XML-RPC has no authentication, and its `convert` reads and writes any path it is
# given, as the service's user: on loopback another local user could read the instance's keys
# through it. So it answers only on a random path, known to the processes that inherit the
# address (the worker and its flow runs, readable in /proc only by the same user).
TOKEN_VARIABLE = "SARABAN_OFFICE_TOKEN"  # given to the office process alone
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
    with tempfile.TemporaryDirectory(prefix="saraban-office-") as scratch:
        work = Path(scratch)
        write_thai_numerals_profile(work / "profile")
        port, uno_port, token = _free_port(), _free_port(), secrets.token_urlsafe(24)
        address = f"127.0.0.1:{port}/{token}"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "documents.pdf.office_process",
                "--port",
                str(port),
                "--uno-port",
                str(uno_port),
                "--user-installation",
                str(work / "profile"),
                "--conversion-timeout",
                str(CONVERT_TIMEOUT_SECONDS),
                "--temp-dir",
                scratch,
                "--quiet",
            ],
            env={**os.environ, **sarabun_metrics_env(work / "fonts"), TOKEN_VARIABLE: token},
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


def convert_with_sarabun_metrics(docx_paths: Sequence[Path], out_dir: Path, scratch: Path) -> list[Path]:
    """<out_dir>/<stem>.pdf for every file, printed with TH Sarabun's metrics: on this machine's
    office server when one runs, else in one soffice call (fonts prepared in `scratch`)."""
    address = os.environ.get(ADDRESS_VARIABLE)
    # Only where LibreOffice is installed: a process run without it (PATH) makes no PDF, as before.
    if address and soffice_available():
        try:
            return convert_on_office(address, docx_paths, out_dir)
        except OfficeUnavailable as problem:
            log.warning(
                "the office server at %s did not convert (%s): starting soffice instead", address.split("/")[0], problem
            )  # not the token
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
            data = server.convert(None, xmlrpc.client.Binary(Path(path).read_bytes()), None, "pdf")
        except (OSError, xmlrpc.client.Error) as error:
            # xmlrpc's errors quote the URL, secret path and all; the logs they reach are not secret.
            said = str(error).replace(address, address.split("/")[0])
            raise OfficeUnavailable(f"{type(error).__name__}: {said}") from None
        content = data.data if isinstance(data, xmlrpc.client.Binary) else data
        if not content.startswith(b"%PDF"):  # checked before writing: no half-made file is left
            raise OfficeUnavailable(f"the office server returned no PDF for {Path(path).name}")
        pdf = out_dir / f"{Path(path).stem}.pdf"
        pdf.write_bytes(content)
        pdfs.append(pdf)
    return pdfs


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
    return xmlrpc.client.ServerProxy(f"http://{address}", transport=_TimedTransport(timeout), allow_none=True)


class _TimedTransport(xmlrpc.client.Transport):
    """xmlrpc.client's transport waits for ever; a hung LibreOffice must not hang a flow run."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):  # noqa: ANN001, ANN201  (xmlrpc.client's signature)
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


def _stop(process: subprocess.Popen) -> None:
    # LibreOffice's launcher does not always pass a SIGTERM on (it was seen to leave soffice.bin
    # unreaped and itself running), and its profile is a throw-away: the whole group is killed.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
