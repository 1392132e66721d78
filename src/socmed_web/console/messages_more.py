"""The texts of the console's calendar, inbox, incident room, reports and audit, and team
pages (English and Bahasa Indonesia), in the catalogue's one shape; `base.catalogue()`
extends the catalogue with them after `socmed_web.console.messages`.

The texts are data: ``messages_more.toml`` beside this module, read by
``socmed_domain.catalogue_files.load`` (made by scripts/messages_to_data.py).
"""

from socmed_domain.catalogue_files import load

MESSAGES = load(__name__).messages
TERMS_ID = load(__name__).terms_id
