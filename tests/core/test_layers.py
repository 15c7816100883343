"""The apps' imports point one way (../shared/DESIGN.md, "Apps"): each app may
import the apps above it in ``LAYERS``, never those below. Function-local imports
count too: hiding an import in a function hides the cycle, it does not break it.

Where a lower app must reach a higher one, it does so through a door the higher
app installs when Django starts (``cases/hooks.py``, installed by
``WorkflowsConfig.ready``), not through an import.
"""

import ast
from pathlib import Path

from django.conf import settings

# Lowest first. A new app goes after the apps it imports.
LAYERS = [
    "core", "audit", "exports", "permissions", "cases", "workflows", "auditing", "repeats", "imports", "documents", "accounts", "api", "open311",
    "field", "citizens",
]  # fmt: skip


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


def function_local_imports():
    """(path, line, import) of every import inside a function, ``AppConfig.ready`` (and what it defines) aside."""
    for app in LAYERS:
        for path in sorted((settings.BASE_DIR / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = path.read_text().splitlines()
            tree = ast.parse("\n".join(lines), filename=str(path))
            ready = {
                id(inner)
                for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef) and node.name == "ready"
                for inner in ast.walk(node)
            }
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    for inner in ast.walk(node):
                        if isinstance(inner, ast.Import | ast.ImportFrom) and id(inner) not in ready:
                            yield path, lines, inner.lineno


def test_every_function_local_import_says_which_cycle_it_breaks():
    """An import inside a function hides a dependency; it stays only with a comment
    (on its line or right above it) saying why it cannot be at the top."""
    silent = sorted(
        {
            f"{path.relative_to(settings.BASE_DIR)}:{line}"
            for path, lines, line in function_local_imports()
            if "#" not in lines[line - 1] and not lines[line - 2].strip().startswith("#")
        }
    )
    assert not silent, "move to the top, or say why not: " + ", ".join(silent)


def test_every_app_of_the_project_has_its_layer():
    apps = {path.parent.name for path in Path(settings.BASE_DIR).glob("*/apps.py")}
    assert apps <= set(LAYERS), f"put {sorted(apps - set(LAYERS))} in LAYERS, below the apps it imports"


def test_no_app_imports_an_app_above_it():
    found = sorted(upward_imports())
    assert not found, "imports against the layers (import from above, or move the code): " + ", ".join(
        f"{path} -> {module}" for path, module in found
    )
