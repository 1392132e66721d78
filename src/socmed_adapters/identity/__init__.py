"""Identity's adapters: the credential tables (SQLAlchemy, beside the events), argon2id
password hashing, TOTP (pyotp), randomness from the `secrets` module, and the OpenID Connect
relying party of single sign-on (`oidc`)."""
