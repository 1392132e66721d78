"""SOP stage 2, content production: drafts, revisions, the quality checklist, approval."""
