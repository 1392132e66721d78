"""`socmed platforms`: the platform rules in force (SOP stage 3's final check)."""

from __future__ import annotations

import click

from socmed_cli.context import CliState, pass_state
from socmed_cli.output import emit, format_option


@click.group()
def platforms() -> None:
    """The platforms' publishing rules, as data that configuration can override.

    \b
    Example:
      socmed platforms rules --format json
    """


@platforms.command("rules")
@format_option
@pass_state
def rules(state: CliState, fmt: str) -> None:
    """The rules the final check applies, per platform, with their source; overrides come
    from $SOCMED_PLATFORM_RULES or platform_rules.toml in the data folder.

    \b
    Example:
      socmed platforms rules --format csv
    """
    from socmed_domain.platform_rules import RULES_VERSION

    rows = []
    for rule in state.app.content.rules.values():
        rows.append({
            "platform": rule.platform.value, "version": RULES_VERSION,
            "caption_max": rule.caption_max, "counting": rule.counting,
            "hashtag_max": rule.hashtag_max, "mention_max": rule.mention_max,
            "link_max": rule.link_max, "media_kinds": "/".join(rule.media_kinds),
            "media_max": rule.media_max, "requires_media": rule.requires_media,
            "video_seconds": f"{rule.video_min_seconds or 0}-{rule.video_max_seconds or ''}",
            "image_aspect": _aspect(rule.image_aspect), "video_aspect": _aspect(rule.video_aspect),
            "image_max_mb": _mb(rule.image_max_bytes), "video_max_mb": _mb(rule.video_max_bytes),
            "daily_quota": rule.daily_quota, "source": rule.source})
    columns = [("platform", "Platform"), ("caption_max", "Caption max"),
               ("counting", "Counting"), ("hashtag_max", "Hashtags"),
               ("mention_max", "Mentions"), ("link_max", "Links"),
               ("media_max", "Media max"), ("video_seconds", "Video (s)"),
               ("image_aspect", "Image aspect"), ("video_aspect", "Video aspect"),
               ("image_max_mb", "Image MB"), ("video_max_mb", "Video MB"),
               ("daily_quota", "Daily quota")]
    if fmt != "table":
        columns += [("version", "Version"), ("media_kinds", "Media kinds"),
                    ("requires_media", "Requires media"), ("source", "Source")]
    from socmed_cli.i18n import t

    emit(rows, columns, fmt, state.zone, lang=state.lang,
         title=t("platform_rules_title", state.lang, version=RULES_VERSION)
         if fmt == "table" else None)


def _aspect(bounds: tuple[float, float] | None) -> str:
    return f"{bounds[0]:.2f}-{bounds[1]:.2f}" if bounds else ""


def _mb(size: int | None) -> str:
    return f"{size / (1024 * 1024):g}" if size else ""
