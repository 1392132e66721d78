"""click's own usage errors ("No such option", "Missing argument", "Invalid value", ...) in the
reader's language: the ``click.*`` codes of the one catalogue (data in ``click_messages.toml``).

click composes these lines in English (through gettext, process-wide); socmed renders every
error line itself, so under ``--lang id`` ``socmed_cli.i18n.translate_click`` matches the line
click produced against click's English templates -- the ``en`` text of the ``click.*`` codes
-- and renders it again from the same code in the reader's language. A nested message
(the reason after "Invalid value for '--at':") is translated the same way; a line no template
matches (a domain message already in the reader's language) is kept as it is.
"""

from __future__ import annotations

from socmed_domain.catalogue_files import load

#: click's messages, in click's words (en) and ours (id), from ``click_messages.toml``. The
#: order matters: the first template that matches the whole line wins, so longer, more
#: specific templates come first there.
CLICK_MESSAGES = load(__name__).messages

#: Parameters that hold a nested click message, translated in turn.
NESTED = frozenset({"message", "rest"})
#: click's names of path kinds, and their codes.
KINDS = {"File": "click.kind_file", "Directory": "click.kind_directory",
         "Path": "click.kind_path"}
