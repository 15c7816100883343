"""The ID-card helper for the officer's PC: reads the Thai national ID card in a local reader
for the intake page (issue 11 §7). A standalone program, not a Django app: see README.md here."""
