"""Adapters of identity: credential storage, password hashing, TOTP, single sign-on."""
