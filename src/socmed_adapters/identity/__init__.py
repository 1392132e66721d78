"""Identity's adapters: the credential tables (SQLAlchemy, beside the events), argon2id
password hashing, TOTP (pyotp) and randomness from the `secrets` module."""
