"""Platform credentials, from environment variables or a TOML file, never from events.

Access tokens are secrets. They come from the environment (`SOCMED_INSTAGRAM_TOKEN`, ...) or
from a TOML file named by `SOCMED_PLATFORMS_CONFIG` (keep it outside the data dir, mode 600),
are handed to the adapters at start-up and never enter an event, a projection, an error
message or a repr. A value in the environment overrides the same value in the file, so a
deployment can keep the file for account ids and inject tokens from its secret store.

A platform is configured when its token is present; a configured platform missing its account
id, or a file with an unknown section or key, is refused with one line naming what to set.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from attrs import field, frozen

from socmed_domain.errors import SocmedError
from socmed_domain.platforms import Platform

CONFIG_VARIABLE = "SOCMED_PLATFORMS_CONFIG"


class CredentialsError(SocmedError):
    """A platform credential is missing or malformed; the message names what to set."""

    code = "error.generic"

    def __init__(self, detail: str) -> None:
        super().__init__(detail=detail)


@frozen
class CredentialSpec:
    """Which settings one platform takes: the account key (if any) and optional settings."""

    platform: Platform
    account_key: str | None  # e.g. "account_id" -> SOCMED_INSTAGRAM_ACCOUNT_ID
    account_required: bool
    account_meaning: str
    options: tuple[str, ...] = ()

    @property
    def section(self) -> str:
        return self.platform.value

    def variable(self, key: str) -> str:
        return f"SOCMED_{self.platform.name}_{key.upper()}"

    @property
    def keys(self) -> tuple[str, ...]:
        account = (self.account_key,) if self.account_key else ()
        return ("token", *account, "base_url", *self.options)


SPECS: dict[Platform, CredentialSpec] = {
    Platform.INSTAGRAM: CredentialSpec(
        Platform.INSTAGRAM, "account_id", True, "the Instagram professional account id"),
    Platform.FACEBOOK: CredentialSpec(
        Platform.FACEBOOK, "page_id", True, "the id of the Facebook Page to post on"),
    Platform.LINKEDIN: CredentialSpec(
        Platform.LINKEDIN, "author_urn", True,
        "the author URN (urn:li:organization:<id> or urn:li:person:<id>)", ("version",)),
    Platform.TIKTOK: CredentialSpec(
        Platform.TIKTOK, None, False, "",
        # business_*: the API for Business (the inbox's comments), a separate app and token
        ("post_mode", "privacy_level", "business_id", "business_token")),
    Platform.X: CredentialSpec(
        Platform.X, "user_id", False, "the numeric id of the X account (looked up if unset)"),
}

TIKTOK_POST_MODES = ("direct", "inbox")


@frozen
class PlatformCredentials:
    """What one adapter needs to act for one account; the token is kept out of repr."""

    platform: Platform
    token: str = field(repr=False)
    account_id: str = ""
    options: Mapping[str, str] = field(factory=dict, repr=lambda options: repr(
        {name: "***" if "token" in name else value for name, value in options.items()}))
    base_url: str | None = None
    token_source: str = ""  # where the token came from, named in 'refresh it' messages

    def option(self, name: str, default: str = "") -> str:
        return self.options.get(name, default) or default


def load_credentials(
    environ: Mapping[str, str] | None = None,
    config_path: Path | str | None = None,
    *,
    required: Iterable[Platform] = (),
) -> dict[Platform, PlatformCredentials]:
    """The credentials of every configured platform; `required` ones must be configured."""
    env = os.environ if environ is None else environ
    path = config_path or env.get(CONFIG_VARIABLE) or None
    sections = _read_config(Path(path)) if path else {}
    needed = set(required)
    found: dict[Platform, PlatformCredentials] = {}
    for platform, spec in SPECS.items():
        values = _merged(spec, sections.get(spec.section, {}), env)
        where = f"'token' under [{spec.section}] in {path}" if path else CONFIG_VARIABLE
        if not values.get("token"):
            if platform in needed:
                raise CredentialsError(
                    f"{spec.variable('token')} is not set: {platform.label} needs an access "
                    f"token (or set {where})")
            continue
        found[platform] = _credentials(spec, values, env, path)
    return found


def configured_credentials(credentials: Mapping[Platform, PlatformCredentials] | None,
                           environ: Mapping[str, str] | None,
                           config_path: Path | str | None,
                           consequence: str = "") -> Mapping[Platform, PlatformCredentials]:
    """`credentials`, else those of the environment or config file; CredentialsError when
    no platform is configured at all (`consequence` says what cannot happen then), so
    nothing silently publishes, fetches or replies nowhere."""
    found = load_credentials(environ, config_path) if credentials is None else credentials
    if not found:
        what = f", so {consequence}" if consequence else ""
        raise CredentialsError(
            f"no platform credentials are configured{what}: set SOCMED_<PLATFORM>_TOKEN (for "
            f"example SOCMED_INSTAGRAM_TOKEN) or point {CONFIG_VARIABLE} at a TOML file; see "
            "docs/platforms.md")
    return found


def _read_config(path: Path) -> dict[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CredentialsError(f"the platforms config file {path} does not exist "
                               f"(check {CONFIG_VARIABLE})") from None
    except OSError as error:
        raise CredentialsError(f"cannot read the platforms config file {path}: "
                               f"{error.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CredentialsError(f"{path} is not valid TOML: {error}") from None
    sections = {spec.section: spec for spec in SPECS.values()}
    for name, body in data.items():
        spec = sections.get(name)
        if spec is None or not isinstance(body, dict):
            raise CredentialsError(
                f"{path}: unknown section [{name}]; expected one of "
                f"{', '.join(f'[{s}]' for s in sections)}")
        unknown = sorted(set(body) - set(spec.keys))
        if unknown:
            raise CredentialsError(
                f"{path}: unknown key {unknown[0]!r} in [{name}]; expected one of "
                f"{', '.join(spec.keys)}")
    return data


def _merged(spec: CredentialSpec, section: Mapping[str, Any],
            env: Mapping[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key in spec.keys:
        value = env.get(spec.variable(key)) or section.get(key)
        if value is not None and str(value).strip():
            values[key] = str(value).strip()
    return values


def _credentials(spec: CredentialSpec, values: dict[str, str], env: Mapping[str, str],
                 path: Path | str | None) -> PlatformCredentials:
    token_variable = spec.variable("token")
    source = token_variable if env.get(token_variable) else f"[{spec.section}] token in {path}"
    account = ""
    if spec.account_key:
        account = values.get(spec.account_key, "")
        if not account and spec.account_required:
            raise CredentialsError(
                f"{spec.variable(spec.account_key)} is not set: {spec.platform.label} needs "
                f"{spec.account_meaning} along with {token_variable}")
    _check_values(spec, values, account)
    options = {key: values[key] for key in spec.options if key in values}
    return PlatformCredentials(platform=spec.platform, token=values["token"],
                               account_id=account, options=options,
                               base_url=values.get("base_url"), token_source=source)


def _check_values(spec: CredentialSpec, values: Mapping[str, str], account: str) -> None:
    if spec.platform is Platform.LINKEDIN and not account.startswith("urn:li:"):
        raise CredentialsError(
            f"{spec.variable('author_urn')} must be a URN such as urn:li:organization:123 "
            f"(got {account!r})")
    mode = values.get("post_mode")
    if spec.platform is Platform.TIKTOK and mode and mode not in TIKTOK_POST_MODES:
        raise CredentialsError(
            f"{spec.variable('post_mode')} must be one of {', '.join(TIKTOK_POST_MODES)} "
            f"(got {mode!r})")
    base_url = values.get("base_url", "")
    if base_url and not base_url.startswith(("https://", "http://")):
        raise CredentialsError(
            f"{spec.variable('base_url')} must be an http(s) URL (got {base_url!r})")
