"""The PIN rules and the one reading of typed digits (Thai and Arabic are one PIN)."""

import pytest

from models.digits import arabic_digits
from models.pin_policy import BadPin, check_new_pin
from models.settings import get_settings
from tests.builders import PIN


def test_thai_and_arabic_digits_read_the_same():
    assert arabic_digits("๔๘๒๙๑๕") == "482915"
    assert arabic_digits("ปี ๒๕๖๙ งบ 1,000") == "ปี 2569 งบ 1,000"  # other characters kept
    assert check_new_pin(" ๔๘๒๙๑๕ ") == check_new_pin("482915") == "482915"


def test_the_test_and_demo_pin_is_acceptable():
    assert check_new_pin(PIN) == PIN


@pytest.mark.parametrize(
    "pin, reason",
    [
        ("4829", "at least 6"),
        ("48291", "at least 6"),
        ("48291a", "digits only"),
        ("", "digits only"),
        ("000000", "repeat one digit"),
        ("๙๙๙๙๙๙", "repeat one digit"),
        ("123456", "run"),
        ("654321", "run"),
        ("890123", "run"),
        ("๑๒๓๔๕๖", "run"),
        ("12345678", "run"),
        ("121212", "most common"),
        ("123123", "most common"),
        ("520520", "most common"),
        ("112233", "most common"),
        ("159753", "most common"),
        ("147258", "most common"),
        ("150369", "date"),
        ("690315", "date"),
        ("290200", "date"),
        ("01012530", "date"),
        ("25300101", "date"),
        ("31121990", "date"),
    ],
)
def test_weak_pins_are_refused_with_the_reason_in_thai_and_english(pin, reason):
    with pytest.raises(BadPin, match=reason) as refused:
        check_new_pin(pin)
    assert "รหัส PIN" in str(refused.value)


def test_the_minimum_length_is_a_setting(monkeypatch):
    monkeypatch.setenv("SARABAN_PIN_MIN_DIGITS", "8")
    get_settings.cache_clear()
    try:
        with pytest.raises(BadPin, match="at least 8"):
            check_new_pin(PIN)
        assert check_new_pin("48291573") == "48291573"
    finally:
        monkeypatch.delenv("SARABAN_PIN_MIN_DIGITS")
        get_settings.cache_clear()


def test_most_six_digit_pins_remain():
    refused = 0
    for number in range(0, 1_000_000, 7):  # a sample of one in seven
        try:
            check_new_pin(f"{number:06d}")
        except BadPin:
            refused += 1
    assert refused / (1_000_000 / 7) < 0.15  # the rules take away the likely guesses, not the space
