"""A real PNG image small enough to build in code, so tests need no image file."""

import io
import struct
import zlib


def tiny_png() -> bytes:
    """A 1x1 white PNG, so the test needs no image file."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    for kind, payload in ((b"IHDR", header), (b"IDAT", pixels), (b"IEND", b"")):
        out.write(chunk(kind, payload))
    return out.getvalue()
