"""Errors shown or kept about a channel, without the secrets its URL holds (shared by the
publication posts and the channels people add themselves)."""

import re
from urllib.parse import unquote

MAX_ERROR_CHARS = 500
MIN_SECRET_CHARS = 6  # shorter pieces of a URL (ports, "json", "hooks") are not worth hiding
MIN_PASSWORD_CHARS = 3  # below this, replacing the text would garble the error, not hide anything


def scrub_secrets(error: str, url: str) -> str:
    """The error without any piece of the Apprise URL that could be a password or token.

    Apprise's messages and the exceptions it reports (requests', smtplib's) can quote the URL it
    called, and for LINE, Telegram or Discord the token is in that URL's host or path. Host names
    and addresses stay: they tell the officer which server did not answer.
    """
    for secret in sorted(_secret_pieces(url), key=len, reverse=True):
        error = error.replace(secret, "****")
    return error[:MAX_ERROR_CHARS]


def _secret_pieces(url: str) -> set[str]:
    rest = url.split("://", 1)[-1]
    pieces = {_password(rest)} - {""}
    for piece in re.split(r"[/:@?&=#,;]", rest):
        for form in (piece, unquote(piece)):
            if len(form) >= MIN_SECRET_CHARS and not _is_address(form):
                pieces.add(form)
    return pieces


def _password(rest: str) -> str:
    # user:password@host: the password is hidden however short it is.
    authority = rest.split("/", 1)[0]
    userinfo = authority.rsplit("@", 1)[0] if "@" in authority else ""
    password = unquote(userinfo.split(":", 1)[1]) if ":" in userinfo else ""
    return password if len(password) >= MIN_PASSWORD_CHARS else ""


def _is_address(piece: str) -> bool:
    # An IPv4 address or a host name ending in a letters-only label (a dotted token does not).
    return bool(re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}|([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}", piece))
