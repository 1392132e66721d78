"""Signing a checkpoint of the audit chain on demand: what `socmed audit checkpoint` does and
`POST /api/v1/audit/checkpoint` asks for (the Marketing Manager, `Action.OPERATE_STORE`).

The chain's head (position and link) is signed with the store's Ed25519 key (never in the
database: $SOCMED_AUDIT_SIGNING_KEY or the configuration directory), kept in the store and
appended to the witness ($SOCMED_AUDIT_WITNESS) when one is configured.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen


@frozen
class SignedCheckpoint:
    position: int
    link: str
    #: False when that position had a checkpoint already (nothing was written)
    created: bool
    #: the witness file or folder it was appended to, if one is configured
    witness: str | None = None


def sign_checkpoint(services: Any) -> SignedCheckpoint | None:
    """Sign the chain's head now (None: the log has no event to sign)."""
    from socmed_adapters.audit.chain import algorithm, current_key
    from socmed_adapters.audit.signing import load_private_key, sign, signing_key_path
    from socmed_adapters.audit.verify import chain_key
    from socmed_adapters.audit.witness import configured_witness
    from socmed_domain.errors import InvalidInputError

    path = signing_key_path()
    if path is None:
        raise InvalidInputError("error.audit_no_signing_key")
    key = load_private_key(path)
    tables = services.event_tables
    chain_key(tables, current_key())  # a keyed store without its key is refused
    head = tables.head_link()
    if head is None:
        return None
    checkpoint = sign(key, head[0], head[1], algorithm())
    if not tables.insert_signed(checkpoint):
        return SignedCheckpoint(head[0], head[1], created=False)
    witness = configured_witness()
    if witness is not None:
        witness.append(checkpoint)
    return SignedCheckpoint(checkpoint.position, checkpoint.link, created=True,
                            witness=str(witness.path) if witness is not None else None)


def sign_checkpoint_as(services: Any, principal: Any) -> SignedCheckpoint | None:
    """`sign_checkpoint` for a member the role matrix lets operate the store (the
    domain's check first)."""
    services.app.audit.checkpoint_signer(principal)
    return sign_checkpoint(services)
