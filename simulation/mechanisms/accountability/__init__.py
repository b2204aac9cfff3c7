"""mechanisms.accountability."""
