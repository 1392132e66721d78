"""The configuration's messages (English and Bahasa Indonesia), registered in socmed_domain.i18n.

The texts are data: ``messages.toml`` beside this module, read by
``socmed_domain.catalogue_files.load`` (made by scripts/messages_to_data.py).
"""

from socmed_domain.catalogue_files import load

MESSAGES = load(__name__).messages
TERMS_ID = load(__name__).terms_id
