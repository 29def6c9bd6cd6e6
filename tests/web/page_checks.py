"""What every page must pass, for any Playwright test to call: a screenshot at desktop and phone
widths, no sideways scroll, and no serious or critical axe-core violation.

axe-core comes from the `axe-playwright-python` wheel (pinned in pyproject.toml), which ships
axe.min.js; only that file is used. It is evaluated through Playwright (the DevTools protocol),
not added as a <script> element: the pages' Content-Security-Policy refuses inline scripts, and
evaluation is not subject to it, so the page is checked under its real CSP (no bypass)."""

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from playwright.sync_api import Error, Page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
WIDTHS = ((1366, 900), (390, 844))  # desktop, phone (the "Done means")
FAILING_IMPACTS = ("serious", "critical")
AXE_SOURCE = files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")

# The widest elements that stick out past the viewport's right edge: what to fix, not just "it scrolls".
_OVERFLOW_JS = """() => {
  const root = document.documentElement, limit = root.clientWidth + 1;
  if (root.scrollWidth <= limit) return null;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > limit && box.width > 0) {
      const id = el.id ? '#' + el.id : '';
      const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      culprits.push({element: el.tagName.toLowerCase() + id + cls, right: Math.round(box.right),
                     text: (el.textContent || '').trim().slice(0, 60)});
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, culprits: culprits.slice(-8)};
}"""


@dataclass
class PageReport:
    """What one page showed at one width."""

    name: str
    width: int
    screenshot: Path
    overflow: dict | None
    violations: list[dict]

    def problems(self) -> list[str]:
        found = []
        if self.overflow:
            culprits = "\n".join(
                f"      {c['element']} (right edge {c['right']} px): {c['text']!r}" for c in self.overflow["culprits"]
            )
            found.append(
                f"{self.name} at {self.width} px scrolls sideways: scrollWidth "
                f"{self.overflow['scrollWidth']} > clientWidth {self.overflow['clientWidth']}\n{culprits}"
            )
        if self.violations:
            found.append(f"{self.name} at {self.width} px: axe-core found\n{describe_violations(self.violations)}")
        return found


def sideways_overflow(page: Page) -> dict | None:
    """None when the page fits its viewport's width (document.documentElement.scrollWidth <=
    clientWidth + 1); otherwise the widths and the elements that stick out."""
    return page.evaluate(_OVERFLOW_JS)


def axe_violations(page: Page, impacts: tuple[str, ...] = FAILING_IMPACTS) -> list[dict]:
    """axe-core's violations on the page whose impact is one of `impacts` (default rules: WCAG 2
    A/AA and best practices). Frames of the page are checked too where axe can be put into them;
    a frame it cannot enter (a PDF viewer) answers nothing, so axe waits for it only briefly."""
    for frame in page.frames:
        try:
            if not frame.evaluate("() => typeof window.axe === 'object'"):
                frame.evaluate(AXE_SOURCE)
        except Error:
            pass  # not a document axe can run in (another origin, a plugin's viewer)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations'], frameWaitTime: 2000})")
    return [v for v in results["violations"] if v["impact"] in impacts]


def describe_violations(violations: list[dict]) -> str:
    """One block per rule: its id, impact and help, then each element (selector, snippet, why)."""
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:10]:
            why = " ".join(node.get("failureSummary", "").split())
            lines.append(f"      {' '.join(map(str, node['target']))}: {node['html'][:160]}\n        {why[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"      ... and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


def check_page(page: Page, name: str) -> list[PageReport]:
    """The page as it is loaded now, at each width: screenshot, sideways scroll, axe-core. The
    viewport changes in place (the layout reflows as a browser window does); nothing is reloaded."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    reports = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        path = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        reports.append(PageReport(name, width, path, sideways_overflow(page), axe_violations(page)))
    return reports


def problems_of(page: Page, name: str) -> list[str]:
    """Every failure of `check_page`, as text ready for an assertion message."""
    return [problem for report in check_page(page, name) for problem in report.problems()]
