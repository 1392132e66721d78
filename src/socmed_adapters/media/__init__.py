"""Media read from their bytes: sniffing and probing (Pillow, PyAV), fetching, and the
content-addressed media folder of a store (docs/platforms.md, 'Media')."""
