"""The industry packs shipped with socmed (banking, food, telecom): company configurations as
TOML package data, read by socmed_adapters.configuration_file (the domain reads no files)."""
