"""Single sign-on (OpenID Connect) against a real provider on 127.0.0.1."""
