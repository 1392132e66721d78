"""Where the embedded store lives: --data-dir, else $SOCMED_HOME, else the XDG data dir."""

from __future__ import annotations

import os
from pathlib import Path


def default_data_dir() -> Path:
    """$SOCMED_HOME, else $XDG_DATA_HOME/socmed, else ~/.local/share/socmed."""
    home = os.environ.get("SOCMED_HOME")
    if home:
        return Path(home).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "socmed"


EVENTS_FILE = "events.sqlite"
OUTBOX_DIR = "outbox"
