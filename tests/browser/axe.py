"""axe-core (npm, node_modules/axe-core) run in the page: WCAG 2.1 A and AA rules.

The script is evaluated through the DevTools protocol, which the page's
Content-Security-Policy does not govern, so the policy under test stays as it is.
"""

from __future__ import annotations

import functools
from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULE_SETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
GRAVE = ("serious", "critical")


@functools.cache
def _source() -> str:
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `make assets` (npm ci installs axe-core)")
    return AXE.read_text(encoding="utf-8")


def violations(page, impacts=GRAVE) -> list[str]:
    """The violations of ``impacts`` on the page as it is now, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        RULE_SETS,
    )
    found = []
    for violation in result["violations"]:
        if violation["impact"] in impacts:
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            found.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) at {targets}")
    return found
