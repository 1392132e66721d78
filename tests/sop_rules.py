"""The rules the tests hold the code to, written out by hand from SOP-0042 and the decisions
taken on it -- never imported from the code.

Why a copy: a test whose expectation is read from `ROLE_MATRIX` or from `content_item.py`'s
status sets moves with the code, so giving Digital Marketing the right to erase personal data
(or letting an expired item be withdrawn) broke no test. Here the expectations are fixed
text; a change of the code's matrix or of a status set fails the tests until this file is
changed too, in the same reviewed diff, with its reason.

Sources:
- the SOP's responsibilities table ("Tanggung Jawab") and each stage's "Penanggung Jawab"
  line, in the Indonesian original (`seed/000_f9067a5a82a9b19b.txt`) and its English working
  translation (`seed/SOP-0042.en.md`);
- where the SOP leaves a choice open, the decision recorded in docs/decisions.md ("Who may do
  what", "Campaigns", "Incidents") and docs/inbox.md, cited per row;
- the content state machine table in docs/architecture.md.
"""

from __future__ import annotations

#: action | roles allowed (mm = Manajer Pemasaran, dm = Tim Digital Marketing,
#: admin = Admin Media Sosial, legal = Tim Legal/Compliance, agency = Pihak Ketiga (Agensi)),
#: then, indented, where in the SOP (or in the recorded decisions) it comes from
_MATRIX_TEXT = """
MANAGE_TEAM           | mm
    MM sets the strategy and owns the team (decisions: Who may do what)
CREATE_CONTENT        | dm agency
    DM "menyusun, memproduksi"; agency "mendukung produksi konten"
REVISE_CONTENT        | dm agency
    Tahap 2 "melakukan revisi konten" (DM, and the agency on its drafts)
SUBMIT_FOR_REVIEW     | dm agency
    Tahap 2 "review internal" of what DM or the agency drafted
REVIEW_CONTENT        | dm legal
    Tahap 2 review internal (DM); Legal "memastikan konten ... mematuhi regulasi"
SUBMIT_FOR_APPROVAL   | dm
    Tahap 2 "mengajukan konten untuk persetujuan" (DM submits agency work too)
APPROVE_CONTENT       | mm
    MM "menyetujui rencana konten"; no other authorised party configured
REQUEST_CHANGES       | mm legal
    Tahap 2 "revisi konten berdasarkan masukan": the approver and compliance
SCHEDULE_CONTENT      | dm admin
    Tahap 1 content calendar (DM); Tahap 3 "menjadwalkan konten" (Admin)
PUBLISH_CONTENT       | admin
    Tahap 3 Penanggung Jawab: Admin Media Sosial; Admin "melakukan posting konten"
RECONCILE_PUBLICATION | admin
    Tahap 3 "mendokumentasikan setiap konten yang telah dipublikasikan" (Admin)
WITHDRAW_CONTENT      | mm admin legal
    decisions: withdraw (MM, Admin, Legal stop a post in any status)
ARCHIVE_CONTENT       | dm admin
    Tahap 3 "untuk keperluan arsip"
READ_AUDIT_LOG        | mm legal
    decisions: the whole audit log is for the MM and Legal
PLAN_CAMPAIGN         | dm
    Tahap 1 "kampanye khusus" in the calendar (DM plans)
APPROVE_CAMPAIGN      | mm
    MM "menyetujui rencana konten"
RUN_CAMPAIGN          | dm mm
    decisions: either starts and completes a campaign
CANCEL_CAMPAIGN       | mm
    decisions: only the MM cancels
ASSIGN_AGENCY         | dm mm
    agency works "sesuai arahan perusahaan" (DM or MM direct it)
DRAFT_STRATEGY        | dm mm
    Tahap 1 Penanggung Jawab: MM and DM; either drafts and revises (issue 17: the MM owns it)
APPROVE_STRATEGY      | mm
    MM "menetapkan strategi media sosial"
PLAN_CALENDAR         | dm
    Tahap 1 "menyusun content calendar bulanan"
INGEST_INTERACTIONS   | admin dm
    Tahap 4 "memantau komentar, pesan masuk, dan mention" (Admin and DM)
TRIAGE_INBOX          | admin dm
    Tahap 4 Penanggung Jawab: Admin Media Sosial and Tim Digital Marketing
REPLY_TO_AUDIENCE     | admin
    Admin "merespons komentar dan pesan"
APPROVE_REPLY         | mm legal
    Tahap 6 "melibatkan tim legal atau manajemen" in serious cases
ERASE_PERSONAL_DATA   | legal
    Legal ensures compliance (UU PDP); docs/inbox.md: erasure is Legal's
RECORD_METRICS        | dm admin
    Tahap 4 "tools analytics"; Tahap 5 "mengumpulkan data performa"
RECORD_EVALUATION     | mm dm
    Tahap 5 Penanggung Jawab: Tim Digital Marketing and Manajer Pemasaran
OPEN_INCIDENT         | admin dm mm legal
    Tahap 6 "mengidentifikasi potensi risiko" / Tahap 4 "mengidentifikasi potensi isu"
CLASSIFY_INCIDENT     | mm
    Tahap 6 "menentukan klasifikasi tingkat krisis" (decisions: Incidents)
ESCALATE_INCIDENT     | mm legal admin
    Tahap 6 Penanggung Jawab: MM, Tim Legal, Admin Media Sosial
ACKNOWLEDGE_INCIDENT  | mm legal
    Tahap 6 "melibatkan tim legal atau manajemen" (MM answers for management)
LOG_INCIDENT_ACTION   | admin dm mm legal
    Tahap 6 "mendokumentasikan seluruh ... langkah penanganan"
FREEZE_PUBLISHING     | mm legal
    decisions: Incidents (MM or Legal stops publishing)
RELEASE_PUBLISHING    | mm
    decisions: Incidents (only the MM releases a freeze)
RESOLVE_INCIDENT      | mm
    decisions: Incidents
REVIEW_INCIDENT       | mm dm legal
    Tahap 6 "untuk evaluasi"; Tahap 5 evaluation owners, with Legal
CLOSE_INCIDENT        | mm
    decisions: Incidents
CONFIGURE             | mm
    MM "menetapkan strategi" and keeps the work aligned with business goals (decisions:
    Each company's rules as data)
OPERATE_STORE         | mm
    the store's owner signs the audit chain's checkpoints over the API (decisions: The
    API's read path; the CLI's direct store access is the operator's own)
"""

ROLE_IDS = {"mm": "marketing_manager", "dm": "digital_marketing",
            "admin": "social_media_admin", "legal": "legal", "agency": "agency"}


def _matrix() -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for line in _MATRIX_TEXT.strip().splitlines():
        if line.startswith(" "):
            continue  # the row's source
        action, roles = (cell.strip() for cell in line.split("|"))
        assert action not in table, f"{action} twice in the SOP table"
        table[action] = frozenset(ROLE_IDS[r] for r in roles.split())
    return table


#: Action name -> the role ids the SOP lets do it.
SOP_MATRIX: dict[str, frozenset[str]] = _matrix()


def allowed(action: object, role: object) -> bool:
    """Whether the SOP table lets `role` (a Role or its id) do `action` (an Action or its
    name). Enum members are read by name/value only, never through the code's matrix."""
    name = getattr(action, "name", action)
    role_id = getattr(role, "value", role)
    return role_id in SOP_MATRIX[str(name)]


def allowed_roles(action: object) -> frozenset[str]:
    return SOP_MATRIX[str(getattr(action, "name", action))]


# ------------------------------------------------------------- content statuses
# From the content state machine table in docs/architecture.md (which command each status
# allows), written as status values.

ALL_STATUSES = frozenset({
    "idea", "draft", "in_review", "reviewed", "awaiting_approval", "changes_requested",
    "approved", "scheduled", "publishing", "published", "failed", "expired", "withdrawn",
    "archived"})
#: `revise` is allowed from idea up to scheduled (a revision voids an approval).
REVISABLE = frozenset({"idea", "draft", "in_review", "reviewed", "awaiting_approval",
                       "changes_requested", "approved", "scheduled"})
#: `schedule` needs a revision: every status of REVISABLE but idea.
SCHEDULABLE = REVISABLE - {"idea"}
#: `request_changes`: while in review, awaiting approval, or approved/scheduled.
CHANGES_REQUESTABLE = frozenset({"in_review", "reviewed", "awaiting_approval", "approved",
                                 "scheduled"})
#: `expire` at the slot: every unapproved status that has a revision.
EXPIRABLE = frozenset({"draft", "in_review", "reviewed", "awaiting_approval",
                       "changes_requested"})
#: `withdraw`: every status but withdrawn, expired and archived.
WITHDRAWABLE = ALL_STATUSES - {"withdrawn", "expired", "archived"}
#: `archive`: once the item's life is over.
ARCHIVABLE = frozenset({"published", "failed", "expired", "withdrawn"})
#: Never due again.
TERMINAL = frozenset({"published", "failed", "expired", "withdrawn", "archived"})
#: A platform's late answer is recorded but never changes these statuses.
FINAL = frozenset({"withdrawn", "archived", "expired"})

# ------------------------------------------------------------- campaign statuses
#: decisions.md "Campaigns": agencies work, and a campaign may be cancelled, while planned,
#: approved or running.
CAMPAIGN_OPEN = frozenset({"planned", "approved", "running"})

# ------------------------------------------------------------- incidents (stage 6)
#: decisions.md "Incidents": level 3 escalates to Legal and the Marketing Manager, level 4 adds
#: management (Tahap 6 "melibatkan tim legal atau manajemen dalam penanganan kasus serius").
REQUIRED_ESCALATIONS = {1: frozenset(), 2: frozenset(),
                        3: frozenset({"legal", "marketing_manager"}),
                        4: frozenset({"legal", "marketing_manager", "management"})}
#: Who acknowledges each escalation: management has no role of its own, so the Marketing
#: Manager acknowledges for it.
ACKNOWLEDGED_BY = {"legal": "legal", "marketing_manager": "marketing_manager",
                   "management": "marketing_manager"}
#: UU PDP (Law 27/2022) art. 46: a breach is notified in writing to the data subjects and to
#: the supervising authority.
PDP_RECIPIENTS = frozenset({"data_subjects", "authority"})
