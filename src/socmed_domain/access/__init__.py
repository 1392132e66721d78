"""What an authenticated principal may see and when its write is stale: the object-level rules
the entry points (the HTTP API, the CLI) ask instead of deciding themselves.

The role matrix (`socmed_domain.roles`) says what a role may *do*; this package adds what a
member may *see*: an agency member only its campaigns' content and campaigns, audience personal
data only for the roles whose work needs it, and the optimistic-concurrency check a client asks
for with the version it last read (HTTP `If-Match`).
"""
