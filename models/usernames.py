"""What a username may be: lowercase ASCII letters, digits and . _ -, starting with a letter; not a
name the system itself writes in the audit log; not a look-alike of someone else's.

The audit log names who acted by username, and shows "system" as ระบบ; a person called "system",
or "s0mying" beside "somying", would read as someone they are not.
"""

import re

PATTERN = re.compile(r"[a-z][a-z0-9._-]{1,63}")
# Names the system writes as actors, or that a reader would take for it.
RESERVED = frozenset({"system", "saraban", "prefect", "root", "nobody", "anonymous", "public"})
# Characters read alike in a username: digits for letters, and the separators.
_ALIKE = str.maketrans({"0": "o", "1": "l", "i": "l", "3": "e", "5": "s", "8": "b", ".": None, "_": None, "-": None})


def username_problem(username: str) -> str | None:
    """Why `username` may not be used (Thai, then English), or None."""
    if not PATTERN.fullmatch(username):
        return (
            f"ชื่อผู้ใช้ {username!r} ต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข หรือ . _ - ขึ้นต้นด้วยตัวอักษร ยาว ๒-๖๔ ตัว "
            "(a username is 2-64 lowercase letters, digits, '.', '_' or '-', starting with a letter)"
        )
    if username in RESERVED:
        return f"ชื่อผู้ใช้ {username} สงวนไว้สำหรับระบบ (the username {username} is reserved for the system)"
    return None


def look_alike(username: str) -> str:
    """The form two usernames share when a reader could take one for the other."""
    return username.translate(_ALIKE)
