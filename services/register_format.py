"""How a register number prints: "<prefix>/<running number>" in Thai digits."""

from pythainlp.util import arabic_digit_to_thai_digit


def register_number(prefix: str, number: int) -> str:
    return f"{arabic_digit_to_thai_digit(prefix)}/{arabic_digit_to_thai_digit(str(number))}"
