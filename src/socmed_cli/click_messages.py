"""click's own usage errors ("No such option", "Missing argument", "Invalid value", ...) in the
reader's language: the data of the ``click.*`` codes of the one catalogue.

click composes these lines in English (through gettext, process-wide); socmed renders every
error line itself, so under ``--lang id`` ``socmed_cli.i18n.translate_click`` matches the line
click produced against click's English templates -- the ``en`` text of the ``click.*`` codes
below -- and renders it again from the same code in the reader's language. A nested message
(the reason after "Invalid value for '--at':") is translated the same way; a line no template
matches (a domain message already in the reader's language) is kept as it is.
"""

from __future__ import annotations

#: click's messages, in click's words (en) and ours (id). The order matters: the first template
#: that matches the whole line wins, so longer, more specific templates come first.
CLICK_MESSAGES: dict[str, dict[str, str]] = {
    "click.invalid_value_for": {"en": "Invalid value for {param}: {message}",
                                "id": "Nilai tidak valid untuk {param}: {message}"},
    "click.invalid_value": {"en": "Invalid value: {message}",
                            "id": "Nilai tidak valid: {message}"},
    "click.no_such_option_one": {"en": "No such option {name}. Did you mean {possibility}?",
                                 "id": "Opsi {name} tidak ada. Maksud Anda {possibility}?"},
    "click.no_such_option_many": {
        "en": "No such option {name}. (Did you mean one of: {possibilities}?)",
        "id": "Opsi {name} tidak ada. (Maksud Anda salah satu dari: {possibilities}?)"},
    "click.no_such_option": {"en": "No such option {name}.", "id": "Opsi {name} tidak ada."},
    "click.no_such_command": {"en": "No such command {name}.",
                              "id": "Perintah {name} tidak ada."},
    "click.missing_argument": {"en": "Missing argument {name}.{rest}",
                               "id": "Argumen {name} belum diberikan.{rest}"},
    "click.missing_option": {"en": "Missing option {name}.{rest}",
                             "id": "Opsi {name} belum diberikan.{rest}"},
    "click.missing_parameter": {"en": "Missing parameter {name}.{rest}",
                                "id": "Parameter {name} belum diberikan.{rest}"},
    "click.missing_command": {"en": "Missing command.", "id": "Perintah belum diberikan."},
    "click.requires_argument": {"en": "Option {name} requires an argument.",
                                "id": "Opsi {name} memerlukan sebuah nilai."},
    "click.requires_arguments": {"en": "Option {name} requires {nargs} arguments.",
                                 "id": "Opsi {name} memerlukan {nargs} nilai."},
    "click.takes_no_value": {"en": "Option {name} does not take a value.",
                             "id": "Opsi {name} tidak menerima nilai."},
    "click.extra_argument": {"en": "Got unexpected extra argument ({args})",
                             "id": "Ada argumen tambahan yang tidak diharapkan ({args})"},
    "click.extra_arguments": {"en": "Got unexpected extra arguments ({args})",
                              "id": "Ada argumen-argumen tambahan yang tidak diharapkan "
                                    "({args})"},
    "click.not_valid": {"en": "{value} is not a valid {type}.",
                        "id": "{value} bukan {type} yang valid."},
    "click.type_integer": {"en": "integer", "id": "bilangan bulat"},
    "click.type_float": {"en": "float", "id": "angka"},
    "click.not_in_range": {"en": "{value} is not in the range {range}.",
                           "id": "{value} di luar rentang {range}."},
    "click.not_boolean": {"en": "{value} is not a valid boolean. Recognized values: {states}",
                          "id": "{value} bukan nilai boolean yang valid. Nilai yang dikenal: "
                                "{states}"},
    "click.not_uuid": {"en": "{value} is not a valid UUID.",
                       "id": "{value} bukan UUID yang valid."},
    "click.date_format": {"en": "{value} does not match the format {format}.",
                          "id": "{value} tidak sesuai format {format}."},
    "click.date_formats": {"en": "{value} does not match the formats {format}.",
                           "id": "{value} tidak sesuai format {format}."},
    "click.path_missing": {"en": "{kind} {path} does not exist.",
                           "id": "{kind} {path} tidak ada."},
    "click.path_is_file": {"en": "{kind} {path} is a file.", "id": "{kind} {path} adalah berkas."},
    "click.path_is_dir": {"en": "{kind} {path} is a directory.",
                          "id": "{kind} {path} adalah folder."},
    "click.path_unreadable": {"en": "{kind} {path} is not readable.",
                              "id": "{kind} {path} tidak dapat dibaca."},
    "click.path_unwritable": {"en": "{kind} {path} is not writable.",
                              "id": "{kind} {path} tidak dapat ditulis."},
    "click.could_not_open": {"en": "Could not open file {path}: {message}",
                             "id": "Berkas {path} tidak dapat dibuka: {message}"},
    "click.kind_file": {"en": "File", "id": "Berkas"},
    "click.kind_directory": {"en": "Directory", "id": "Folder"},
    "click.kind_path": {"en": "Path", "id": "Jalur"},
    "click.aborted": {"en": "aborted", "id": "dibatalkan"},
    # the most general templates last
    "click.not_one_of": {"en": "{value} is not one of {choices}.",
                         "id": "{value} bukan salah satu dari {choices}."},
    "click.not_choice": {"en": "{value} is not {choice}.", "id": "{value} bukan {choice}."},
}

#: Parameters that hold a nested click message, translated in turn.
NESTED = frozenset({"message", "rest"})
#: click's names of path kinds, and their codes.
KINDS = {"File": "click.kind_file", "Directory": "click.kind_directory",
         "Path": "click.kind_path"}
