"""viewflow processes bound to the case state machine, task inboxes and SLA timers."""
