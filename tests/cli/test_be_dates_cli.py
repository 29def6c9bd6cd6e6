"""Dates and years typed at the CLI: day/month/BE year, Thai or Arabic digits; a CE year refused."""

DELEGATE = (
    "org",
    "delegate",
    "kokphutsa",
    "--user",
    "preecha",
    "--position",
    "mayor",
    "--capacity",
    "รักษาราชการแทน",
    "--order",
    "คำสั่ง ที่ ๙/๒๕๖๙",
)


def test_a_delegation_s_dates_are_day_month_be_year(saraban):  # noqa: F811
    done = saraban(*DELEGATE, "--from", "๒/๑๒/๒๕๖๙", "--to", "02122570")
    assert done.returncode == 0, done.stderr
    assert "๒ ธันวาคม พ.ศ. ๒๕๖๙ – ๒ ธันวาคม พ.ศ. ๒๕๗๐" in done.stdout


def test_a_western_year_or_a_two_digit_year_is_refused_with_what_to_type(saraban):  # noqa: F811
    western = saraban(*DELEGATE, "--from", "2/12/2026", "--to", "2/12/2570")
    assert western.returncode == 2 and "2569" in western.stderr and "พ.ศ." in western.stderr
    short = saraban(*DELEGATE, "--from", "2/12/69", "--to", "2/12/2570")
    assert short.returncode == 2 and "two-digit year" in short.stderr


def test_a_fiscal_year_in_thai_digits_and_a_ce_one_refused(saraban):  # noqa: F811
    western = saraban("cycle", "run", "--fiscal-year", "2026", "--json")
    assert western.returncode == 2 and "did you mean 2569" in western.stderr
    thai = saraban("cycle", "run", "--fiscal-year", "๒๕๗๐", "--json")
    assert thai.returncode in (0, 1) and '"fiscal_year": 2570' in thai.stdout, thai.stderr
