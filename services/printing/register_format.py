"""How a register number prints: "<prefix>/<running number>" in Thai digits."""

from documents.thai_format import to_thai_digits


def register_number(prefix: str, number: int) -> str:
    return f"{to_thai_digits(prefix)}/{to_thai_digits(number)}"
