"""Audit integrity for Legal: a hash chain sealed with every write, verification, export."""
