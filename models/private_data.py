"""An instance's data is its user's alone: the home folder (database, Prefect's database, logs,
documents), the keys, and the SQLite database file.

Every `saraban` command sets the umask to 077, so what it and the processes it starts (workers,
flow runs, LibreOffice) create is 0600 or 0700. The long-running commands (`serve`, `web`,
`worker`, `deliver`) refuse to start while the home, the documents, the database or the keys are
open to other local users: a world-readable saraban.db is every memo and every password hash,
and a readable keys folder is the power to sign. `saraban init` makes them private.
"""

import os
import stat
from pathlib import Path

from sqlalchemy import make_url

from models.settings import Settings

PRIVATE_UMASK = 0o077
FOLDER_MODE, FILE_MODE = 0o700, 0o600


class ExposedToOthers(RuntimeError):
    def __init__(self, path: Path, mode: int) -> None:
        wanted = FOLDER_MODE if stat.S_ISDIR(mode) else FILE_MODE
        super().__init__(
            f"{path} เปิดให้ผู้ใช้อื่นในเครื่องอ่านหรือเขียนได้ (สิทธิ์ {stat.filemode(mode)}) จึงไม่เริ่มทำงาน "
            f"ให้สั่ง chmod {wanted:o} {path} หรือ saraban init "
            f"({path} is open to other users of this machine ({stat.filemode(mode)}), so Saraban does not start: "
            f"run `chmod {wanted:o} {path}`, or `saraban init`, which makes the instance's data private)"
        )
        self.path = path


def keep_private() -> None:
    """What this process and its children create is for this user alone."""
    os.umask(PRIVATE_UMASK)


def instance_paths(settings: Settings) -> list[Path]:
    """The folders and files that must be private, those that exist: the home, the documents and
    keys folders (which may be elsewhere), every key, and a SQLite database with its journals."""
    paths = [settings.home, settings.documents_dir, settings.keys_dir]
    if settings.keys_dir.is_dir():
        paths += sorted(settings.keys_dir.iterdir())
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = Path(url.database)
        paths += [database, *(database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))]
    return [path for path in dict.fromkeys(paths) if path.exists()]


def check_private(settings: Settings) -> None:
    for path in instance_paths(settings):
        mode = path.stat().st_mode
        if mode & 0o077:
            raise ExposedToOthers(path, mode)


def make_private(settings: Settings) -> list[Path]:
    """Take every permission of other users off the instance's folders and files; the paths
    changed (`saraban init` says which)."""
    changed = []
    for path in instance_paths(settings):
        mode = path.stat().st_mode
        if mode & 0o077:
            path.chmod(stat.S_IMODE(mode) & ~0o077)
            changed.append(path)
    return changed
