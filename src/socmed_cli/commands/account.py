"""`socmed account`: a member's own sign-in: set up with a one-time code, password, second
factor (TOTP); and a Marketing Manager's help (unlock, reset a lost authenticator, emails).

Every change is an audited event on the member's access record, never with the secret; the
secrets live in the credential tables beside the events (docs/security.md).
"""

from __future__ import annotations

import sys

import click

from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.i18n import t
from socmed_cli.output import emit, format_option

password_stdin_option = click.option(
    "--password-stdin", "password_stdin", is_flag=True, default=False,
    help="Read the password from the first line of standard input instead of a hidden "
    "prompt (for scripts; never put a password on the command line).")


def read_password(state: CliState, from_stdin: bool, prompt_key: str,
                  confirm: bool = True) -> str:
    """A password from stdin's next line, or a hidden prompt (twice when `confirm`)."""
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not sys.stdin.isatty():
        raise click.UsageError(t("identity.cli.no_terminal_password", state.lang))
    return str(click.prompt(t(prompt_key, state.lang), hide_input=True,
                            confirmation_prompt=t("identity.cli.prompt_repeat", state.lang)
                            if confirm else False))


@click.group()
def account() -> None:
    """Your sign-in: set up with a code, change the password, the second factor (TOTP).

    \b
    Example:
      socmed account setup budi.dm --code ABCD-EFGH-JKLM-NPQR
    """


@account.command("setup")
@click.argument("member")
@click.option("--code", required=True, help="The one-time set-up code from 'socmed team "
              "invite' (any case; dashes and spaces ignored).")
@password_stdin_option
@pass_state
def setup(state: CliState, member: str, code: str, password_stdin: bool) -> None:
    """Set your password with the one-time code a Marketing Manager gave you.

    \b
    Example:
      socmed account setup budi.dm --code ABCD-EFGH-JKLM-NPQR
      socmed account setup budi.dm --code ABCD-EFGH-JKLM-NPQR --password-stdin < pw.txt
    """
    password = read_password(state, password_stdin, "identity.cli.prompt_new_password")
    state.app.identity.set_up_account(member, code, password)
    state.say("identity.cli.account_set_up", member=member)


@account.command("password")
@password_stdin_option
@as_option
@pass_state
def password(state: CliState, password_stdin: bool, acting_as: str | None) -> None:
    """Change your password (the current one, then the new one); your sessions end.

    With --password-stdin, the first line is the current password and the second the new.

    \b
    Example:
      socmed --as budi.dm account password
    """
    who = state.acting(acting_as)
    current = read_password(state, password_stdin, "identity.cli.prompt_current_password",
                            confirm=False)
    new = read_password(state, password_stdin, "identity.cli.prompt_new_password")
    state.app.identity.change_password(who, current, new)
    state.say("identity.cli.password_changed", member=who.member_id)


@account.group("totp")
def totp() -> None:
    """Your second factor: a TOTP authenticator app (required to approve for some roles).

    \b
    Example:
      socmed --as rina.mm account totp enroll
    """


@totp.command("enroll")
@as_option
@pass_state
def totp_enroll(state: CliState, acting_as: str | None) -> None:
    """Start enrolling an authenticator app: shows its secret once, then confirm a code.

    \b
    Example:
      socmed --as rina.mm account totp enroll
    """
    who = state.acting(acting_as)
    enrolment = state.app.identity.enrol_totp(who)
    state.say("identity.cli.totp_secret", secret=enrolment.secret, uri=enrolment.uri)


@totp.command("confirm")
@click.argument("code")
@as_option
@pass_state
def totp_confirm(state: CliState, code: str, acting_as: str | None) -> None:
    """Confirm the authenticator with the 6-digit code it shows now.

    \b
    Example:
      socmed --as rina.mm account totp confirm 123456
    """
    who = state.acting(acting_as)
    state.app.identity.confirm_totp(who, code)
    state.say("identity.cli.totp_confirmed", member=who.member_id)


@totp.command("reset")
@click.argument("member")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@as_option
@pass_state
def totp_reset(state: CliState, member: str, reason: str, acting_as: str | None) -> None:
    """Remove a member's authenticator (a lost phone; Marketing Manager): they enrol again.

    \b
    Example:
      socmed --as rina.mm account totp reset sari.legal --reason "lost phone"
    """
    state.app.identity.reset_totp(state.acting(acting_as), member, reason)
    state.say("identity.cli.totp_reset", member=member)


@account.command("unlock")
@click.argument("member")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@as_option
@pass_state
def unlock(state: CliState, member: str, reason: str, acting_as: str | None) -> None:
    """End a member's lock-out after failed sign-ins before its time (Marketing Manager).

    \b
    Example:
      socmed --as rina.mm account unlock budi.dm --reason "confirmed by phone"
    """
    state.app.identity.unlock(state.acting(acting_as), member, reason)
    state.say("identity.cli.unlocked", member=member)


@account.command("email")
@click.argument("member")
@click.argument("email")
@as_option
@pass_state
def email(state: CliState, member: str, email: str, acting_as: str | None) -> None:
    """Record a member's work email, which single sign-on matches (the member or a
    Marketing Manager).

    \b
    Example:
      socmed --as rina.mm account email budi.dm budi@example.co.id
    """
    state.app.identity.record_email(state.acting(acting_as), member, email)
    state.say("identity.cli.email_recorded", member=member, email=email.strip().lower())


@account.command("sso-unlink")
@click.argument("member")
@click.option("--issuer", required=True,
              help="The provider's issuer URL, as `account status` lists it under sso.")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@as_option
@pass_state
def sso_unlink(state: CliState, member: str, issuer: str, reason: str,
               acting_as: str | None) -> None:
    """Remove a member's single sign-on identity (the member or a Marketing Manager): it
    signs them in no more, is not linked again by their email, and its sessions end.

    \b
    Example:
      socmed --as rina.mm account sso-unlink budi.dm --issuer https://sso.example.co.id \\
          --reason "left the identity provider"
    """
    state.app.identity.unlink_sso(state.acting(acting_as), member, issuer, reason)
    state.say("identity.cli.sso_unlinked", member=member, issuer=issuer)


@account.command("status")
@click.argument("member", required=False)
@format_option
@as_option
@pass_state
def status(state: CliState, member: str | None, fmt: str, acting_as: str | None) -> None:
    """Where a member's sign-in stands: password, second factor, lock-out, tokens (yours,
    or any member's for a Marketing Manager). Never a secret.

    \b
    Example:
      socmed --as rina.mm account status budi.dm --format json
    """
    from socmed_cli.i18n import code_value

    found = state.app.identity.access_status(state.acting(acting_as), member)
    second = (code_value("state", found.second_factor, state.lang) if fmt == "table"
              else found.second_factor)
    emit([{"member": found.member_id, "password": found.has_password,
           "second_factor": second, "invited_until": found.invitation_expires,
           "locked_until": found.locked_until, "tokens": found.active_tokens,
           "email": found.email, "sso": ", ".join(found.sso_issuers)}],
         [("member", "Member"), ("password", "Password"), ("second_factor", "Second factor"),
          ("invited_until", "Set-up code until"), ("locked_until", "Locked until"),
          ("tokens", "Active tokens"), ("email", "Email"), ("sso", "Single sign-on")],
         fmt, state.zone, lang=state.lang)
