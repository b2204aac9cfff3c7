"""mechanisms.within_school."""
