"""socmed_cli: the `socmed` command. Parse, call one application method, render."""
