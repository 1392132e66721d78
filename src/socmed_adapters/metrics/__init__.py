"""Metrics sources (SOP stage 5): CSV import; platform insights clients."""
