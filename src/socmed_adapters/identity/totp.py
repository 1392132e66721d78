"""RFC 6238 TOTP with pyotp, the `TotpVerifier` port: 6 digits, 30-second steps, SHA-1 (what
every authenticator app reads from the provisioning URI), one step of drift either side."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

INTERVAL = 30
DRIFT_STEPS = 1


class PyOtpVerifier:
    def new_secret(self) -> str:
        return pyotp.random_base32()  # 160 bits, from the `secrets` module

    def provisioning_uri(self, secret: str, account: str, issuer: str) -> str:
        return pyotp.TOTP(secret, interval=INTERVAL).provisioning_uri(
            name=account, issuer_name=issuer)

    def matching_step(self, secret: str, code: str, at: datetime) -> int | None:
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            return None
        totp = pyotp.TOTP(secret, interval=INTERVAL)
        step = totp.timecode(at)
        found = None
        for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
            # compare every candidate (no early exit), in constant time each
            if hmac.compare_digest(totp.generate_otp(step + offset), code):
                found = step + offset
        return found
