"""Notifications (issue 17): who is told what, through which channel, and when.

Pure domain: the members' contact channels and preferences (`contacts.MemberContacts`, one
audited aggregate per member), the notification kinds and the rules as data
(`rules.NotificationRule`, SOP defaults in `default_rules.toml`), the decision
(`decide.decide` for an event, `decide.scan` for the clocks) and the record of every
notification sent (`contacts.NotificationRecord`). Sending is an adapter's job
(`socmed_adapters.notifications`).
"""
