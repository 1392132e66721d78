"""The reports' words in the one catalogue's shape: the monthly report (``report.*``) and the
incident report (``incident_report.*``), English and Bahasa Indonesia.

The texts are data: ``messages.toml`` beside this module, read by
``socmed_domain.catalogue_files.load``; ``socmed_adapters.i18n.catalogue()`` registers them on
top of the domain's catalogue, so a code defined twice is refused and every front end renders
them with the same ``render``.
"""

from socmed_domain.catalogue_files import load

MESSAGES = load(__name__).messages
