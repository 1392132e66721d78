"""SMTP settings: the store's smtp.toml (through the converter), the environment winning, and
a bad file as one line naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from socmed_adapters.notifications.senders import SmtpSettings
from socmed_domain.errors import InvalidInputError
from socmed_domain.i18n import render


def test_the_store_file_then_the_environment(tmp_path: Path) -> None:
    (tmp_path / "smtp.toml").write_text(
        'host = "mail.example.co.id"\nport = 587\nsender = "socmed@example.co.id"\n'
        'starttls = true\npassword = "never from a file"\n', encoding="utf-8")
    found = SmtpSettings.from_env({}, tmp_path)
    assert (found.host, found.port, found.sender, found.starttls, found.password) == (
        "mail.example.co.id", 587, "socmed@example.co.id", True, "")
    env = {"SOCMED_SMTP_PORT": "2525", "SOCMED_SMTP_PASSWORD": "s3cret"}
    found = SmtpSettings.from_env(env, tmp_path)
    assert (found.host, found.port, found.password) == ("mail.example.co.id", 2525, "s3cret")
    assert SmtpSettings.from_env({}, tmp_path / "none") == SmtpSettings()


@pytest.mark.parametrize("text", ['port = "many"\n', "host = \n"])
def test_a_bad_file_is_one_line_naming_it(tmp_path: Path, text: str) -> None:
    (tmp_path / "smtp.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as raised:
        SmtpSettings.from_env({}, tmp_path)
    message = render(raised.value.code, "en", **raised.value.params)
    assert "smtp.toml" in message and "\n" not in message
