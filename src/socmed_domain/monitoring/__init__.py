"""SOP stage package: monitoring."""
