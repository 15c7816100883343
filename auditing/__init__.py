"""The auditors' pages: the audit log browser, a case's replay, and the CSV and PDF records.

They read the log (``audit``) with the cases, their rules and their workflow, so
they sit above workflows; the log itself stays low, where every service writes it.
"""
