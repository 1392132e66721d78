"""A click group that imports a subcommand's module only when it runs: `socmed --help` and
every single command start fast because nothing else is imported."""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    def __init__(self, *args, lazy: dict[str, tuple[str, str]] | None = None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module_name, attribute = self.lazy[cmd_name]
            return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help comes from a static table so --help does not import every command.
        rows = [(name, HELP.get(name, "")) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


#: Each command's short help, as the first sentence of its docstring says it (the docstring is
#: the source; tests/cli/test_help.py fails when the two differ or a command is missing here).
HELP = {
    "init": "Create the store and its first Marketing Manager (who then adds the team).",
    "team": "Members and their SOP roles.",
    "account": "Your sign-in: set up with a code, change the password, the second factor "
               "(TOTP).",
    "token": "API tokens for other services: created for yourself, scoped, expiring, "
             "revocable.",
    "strategy": "Draft, approve and revise the social media strategy (SOP stage 1).",
    "config": "The company's configuration: templates, checklist, watchlist, SLA, lexicon, "
              "rules.",
    "campaign": "Plan, approve and run campaigns; assign agencies to them (SOP stage 1).",
    "calendar": "The monthly content calendar: posts per day and platform, holidays, gaps, "
                "clashes.",
    "content": "Draft, review, approve, schedule and inspect content (SOP stages 2-3).",
    "publish": "Publish what is due; settle unknown outcomes (SOP stage 3).",
    "incident": "Open, classify, escalate and close incidents; freeze publishing (SOP stage "
                "6).",
    "inbox": "Ingest, triage, answer and close audience conversations (SOP stage 4).",
    "privacy": "Personal data of the audience (UU PDP, Law 27/2022).",
    "metrics": "Post and account insights (reach, engagement, followers ...) recorded as "
               "snapshots.",
    "report": "The SOP's reports: daily interactions and the monthly performance (stages 4-5).",
    "dashboard": "The month so far on one screen: totals, cadence and KPIs (SOP stage 5).",
    "platforms": "The platforms' publishing rules, as data that configuration can override.",
    "schedule": "Suggest when to post: the audience's prime time (SOP stage 3).",
    "audit": "Audit queries over the immutable event log (Legal, Marketing Manager).",
    "demo": "Run a realistic SOP-0042 month for PT Bank Digital Nusantara into the store.",
    "projections": "Status, catch-up and rebuild of the SQL read models.",
    "doctor": "Check the store for times and numbers outside the documented bounds (read-only).",
    "serve": "Serve the API (/api/v1, OpenAPI at /api/schema) until SIGTERM or Ctrl-C.",
    "login": "Log in to a socmed server: every later command goes through it as you.",
    "logout": "Revoke the stored token on its server and delete it.",
    "whoami": "Who the commands act as: member, role, how the server knows you (via) and the "
              "server.",
    "worker": "Process recorded webhook deliveries into the inbox.",
    "notify": "Tell members what awaits them: channels, preferences and the notifier.",
}
