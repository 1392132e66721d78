"""The everyday shortcuts' messages (English and Bahasa Indonesia), registered in
socmed_domain.i18n.

The texts are data: ``messages.toml`` beside this module, read by
``socmed_domain.catalogue_files.load``.
"""

from socmed_domain.catalogue_files import load

MESSAGES = load(__name__).messages
TERMS_ID = load(__name__).terms_id
