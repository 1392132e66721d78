"""Messages (English and Bahasa Indonesia) of the monitoring stage; merged into socmed_domain.i18n.

Plain data with no imports, so i18n can merge it without an import cycle.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "error.sla_period": {
        "en": "working period {start}-{end} ends before it starts: give a start before the end "
        "(an end of 00:00 means midnight)",
        "id": "jam kerja {start}-{end} berakhir sebelum dimulai: berikan awal sebelum akhir "
        "(akhir 00:00 berarti tengah malam)",
    },
    "error.sla_overlap": {
        "en": "working periods {first} and {second} on {day} overlap: merge them into one or "
        "leave a gap",
        "id": "jam kerja {first} dan {second} pada hari {day} tumpang tindih: gabungkan atau "
        "beri jeda",
    },
    "error.sla_week": {
        "en": "the business calendar lists {count} weekdays: give exactly 7, Monday first",
        "id": "kalender kerja memuat {count} hari: berikan tepat 7, dimulai hari Senin",
    },
    "error.sla_weekday": {
        "en": "weekday {value} does not exist: use 0 (Monday) to 6 (Sunday)",
        "id": "hari {value} tidak ada: gunakan 0 (Senin) sampai 6 (Minggu)",
    },
    "error.sla_no_hours": {
        "en": "the business calendar has no working hours: give hours for at least one weekday",
        "id": "kalender kerja tidak punya jam kerja: isi jam kerja untuk minimal satu hari",
    },
    "error.sla_target": {
        "en": "SLA {name} target is {value}: give a duration above zero, with the resolution "
        "no shorter than the first response",
        "id": "target SLA {name} bernilai {value}: berikan durasi di atas nol, dengan "
        "penyelesaian tidak lebih singkat dari respons pertama",
    },
    "error.sla_missing_priority": {
        "en": "the SLA policy has no target for {priorities}: give one for each of {choices}",
        "id": "kebijakan SLA tidak punya target untuk {priorities}: berikan untuk setiap "
        "{choices}",
    },
    "error.sla_order": {
        "en": "the end {end} is before the start {start}: check the two times",
        "id": "akhir {end} lebih awal dari awal {start}: periksa kedua waktu itu",
    },
    "error.spike_config": {
        "en": "spike detector {name} is {value}: give {expected}",
        "id": "parameter detektor lonjakan {name} bernilai {value}: berikan {expected}",
    },
    "error.observation_order": {
        "en": "observation at {at} is earlier than the previous one at {previous}: feed "
        "observations in time order, or use detect_spikes for an unordered batch",
        "id": "observasi pada {at} lebih awal dari sebelumnya pada {previous}: masukkan "
        "observasi berurutan waktu, atau pakai detect_spikes untuk kumpulan tak berurutan",
    },
    "error.lexicon_score": {
        "en": "lexicon term '{term}' has score {score}: give a non-empty term with a score "
        "from -3 to +3",
        "id": "istilah leksikon '{term}' bernilai {score}: berikan istilah tidak kosong dengan "
        "nilai -3 sampai +3",
    },
    "error.watchlist_term": {
        "en": "watchlist term '{term}' must start and end with a word: '*' only stands between "
        "words",
        "id": "istilah watchlist '{term}' harus diawali dan diakhiri kata: '*' hanya boleh di "
        "antara kata",
    },
}

#: Indonesian for action names and verbs (Term) used by this stage's messages.
TERMS_ID: dict[str, str] = {}
