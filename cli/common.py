"""What every command shares: exit codes, errors that say what to fix, PINs, JSON output."""

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any, TypeVar

import typer
import yaml
from pydantic import BaseModel, ValidationError

from models.be_dates import BadDate, parse_be_date
from models.digits import arabic_digits
from models.draft import explain_problem as _explain
from models.instance_secrets import MissingInstanceKey
from models.private_data import ExposedToOthers
from models.rules import Refused
from services.errors import BadInput

EXIT_OK, EXIT_REFUSED, EXIT_BAD_INPUT = 0, 1, 2
M = TypeVar("M", bound=BaseModel)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the domain's refusals and input errors into messages and exit codes."""
    try:
        yield
    except Refused as refusal:
        typer.echo(f"ปฏิเสธ (refused): {refusal.message}", err=True)
        raise typer.Exit(EXIT_REFUSED) from refusal
    except BadInput as error:
        typer.echo(f"ข้อมูลไม่ถูกต้อง (bad input): {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from error
    except MissingInstanceKey as error:
        typer.echo(f"ตั้งค่าเครื่องไม่ครบ (this machine's setup is incomplete): {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from error
    except ExposedToOthers as error:
        typer.echo(f"ปฏิเสธ (refused): {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from error


def read_pin(pin_stdin: bool) -> str:
    if pin_stdin:
        return sys.stdin.readline().strip()
    return typer.prompt("รหัส PIN (signing PIN)", hide_input=True)


def be_year_option(typed: str) -> int:
    """Typer parser for a BE year option: Thai or Arabic digits (๒๕๗๐ is 2570). Whether the year
    is BE is the command's to say (models.fiscal refuses 2026 with "did you mean 2569?")."""
    digits = arabic_digits(typed.strip())
    if not digits.isdigit():
        raise typer.BadParameter("ต้องเป็นตัวเลขปี พ.ศ. เช่น ๒๕๗๐ (a BE year in digits, e.g. 2570)")
    return int(digits)


def be_date_option(typed: str) -> dt.date:
    """Typer parser for a date option: day/month/BE year (models.be_dates)."""
    try:
        return parse_be_date(typed)
    except BadDate as error:
        raise typer.BadParameter(str(error)) from error


def read_yaml_model(path: Path, model: type[M]) -> M:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return model.model_validate(raw)
    except (OSError, yaml.YAMLError) as error:
        raise BadInput(f"อ่านไฟล์ {path} ไม่ได้ (cannot read {path}: {error})") from error
    except ValidationError as error:
        problems = "\n".join(f"  {'.'.join(map(str, e['loc']))}: {_explain(e)}" for e in error.errors())
        raise BadInput(f"ไฟล์ {path} ไม่ถูกต้อง (invalid file):\n{problems}") from error


def print_json(value: Any) -> None:
    typer.echo(json.dumps(_plain(value), ensure_ascii=False, indent=2, default=str))


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def run(action: Callable[[], Any]) -> Any:
    with domain_errors():
        return action()
