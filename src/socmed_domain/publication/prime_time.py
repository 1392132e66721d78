"""Default posting hours per platform, used before the store has engagement data of its own.

Local hours in the audience's zone (WIB by default), best first. They follow the published
industry studies of Indonesian audiences (evening for Instagram and TikTok, office hours for
LinkedIn, lunch and evening for Facebook and X); `socmed schedule suggest` replaces them with
the engagement recorded per hour of the week once there is any.
"""

from __future__ import annotations

from socmed_domain.platforms import Platform

DEFAULT_PRIME_HOURS: dict[Platform, tuple[int, ...]] = {
    Platform.INSTAGRAM: (19, 12, 21),
    Platform.FACEBOOK: (12, 19, 9),
    Platform.LINKEDIN: (8, 12, 17),
    Platform.TIKTOK: (20, 18, 12),
    Platform.X: (12, 8, 19),
}
