"""The apps' imports point one way (../shared/DESIGN.md, "Apps"): each app may
import the apps above it in ``LAYERS``, never those below. Function-local imports
count too: hiding an import in a function hides the cycle, it does not break it.

``STILL_UPWARD`` lists the upward imports main still has (issue 9 removes them:
the auditor's pages move above workflows, scoping stops importing case models,
the write path stops calling the flow). The test fails on any import not listed,
and on a listed one that is gone, so the list only ever shrinks.
"""

import ast
from pathlib import Path

from django.conf import settings

# Lowest first. A new app goes below the ones it imports.
LAYERS = ["core", "audit", "permissions", "cases", "workflows", "auditing"]

STILL_UPWARD = {
    ("cases/management/commands/generate_bench_data.py", "workflows"),
    ("cases/management/commands/generate_bench_data.py", "workflows.flows"),
    ("cases/management/commands/generate_bench_data.py", "workflows.models"),
}


def imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def upward_imports() -> set[tuple[str, str]]:
    rank = {app: height for height, app in enumerate(LAYERS)}
    found = set()
    for app in LAYERS:
        for path in sorted((settings.BASE_DIR / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for module in imported_modules(ast.parse(path.read_text(), filename=str(path))):
                top = module.split(".")[0]
                if rank.get(top, -1) > rank[app]:
                    found.add((str(path.relative_to(settings.BASE_DIR)), module))
    return found


def test_every_app_of_the_project_has_its_layer():
    apps = {path.parent.name for path in Path(settings.BASE_DIR).glob("*/apps.py")}
    assert apps <= set(LAYERS), f"put {sorted(apps - set(LAYERS))} in LAYERS, below the apps it imports"


def test_no_app_imports_an_app_below_it():
    found = upward_imports()
    new = sorted(found - STILL_UPWARD)
    assert not new, "imports against the layers (import from above, or move the code): " + ", ".join(
        f"{path} -> {module}" for path, module in new
    )
    gone = sorted(STILL_UPWARD - found)
    assert not gone, "no longer imported: remove from STILL_UPWARD: " + ", ".join(f"{p} -> {m}" for p, m in gone)
