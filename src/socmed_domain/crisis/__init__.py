"""SOP stage package: crisis."""
