"""The office server's own process (started by documents.pdf.office_server): one LibreOffice, and an
XML-RPC `convert` in front of it, both reachable only by the user that runs Saraban.

    python -m documents.pdf.office_process --socket FOLDER/office.sock --user-installation DIR [...]

Nothing here listens on the network. unoserver's own server would: its XML-RPC on a TCP port, and
LibreOffice's UNO bridge on another (`--accept=socket,...`), which any local user can connect to
and, through com.sun.star.ucb.SimpleFileAccess, read and write every file this user can (the keys
folder included). So only unoserver's converter is used, and:

- the XML-RPC server answers on a UNIX socket inside the caller's 0700 folder;
- LibreOffice accepts on a named pipe, a UNIX socket that LibreOffice makes in /tmp with the
  process's umask, set here to 077: connecting needs write permission on it, which only this user
  has (root aside);
- LibreOffice's environment holds no secret (documents.pdf.soffice.office_environment): the
  documents come as bytes, it needs neither the database nor Prefect.

The bridge (uno.py, pyuno.so) is the distribution's, built for Python 3.11 like this project's
interpreter; its folder goes last on the path, so nothing of this project's is shadowed.
"""

from __future__ import annotations

import argparse
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
import xmlrpc.client
import xmlrpc.server
from concurrent import futures
from pathlib import Path

from documents.pdf.office_server import bridge_path
from documents.pdf.soffice import office_environment, soffice_path

PARENT_CHECK_SECONDS = 1.0
CONNECT_SECONDS = 170  # LibreOffice's first start on a busy 2-core machine; the caller waits 180


class _UnixXMLRPCServer(socketserver.UnixStreamServer, xmlrpc.server.SimpleXMLRPCDispatcher):
    """SimpleXMLRPCServer's dispatcher on a UNIX socket: one request at a time, like unoserver's."""

    def __init__(self, path: str) -> None:
        socketserver.UnixStreamServer.__init__(self, path, _QuietHandler)
        xmlrpc.server.SimpleXMLRPCDispatcher.__init__(self, allow_none=True, encoding=None)


class _QuietHandler(xmlrpc.server.SimpleXMLRPCRequestHandler):
    disable_nagle_algorithm = False  # a TCP option: a UNIX socket refuses it

    # A request line per PDF on the worker's console says nothing; errors still reach stderr.
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def main(arguments: list[str]) -> int:
    options = _parser().parse_args(arguments)
    bridge = bridge_path()
    soffice = soffice_path()
    if bridge is None or soffice is None:
        print("LibreOffice or its Python bridge (python3-uno) is not installed", file=sys.stderr)
        return 2
    socket_folder = Path(options.socket).parent
    if socket_folder.stat().st_mode & 0o077:
        print(f"{socket_folder} is open to other users: the server would answer them", file=sys.stderr)
        return 2
    os.umask(0o077)  # LibreOffice's pipe, its profile and temporary files: this user's alone
    sys.path.append(bridge)
    pipe = options.pipe
    office = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--nocrashreport",
            "--nodefault",
            "--nologo",
            "--nofirststartwizard",
            "--norestore",
            f"-env:UserInstallation={Path(options.user_installation).as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        env=office_environment(Path(options.temp_dir), dict(_font_settings())),
    )
    threading.Thread(target=_follow_parent, args=(os.getppid(),), daemon=True).start()
    threading.Thread(target=_stop_with, args=(office,), daemon=True).start()
    converter = _connect(pipe, office, options.temp_dir)
    with _UnixXMLRPCServer(options.socket) as server:
        server.register_function(lambda: "saraban office server", "info")
        server.register_function(_converting_with(converter, options.conversion_timeout), "convert")
        server.serve_forever()
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="office_process")
    parser.add_argument("--socket", required=True, help="the XML-RPC server's UNIX socket, in a 0700 folder")
    parser.add_argument("--pipe", required=True, help="the name of LibreOffice's pipe (a socket in /tmp)")
    parser.add_argument("--user-installation", required=True, help="LibreOffice's (throw-away) profile folder")
    parser.add_argument("--temp-dir", required=True, help="where documents wait while LibreOffice reads them")
    parser.add_argument("--conversion-timeout", type=float, default=180)
    return parser


def _font_settings() -> dict[str, str]:
    # FONTCONFIG_FILE from documents.pdf.preview_fonts (TH Sarabun's metrics), given by the caller.
    return {name: os.environ[name] for name in ("FONTCONFIG_FILE",) if name in os.environ}


def _connect(pipe: str, office: subprocess.Popen, temp_dir: str):  # noqa: ANN202  (unoserver's class)
    import uno  # first: it teaches Python to import LibreOffice's com.sun.star types
    from com.sun.star.uno import Exception as UnoException
    from unoserver.converter import UnoConverter

    class PipeConverter(UnoConverter):
        """unoserver 3.7's converter connects by TCP only; the same set-up over the pipe."""

        def __init__(self) -> None:
            self.local_context = uno.getComponentContext()
            resolver = self.local_context.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", self.local_context
            )
            self.context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            self.service = self.context.ServiceManager
            self.desktop = self.service.createInstanceWithContext("com.sun.star.frame.Desktop", self.context)
            self.filter_service = self.service.createInstanceWithContext(
                "com.sun.star.document.FilterFactory", self.context
            )
            self.type_service = self.service.createInstanceWithContext(
                "com.sun.star.document.TypeDetection", self.context
            )
            self.temp_dir = temp_dir
            self._export_filters = None
            self._import_filters = None

    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return PipeConverter()
        except UnoException:  # not accepting yet
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _converting_with(converter, timeout: float):  # noqa: ANN001, ANN202
    def convert(data: xmlrpc.client.Binary) -> xmlrpc.client.Binary:
        """The PDF of a .docx given as bytes."""
        with futures.ThreadPoolExecutor(max_workers=1) as executor:
            running = executor.submit(converter.convert, None, data.data, None, "pdf")
            try:
                return xmlrpc.client.Binary(running.result(timeout=timeout))
            except futures.TimeoutError:
                # A LibreOffice that hangs on one document would hang every later one: the whole
                # server goes, and callers start their own soffice (documents.pdf.office_server).
                os.killpg(0, signal.SIGKILL)
                raise

    return convert


def _stop_with(office: subprocess.Popen) -> None:
    # Without its LibreOffice the server could only answer with errors: it goes too, and callers
    # fall back to a soffice of their own.
    office.wait()
    os.killpg(0, signal.SIGKILL)


def _follow_parent(parent: int) -> None:
    # A worker killed with -9 cannot stop its office server; the server notices and kills its own
    # process group (it leads one: LibreOffice's launcher and soffice.bin are in it), so no
    # LibreOffice is left behind. The profile is a throw-away, nothing needs a clean exit.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os.killpg(0, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
