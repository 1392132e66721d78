"""The platforms SOP-0042 names: Instagram, Facebook, LinkedIn, TikTok and X (Twitter)."""

from __future__ import annotations

import enum

from socmed_domain.errors import InvalidInputError


class Platform(enum.Enum):
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    LINKEDIN = "linkedin"
    TIKTOK = "tiktok"
    X = "x"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Platform.INSTAGRAM: "Instagram",
    Platform.FACEBOOK: "Facebook",
    Platform.LINKEDIN: "LinkedIn",
    Platform.TIKTOK: "TikTok",
    Platform.X: "X",
}

_ALIASES = {"twitter": Platform.X, "ig": Platform.INSTAGRAM, "fb": Platform.FACEBOOK}


def platform_named(name: str) -> Platform:
    """Parse a platform name ('instagram', 'X', 'twitter'), refusing unknown ones clearly."""
    key = name.strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    for platform in Platform:
        if platform.value == key:
            return platform
    raise InvalidInputError(
        "error.unknown_platform",
        value=name,
        choices=", ".join(p.value for p in Platform),
    )
