"""README's table of the import's columns is the code's (imports/columns.py)."""

from pathlib import Path

from imports.columns import COLUMNS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
SECTION = README.split("## Importing earlier records", 1)[1].split("\n## ", 1)[0]


def test_the_readme_lists_every_column_with_its_thai_headers():
    rows = {line.split("|")[1].strip(): line for line in SECTION.splitlines() if line.startswith("| `")}
    for column in COLUMNS:
        row = next((line for names, line in rows.items() if f"`{column.name}`" in names), None)
        assert row is not None, f"README's import table lacks {column.name}"
        for alias in column.aliases:
            assert alias in row, f"README's row of {column.name} lacks {alias}"


def test_the_readme_says_which_columns_are_required():
    for column in COLUMNS:
        if column.required:
            assert (
                f"| `{column.name}` |" in SECTION
                and "| yes |" in SECTION.split(f"| `{column.name}` |")[1].split("\n")[0]
            )
