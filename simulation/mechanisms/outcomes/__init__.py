"""mechanisms.outcomes."""
