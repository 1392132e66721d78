"""Notifications: the notifier that follows the event log into an outbox, and the senders
that drain it (email over SMTP, chat through apprise). See `notifier` and `senders`."""
