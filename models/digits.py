"""One reading of the digits a person types: Thai (๐-๙), Arabic (0-9) or any other decimal digits.

A PIN typed on a Thai keyboard layout comes as ๔๘๒๙๑๕; the same PIN is 482915 on another
device. Every path that reads a number a person typed (PINs today; years and amounts later)
turns it into Arabic digits here first, so both spellings are one value everywhere.
"""

import unicodedata


def arabic_digits(text: str) -> str:
    """`text` with every decimal digit of any script replaced by 0-9; other characters kept."""
    return "".join(_arabic(char) for char in text)


def _arabic(char: str) -> str:
    value = unicodedata.decimal(char, None)
    return str(value) if value is not None else char


_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def thai_digits(value: object) -> str:
    """`value` as text with Thai digits, for numbers put into the Thai part of a message
    (documents.thai_format.to_thai_digits does the same for documents; models import nothing above)."""
    return str(value).translate(_TO_THAI)
