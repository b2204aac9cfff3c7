"""docking."""
