"""Collaboration scope (pattern 9): local, regional, national and online collaboration against regional inequity."""
