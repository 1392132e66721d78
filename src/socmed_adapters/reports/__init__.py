"""Renderers of the SOP's reports (Markdown, HTML, JSON) from the domain's report models."""
