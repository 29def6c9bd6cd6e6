import datetime as dt

import pytest

from documents.context import Capacity, Signatory
from documents.thai_format import (
    signature_lines,
    thai_date_full,
    thai_date_memo,
    thai_date_short,
    thai_number,
    to_thai_digits,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30", "๓๐"),
        (30, "๓๐"),
        ("อท 53701.4/30", "อท ๕๓๗๐๑.๔/๓๐"),
        ("ไม่มีตัวเลข ITA", "ไม่มีตัวเลข ITA"),
        ("๒๕๖๔", "๒๕๖๔"),
        ("", ""),
    ],
)
def test_to_thai_digits_replaces_only_digits(text, expected):
    assert to_thai_digits(text) == expected


@pytest.mark.parametrize(
    ("date", "full", "memo", "short"),
    [
        (dt.date(2021, 3, 4), "๔ มีนาคม พ.ศ. ๒๕๖๔", "๔ มีนาคม ๒๕๖๔", "๔ มี.ค. ๖๔"),
        (dt.date(2021, 3, 8), "๘ มีนาคม พ.ศ. ๒๕๖๔", "๘ มีนาคม ๒๕๖๔", "๘ มี.ค. ๖๔"),
        (dt.date(2022, 2, 22), "๒๒ กุมภาพันธ์ พ.ศ. ๒๕๖๕", "๒๒ กุมภาพันธ์ ๒๕๖๕", "๒๒ ก.พ. ๖๕"),
        (dt.date(2019, 12, 31), "๓๑ ธันวาคม พ.ศ. ๒๕๖๒", "๓๑ ธันวาคม ๒๕๖๒", "๓๑ ธ.ค. ๖๒"),
        (dt.datetime(2021, 7, 5, 23, 59), "๕ กรกฎาคม พ.ศ. ๒๕๖๔", "๕ กรกฎาคม ๒๕๖๔", "๕ ก.ค. ๖๔"),
    ],
)
def test_buddhist_era_dates(date, full, memo, short):
    assert thai_date_full(date) == full
    assert thai_date_memo(date) == memo
    assert thai_date_short(date) == short


def test_thai_number_label():
    assert [thai_number(n) for n in (1, 2, 10)] == ["๑.", "๒.", "๑๐."]


def test_signature_lines_self():
    signer = Signatory(full_name="นางสาวสมหญิง แดงโสภา", position_title="นิติกรปฏิบัติการ")
    assert signature_lines(signer) == ["(นางสาวสมหญิง แดงโสภา)", "นิติกรปฏิบัติการ"]


def test_signature_lines_acting_mayor_of_004():
    signer = Signatory(
        full_name="ภาคภูมิ อนุศาสตร์",
        position_title="ปลัดเทศบาล",
        rank="ว่าที่ร้อยตรี",
        capacity=Capacity.PERFORMING_DUTIES,
        acting_for_title="นายกเทศมนตรีตำบลโคกพุทรา",
    )
    assert signature_lines(signer) == [
        "ว่าที่ร้อยตรี",
        "(ภาคภูมิ อนุศาสตร์)",
        "ปลัดเทศบาล ปฏิบัติหน้าที่",
        "นายกเทศมนตรีตำบลโคกพุทรา",
    ]


@pytest.mark.parametrize(
    ("capacity", "word"),
    [
        (Capacity.PERFORMING_DUTIES, "ปฏิบัติหน้าที่"),
        (Capacity.ACTING_IN_PLACE, "รักษาราชการแทน"),
        (Capacity.ON_BEHALF, "ปฏิบัติราชการแทน"),
    ],
)
def test_signature_lines_each_acting_capacity_prints_its_word(capacity, word):
    signer = Signatory(
        full_name="นายสมชาย ใจดี",
        position_title="รองผู้อำนวยการเขต",
        capacity=capacity,
        acting_for_title="ผู้อำนวยการเขตห้วยขวาง",
    )
    assert signature_lines(signer) == [
        "(นายสมชาย ใจดี)",
        f"รองผู้อำนวยการเขต {word}",
        "ผู้อำนวยการเขตห้วยขวาง",
    ]


def test_capacity_given_as_plain_string_is_accepted():
    signer = Signatory(
        full_name="นายสมชาย ใจดี",
        position_title="ปลัด",
        capacity="รักษาราชการแทน",  # as read from a database column
        acting_for_title="นายก",
    )
    assert signature_lines(signer)[1] == "ปลัด รักษาราชการแทน"


def test_acting_capacity_without_title_is_an_error():
    signer = Signatory(full_name="นายสมชาย ใจดี", position_title="ปลัด", capacity=Capacity.ACTING_IN_PLACE)
    with pytest.raises(ValueError, match="acting_for_title"):
        signature_lines(signer)
