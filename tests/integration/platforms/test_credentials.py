"""Credentials come from the environment or a TOML file, and missing ones are named in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from socmed_adapters.platforms.credentials import (
    CredentialsError,
    PlatformCredentials,
    load_credentials,
)
from socmed_domain.errors import SocmedError
from socmed_domain.platforms import Platform

CONFIG = """
[instagram]
token = "ig-from-file"
account_id = "17841400000000001"

[linkedin]
token = "li-from-file"
author_urn = "urn:li:organization:5515715"
version = "202604"

[tiktok]
token = "tt-from-file"
post_mode = "inbox"
privacy_level = "SELF_ONLY"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "platforms.toml"
    path.write_text(text, encoding="utf-8")
    return path


def failure(environ: dict[str, str], **kwargs: object) -> str:
    with pytest.raises(CredentialsError) as error:
        load_credentials(environ, **kwargs)
    message = str(error.value.message())
    assert "\n" not in message  # one line, as the CLI prints it
    assert isinstance(error.value, SocmedError)
    return message


def test_environment_variables_configure_each_platform() -> None:
    found = load_credentials({
        "SOCMED_INSTAGRAM_TOKEN": "ig", "SOCMED_INSTAGRAM_ACCOUNT_ID": "1784",
        "SOCMED_FACEBOOK_TOKEN": "fb", "SOCMED_FACEBOOK_PAGE_ID": "104",
        "SOCMED_X_TOKEN": "x", "SOCMED_X_BASE_URL": "http://127.0.0.1:9",
        "SOCMED_TIKTOK_TOKEN": "tt", "SOCMED_TIKTOK_POST_MODE": "direct",
    })

    assert set(found) == {Platform.INSTAGRAM, Platform.FACEBOOK, Platform.X, Platform.TIKTOK}
    assert found[Platform.INSTAGRAM] == PlatformCredentials(
        Platform.INSTAGRAM, token="ig", account_id="1784",
        token_source="SOCMED_INSTAGRAM_TOKEN")
    assert found[Platform.FACEBOOK].account_id == "104"
    assert found[Platform.X].account_id == ""  # optional: looked up through /2/users/me
    assert found[Platform.X].base_url == "http://127.0.0.1:9"
    assert found[Platform.TIKTOK].option("post_mode") == "direct"


def test_a_toml_file_configures_platforms_and_the_environment_overrides_it(
        tmp_path: Path) -> None:
    path = write(tmp_path, CONFIG)

    found = load_credentials({"SOCMED_PLATFORMS_CONFIG": str(path),
                              "SOCMED_INSTAGRAM_TOKEN": "ig-from-env"})

    assert set(found) == {Platform.INSTAGRAM, Platform.LINKEDIN, Platform.TIKTOK}
    assert found[Platform.INSTAGRAM].token == "ig-from-env"
    assert found[Platform.INSTAGRAM].token_source == "SOCMED_INSTAGRAM_TOKEN"
    assert found[Platform.LINKEDIN].token == "li-from-file"
    assert found[Platform.LINKEDIN].token_source == f"[linkedin] token in {path}"
    assert found[Platform.LINKEDIN].option("version") == "202604"
    assert found[Platform.TIKTOK].options == {"post_mode": "inbox",
                                               "privacy_level": "SELF_ONLY"}
    assert load_credentials({}, config_path=path).keys() == found.keys()


def test_tokens_never_show_in_repr() -> None:
    found = load_credentials({"SOCMED_X_TOKEN": "secret-token-value"})

    assert "secret-token-value" not in repr(found)


def test_tiktok_business_api_options_load_and_stay_out_of_repr() -> None:
    found = load_credentials({"SOCMED_TIKTOK_TOKEN": "posting-token",
                              "SOCMED_TIKTOK_BUSINESS_ID": "biz-7001",
                              "SOCMED_TIKTOK_BUSINESS_TOKEN": "business-secret"})
    tiktok = found[Platform.TIKTOK]
    assert tiktok.option("business_id") == "biz-7001"
    assert tiktok.option("business_token") == "business-secret"
    shown = repr(found)
    assert "business-secret" not in shown and "posting-token" not in shown
    assert "biz-7001" in shown  # ids are not secrets


def test_tiktok_business_api_options_load_from_a_toml_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[tiktok]\ntoken = "tt-from-file"\nbusiness_id = "biz-file"\n'
                           'business_token = "business-file-secret"\n')
    tiktok = load_credentials({"SOCMED_TIKTOK_BUSINESS_ID": "biz-env"},
                              config_path=path)[Platform.TIKTOK]
    assert tiktok.option("business_id") == "biz-env"  # the environment overrides the file
    assert tiktok.option("business_token") == "business-file-secret"
    assert "business-file-secret" not in repr(tiktok)


def test_a_missing_account_id_names_its_variable() -> None:
    message = failure({"SOCMED_INSTAGRAM_TOKEN": "ig"})

    assert message == ("SOCMED_INSTAGRAM_ACCOUNT_ID is not set: Instagram needs the Instagram "
                       "professional account id along with SOCMED_INSTAGRAM_TOKEN")


def test_a_required_platform_without_a_token_names_its_variable() -> None:
    message = failure({}, required=[Platform.X])

    assert message.startswith("SOCMED_X_TOKEN is not set: X needs an access token")


def test_unconfigured_platforms_are_left_out() -> None:
    assert load_credentials({"SOCMED_FACEBOOK_PAGE_ID": "104"}) == {}
    assert load_credentials({"SOCMED_X_TOKEN": "  "}) == {}


def test_malformed_values_are_refused() -> None:
    assert "must be a URN" in failure({"SOCMED_LINKEDIN_TOKEN": "li",
                                       "SOCMED_LINKEDIN_AUTHOR_URN": "5515715"})
    assert "must be one of direct, inbox" in failure({"SOCMED_TIKTOK_TOKEN": "tt",
                                                      "SOCMED_TIKTOK_POST_MODE": "draft"})
    assert "must be an http(s) URL" in failure({"SOCMED_X_TOKEN": "x",
                                                "SOCMED_X_BASE_URL": "api.x.com"})


def test_a_bad_config_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "absent.toml"
    assert failure({"SOCMED_PLATFORMS_CONFIG": str(missing)}) == (
        f"the platforms config file {missing} does not exist (check SOCMED_PLATFORMS_CONFIG)")
    broken = write(tmp_path, "[x\ntoken = 1")
    assert failure({}, config_path=broken).startswith(f"{broken} is not valid TOML")


def test_unknown_sections_and_keys_are_refused(tmp_path: Path) -> None:
    assert "unknown section [twitter]" in failure(
        {}, config_path=write(tmp_path, '[twitter]\ntoken = "x"\n'))
    assert "unknown key 'acount_id' in [instagram]" in failure(
        {}, config_path=write(tmp_path, '[instagram]\ntoken = "x"\nacount_id = "1"\n'))
