"""The import contracts in pyproject.toml hold today, and each one fails on the import it exists to stop.

Each case copies the code into a temporary folder, adds one bad import to one module, and runs
`lint-imports` there: the contract named must be reported broken (and only a kept tree passes).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("models", "documents", "services", "tasks", "workflows", "deployments", "web", "cli")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("pristine")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tree / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.j2", "*.png", "*.js", "*.css", "*.html"),
        )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_code_keeps_every_contract(pristine: Path) -> None:
    result = lint_imports(pristine)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


BAD_IMPORTS = [
    # (module that gains the import, the import, the contract that must break)
    ("tasks/answers.py", "from workflows.memo_routing import route_memo", "deployments → workflows → tasks"),
    (
        "services/yearly/evidence_items.py",
        "from services.yearly.evidence import EvidencePack",
        "No two modules of one package import each other",
    ),
    (
        "services/memo_life/signoff.py",
        "from services.publication.publication import publish_memo",
        "services: each package imports only those below it",
    ),
    (
        "services/accounts/credentials.py",
        "from services.memo_life.escalation import escalate_step",
        "services: each package imports only those below it",
    ),
    (
        "services/yearly/cycle.py",
        "from services.orchestration.flow_work import next_work",
        "services: each package imports only those below it",
    ),
    (
        "services/audit/audit_view.py",
        "from services.accounts.people import member_of",
        "services.audit reads the chain on its own",
    ),
    (
        "services/publication/public.py",
        "from services.audit.audit_verify import verify_chain",
        "No service package needs the audit views",
    ),
    (
        "documents/docx/memo.py",
        "from documents.proofreading.proofread import proofread",
        "documents: pdf → proofreading",
    ),
    ("services/printing/rendering.py", "from web.templating import templates", "Nothing below the entry points"),
    ("web/routes/memos.py", "from workflows.memo_routing import route_memo", "The web app runs no flow code"),
]


@pytest.mark.parametrize(("module", "line", "contract"), BAD_IMPORTS, ids=[case[0] for case in BAD_IMPORTS])
def test_a_bad_import_breaks_its_contract(
    pristine: Path, tmp_path: Path, module: str, line: str, contract: str
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    target = tree / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = lint_imports(tree)
    assert result.returncode != 0
    broken = [text for text in _contract_lines(result.stdout) if text.endswith("BROKEN")]
    assert any(contract in text for text in broken), result.stdout


def _contract_lines(report: str) -> list[str]:
    """The contract summary lines, with the long names lint-imports wraps joined back together."""
    lines, current = [], ""
    for text in report.splitlines():
        current = f"{current} {text}".strip() if current else text
        if current.endswith(("KEPT", "BROKEN")):
            lines.append(current)
            current = ""
        elif not text.strip():
            current = ""
    return lines
