"""SOP stage package: evaluation."""
