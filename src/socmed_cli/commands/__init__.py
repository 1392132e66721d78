"""One module per command group, named after what it does in the SOP."""
