"""The access matrix's counts, printed at the end of every run that includes it."""

MATRIX = "tests/permissions/test_access_matrix.py::"


def pytest_terminal_summary(terminalreporter):
    reports = [
        report
        for outcome in ("passed", "failed", "error")
        for report in terminalreporter.stats.get(outcome, [])
        if getattr(report, "nodeid", "").startswith(MATRIX) and report.when == "call"
    ]
    if not reports:
        return
    by_test: dict[str, list] = {}
    for report in reports:
        by_test.setdefault(report.nodeid[len(MATRIX) :].split("[")[0], []).append(report)
    parts = [f"{name}: {len(runs)} ({sum(r.failed for r in runs)} failed)" for name, runs in sorted(by_test.items())]
    leaks = sum(r.failed for r in reports)
    terminalreporter.write_line(f"access matrix: {len(reports)} cases, {leaks} failed (leaks); " + "; ".join(parts))
