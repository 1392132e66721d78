"""The demo month: `socmed demo` and the generators of realistic histories.

Not production code: a scripted SOP-0042 month for PT Bank Digital Nusantara run through the
real application (`month.build_demo`, with one part per stage in `strategy`, `interactions`,
`incident` and `metrics`, sharing `common`), and `synthetic`, a deterministic generator of
large histories for benchmarks and volume tests. It may import the adapters and
`socmed_testing` (the local platform servers, the sample media); the production packages
(`socmed_domain`, `socmed_adapters`) never import it, and the CLI imports it only inside the
`demo` command (import-linter contracts in pyproject.toml). This module imports nothing, so
importing one part never loads the month.
"""
