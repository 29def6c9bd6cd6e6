"""The office server's own process (started by documents.pdf.office_server): unoserver's server with
LibreOffice's Python bridge made importable, which exits when the process that started it does.

    SARABAN_OFFICE_TOKEN=... python -m documents.pdf.office_process --port P --uno-port U --user-installation DIR [...]

The bridge (uno.py, pyuno.so) is the distribution's, built for Python 3.11 like this project's
interpreter; its folder goes last on the path, so nothing of this project's is shadowed.
"""

import os
import signal
import sys
import threading
import time
import xmlrpc.server

from documents.pdf.office_server import TOKEN_VARIABLE, bridge_path

PARENT_CHECK_SECONDS = 1.0


def main(arguments: list[str]) -> int:
    path = bridge_path()
    if path is None:
        print("LibreOffice's Python bridge (python3-uno) is not installed", file=sys.stderr)
        return 2
    token = os.environ.pop(TOKEN_VARIABLE, "")
    if not token:
        print(f"{TOKEN_VARIABLE} is not set: the server would answer anyone on this machine", file=sys.stderr)
        return 2
    sys.path.append(path)
    # The only path it answers on (documents.pdf.office_server says why).
    xmlrpc.server.SimpleXMLRPCRequestHandler.rpc_paths = (f"/{token}",)
    # unoserver's XML-RPC server logs every request to stderr, which is the worker's (or `saraban
    # serve`'s) console: one line per PDF. Its own warnings and errors still go there.
    xmlrpc.server.SimpleXMLRPCRequestHandler.log_request = lambda *_args, **_kwargs: None
    threading.Thread(target=_follow_parent, args=(os.getppid(),), daemon=True).start()
    from unoserver.server import main as unoserver_main

    sys.argv = ["unoserver", *arguments]
    return unoserver_main() or 0


def _follow_parent(parent: int) -> None:
    # A worker killed with -9 cannot stop its office server; the server notices and kills its own
    # process group (it leads one: LibreOffice's launcher and soffice.bin are in it), so no
    # LibreOffice is left behind. The profile is a throw-away, nothing needs a clean exit.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os.killpg(0, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
