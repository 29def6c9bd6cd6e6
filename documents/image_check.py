"""Whether uploaded bytes are a whole, sane PNG or JPEG image.

The Garuda emblem goes into every memo and announcement of its organisation: a file that
only starts like a PNG (truncated, a header that lies about its size, another file with PNG
magic bytes) would break all of them later. So the image is decoded in full, once, here.
"""

import io
import warnings

from PIL import Image

FORMATS = {"PNG": "png", "JPEG": "jpg"}
MAX_SIDE = 4000  # pixels: an emblem is printed about 3 cm wide; bigger is a mistake or a bomb
PIXEL_LIMIT = MAX_SIDE * MAX_SIDE


class BadImage(ValueError):
    pass


def checked_image_suffix(data: bytes) -> str:
    """'png' or 'jpg' for a complete image of sensible size; BadImage (a Thai and English
    message saying what is wrong) otherwise."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
                _check_size(image.width, image.height)
                image.verify()  # the structure to its end marker, with every checksum
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as image:
                image.load()  # every pixel: a truncated file or a wrong declared size fails here
                return FORMATS[image.format]
    except BadImage:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise BadImage(
            "ไฟล์ภาพเสียหายหรือไม่ใช่ภาพ PNG/JPEG ที่สมบูรณ์ กรุณาบันทึกภาพใหม่แล้วอัปโหลดอีกครั้ง "
            "(the file is not a complete PNG or JPEG image: save the image again and upload it)"
        ) from error


def _check_size(width: int, height: int) -> None:
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise BadImage(
            f"ภาพต้องกว้างและสูงไม่เกิน {MAX_SIDE:,} พิกเซล (the image must be at most "
            f"{MAX_SIDE} × {MAX_SIDE} pixels; this one is {width} × {height})"
        )
