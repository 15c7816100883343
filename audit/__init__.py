"""History wiring, the append-only audit log and case replay for auditors."""
