"""The CLI's login: which server, as which member, with which API token.

One JSON file, `login.json`, in the user's configuration folder ($SOCMED_CONFIG_DIR, else
$XDG_CONFIG_HOME/socmed, else ~/.config/socmed), written atomically with mode 0600 in a 0700
folder. The token is a bearer secret: a file that group or others can read is refused rather
than used (as ssh does with a private key), so a secret that may have leaked is never sent.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime
from pathlib import Path

from attrs import frozen

from socmed_adapters.atomic_write import write_text_atomically
from socmed_domain.errors import SocmedError
from socmed_domain.transcoding import converter

LOGIN_FILE = "login.json"


class LoginFileError(SocmedError):
    """The login file exists but cannot be trusted or read."""

    code = "error.login_file_unsafe"


@frozen
class Login:
    """A member's login to one server: the API token the server issued at `socmed login`."""

    server: str
    member_id: str
    token_id: str
    secret: str
    expires_at: datetime


def config_dir() -> Path:
    """$SOCMED_CONFIG_DIR, else $XDG_CONFIG_HOME/socmed, else ~/.config/socmed."""
    named = os.environ.get("SOCMED_CONFIG_DIR")
    if named:
        return Path(named).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".config") / "socmed"


def login_path() -> Path:
    return config_dir() / LOGIN_FILE


def normalise_server(url: str) -> str:
    """The server's base URL as stored and compared: no trailing slash, no /api/v1."""
    text = url.strip().rstrip("/")
    return text.removesuffix("/api/v1").rstrip("/")


def save_login(login: Login) -> Path:
    """Write the login with mode 0600 (never readable by others, not even for a moment)."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / LOGIN_FILE
    text = json.dumps(converter.unstructure(login), default=str, indent=2) + "\n"
    write_text_atomically(path, text, prefix=".login.", mode=0o600)
    return path


def load_login(check_mode: bool = True) -> Login | None:
    """The stored login, None when there is none; refused when others may read the file
    (`check_mode=False` only to revoke such a token: `socmed logout`)."""
    path = login_path()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    if check_mode and os.name == "posix" and stat.S_IMODE(mode) & 0o077:
        raise LoginFileError(path=str(path), mode=f"{stat.S_IMODE(mode):04o}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return converter.structure(data, Login)
    except Exception as error:  # malformed JSON or fields (cattrs groups its errors)
        raise LoginFileError("error.login_file_corrupt", path=str(path),
                             detail=type(error).__name__) from None


def delete_login() -> bool:
    """Remove the login file; False when there was none."""
    try:
        login_path().unlink()
    except FileNotFoundError:
        return False
    return True
