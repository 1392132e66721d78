"""Publishers for the five real platforms, behind the domain's `Publisher` port.

Each module speaks one platform's documented API over httpx (`instagram`, `facebook`,
`linkedin`, `tiktok`, `x`); `base` holds what they share: one deadline per call, retries that
never send a post twice blindly, and the mapping of faults to the port's three outcomes
(published, `PublishError` retryable or not, `OutcomeUnknownError`). `router` dispatches by
platform and builds everything from credentials (`credentials`): start at
`router.publisher_from_config`. Stand-in servers for the five APIs on 127.0.0.1 live
outside the production packages, in `socmed_testing.platforms` (development, demos and tests
only). docs/platforms.md explains each platform's choices.
"""
