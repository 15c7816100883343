"""The append-only audit log: its typed writers, the hash chain, signed checkpoints and verify.

Low in the layers (it imports only core): every service writes it. The auditors' pages,
which read it together with the cases, are the ``auditing`` app.
"""
