"""Comments, direct messages and mentions read from the five platforms' APIs, and replies
sent back through them (SOP stage 4): the API half of the `InteractionSource` and the
`ReplySender` ports, next to webhooks and files (`socmed_adapters.monitoring`)."""
