"""Messages (English and Bahasa Indonesia) of notifications: what each kind says, the audit
log's lines and the errors; merged into socmed_domain.i18n.

The texts are data: ``messages.toml`` beside this module, read by
``socmed_domain.catalogue_files.load``.
"""

from socmed_domain.catalogue_files import load

MESSAGES = load(__name__).messages
TERMS_ID = load(__name__).terms_id
