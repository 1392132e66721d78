"""Stand-ins for development, demos and tests: never used by production code.

`platforms` serves local imitations of the five platform APIs on 127.0.0.1 (so the real
adapters run end to end over real HTTP without the internet); `samples` makes small real
images and videos on the spot. They ship with the package because `socmed demo --platforms
local` uses them; `socmed_domain` and `socmed_adapters` never import them (import-linter
contract in pyproject.toml).
"""
