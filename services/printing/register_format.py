"""How a register number prints: "<prefix>/<running number>" in Thai digits."""

from documents.thai_format import to_thai_digits


def register_number(prefix: str, number: int) -> str:
    return f"{to_thai_digits(prefix)}/{to_thai_digits(number)}"


def order_number(number: int, year_be: int) -> str:
    """An order's number as printed: "๑/๒๕๗๐", its running number over its calendar year."""
    return f"{to_thai_digits(number)}/{to_thai_digits(year_be)}"


def circular_number(prefix: str, number: int) -> str:
    """A circular's number as printed: "อท ๕๓๗๐๑/ว ๑๒", the office's prefix, ว and its running number."""
    return f"{to_thai_digits(prefix)}/ว {to_thai_digits(number)}"
