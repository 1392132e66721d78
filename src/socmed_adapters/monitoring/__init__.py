"""Stage 4 adapters: the personal-data vault, interaction sources (files, webhooks, platform
APIs), the sandbox reply channel, and their wiring into the application."""
