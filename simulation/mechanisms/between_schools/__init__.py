"""mechanisms.between_schools."""
