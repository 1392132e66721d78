"""The credential tables (SQLAlchemy), in the same database as the events: the embedded
store's `events.sqlite`, or the PostgreSQL database and schema of the event tables.

Three tables, none of them an event: `socmed_credentials` (per member: the argon2id password
hash, the SHA-256 of a pending set-up code and its expiry, the TOTP secret, whether it is
confirmed and the last time step used), `socmed_api_tokens` (the SHA-256 of each token's
secret, its owner, scope, expiry, revoked) and `socmed_sessions` (the SHA-256 of each session
token, its public id, member, via, second factor, times). What each change *was* is an event
on the member's `MemberAccess`; these rows are what is needed to check a credential.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool, StaticPool

from socmed_adapters.datadir import EVENTS_FILE
from socmed_adapters.monitoring.vault import MASTER_KEY_ENV, VaultError, master_key_from_env
from socmed_adapters.projections.sqltypes import UtcDateTime
from socmed_adapters.sql_setup import create_tables, on_connect_pragmas
from socmed_adapters.storage import StorageConfig
from socmed_domain.identity.ports import SessionRecord, TokenRecord, TotpRecord
from socmed_domain.identity.principal import Scope

SEALED = "v1:"  # a TOTP secret sealed with the master key (base32 never has a colon)
CREDENTIALS_TABLE = "socmed_credentials"
TOKENS_TABLE = "socmed_api_tokens"
SESSIONS_TABLE = "socmed_sessions"


def sqlite_credentials_engine(data_dir: Path) -> Engine:
    """The embedded store's events file, opened for the credential tables."""
    engine = create_engine(f"sqlite:///{data_dir / EVENTS_FILE}", poolclass=NullPool)
    # secure_delete: a replaced hash does not linger
    return on_connect_pragmas(engine, "busy_timeout=10000", "secure_delete=ON")


def memory_credentials_engine() -> Engine:
    """One in-process SQLite database for the 'memory' store (tests, demos)."""
    return create_engine("sqlite://", poolclass=StaticPool,
                         connect_args={"check_same_thread": False})


class SqlCredentialStore:
    """The `CredentialStore` port on SQLAlchemy (SQLite and PostgreSQL)."""

    def __init__(self, engine: Engine, schema: str | None = None,
                 create: bool = True, master_key: bytes | None = None) -> None:
        self.engine = engine
        #: SOCMED_VAULT_KEY (the vault's master key), when set, also seals the TOTP secrets
        #: (AES-256-GCM, the member id as associated data): a database reader cannot then
        #: compute a member's codes.
        self._master = AESGCM(master_key) if master_key else None
        metadata = MetaData(schema=schema)
        self.credentials = Table(
            CREDENTIALS_TABLE, metadata,
            Column("member_id", String(64), primary_key=True),
            Column("password_hash", String(512)),
            Column("setup_code_hash", String(64)),
            Column("setup_expires_at", UtcDateTime),
            Column("totp_secret", String(128)),
            Column("totp_confirmed", Boolean, nullable=False, default=False),
            Column("totp_last_step", Integer, nullable=False, default=-1))
        self.tokens = Table(
            TOKENS_TABLE, metadata,
            Column("token_id", String(32), primary_key=True),
            Column("secret_hash", String(64), nullable=False, unique=True),
            Column("member_id", String(64), nullable=False, index=True),
            Column("scope", String(16), nullable=False),
            Column("expires_at", UtcDateTime, nullable=False),
            Column("revoked", Boolean, nullable=False, default=False))
        self.sessions = Table(
            SESSIONS_TABLE, metadata,
            Column("token_hash", String(64), primary_key=True),
            Column("session_id", String(32), nullable=False),
            Column("member_id", String(64), nullable=False, index=True),
            Column("via", String(300), nullable=False),
            Column("second_factor", Boolean, nullable=False),
            Column("created_at", UtcDateTime, nullable=False),
            Column("expires_at", UtcDateTime, nullable=False),
            Column("last_seen", UtcDateTime, nullable=False))
        if create:
            create_tables(metadata, engine)

    # --------------------------------------------------------- per member

    def _member_row(self, member_id: str) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(select(self.credentials).where(
                self.credentials.c.member_id == member_id)).first()

    def _upsert(self, member_id: str, **values: Any) -> None:
        table = self.credentials
        for _ in range(3):
            with self.engine.begin() as conn:
                done = conn.execute(update(table).where(table.c.member_id == member_id)
                                    .values(**values)).rowcount
                if done:
                    return
                try:
                    with conn.begin_nested():
                        conn.execute(table.insert().values({
                            "member_id": member_id, "totp_confirmed": False,
                            "totp_last_step": -1, **values}))
                    return
                except IntegrityError:
                    continue  # another process inserted the row: update it
        raise RuntimeError(f"could not store credentials of {member_id}")

    def set_setup_code(self, member_id: str, code_hash: str, expires_at: datetime) -> None:
        self._upsert(member_id, setup_code_hash=code_hash, setup_expires_at=expires_at)

    def setup_code(self, member_id: str) -> tuple[str, datetime] | None:
        row = self._member_row(member_id)
        if row is None or row.setup_code_hash is None or row.setup_expires_at is None:
            return None
        return str(row.setup_code_hash), row.setup_expires_at

    def clear_setup_code(self, member_id: str) -> None:
        self._upsert(member_id, setup_code_hash=None, setup_expires_at=None)

    def set_password(self, member_id: str, password_hash: str) -> None:
        self._upsert(member_id, password_hash=password_hash)

    def password_hash(self, member_id: str) -> str | None:
        row = self._member_row(member_id)
        return None if row is None or row.password_hash is None else str(row.password_hash)

    def members_with_password(self) -> frozenset[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(self.credentials.c.member_id).where(
                self.credentials.c.password_hash.is_not(None))).scalars().all()
        return frozenset(str(r) for r in rows)

    def set_totp(self, member_id: str, secret: str, confirmed: bool) -> None:
        self._upsert(member_id, totp_secret=self._seal(member_id, secret),
                     totp_confirmed=confirmed)

    def totp(self, member_id: str) -> TotpRecord | None:
        row = self._member_row(member_id)
        if row is None or row.totp_secret is None:
            return None
        return TotpRecord(self._open(member_id, str(row.totp_secret)),
                          bool(row.totp_confirmed), int(row.totp_last_step))

    def _seal(self, member_id: str, secret: str) -> str:
        if self._master is None:
            return secret
        nonce = os.urandom(12)
        sealed = self._master.encrypt(nonce, secret.encode("ascii"), member_id.encode())
        return SEALED + base64.b64encode(nonce + sealed).decode("ascii")

    def _open(self, member_id: str, stored: str) -> str:
        if not stored.startswith(SEALED):
            return stored  # base32, as stored without SOCMED_VAULT_KEY
        if self._master is None:
            raise VaultError(detail=f"the TOTP secrets are sealed: set {MASTER_KEY_ENV}")
        raw = base64.b64decode(stored[len(SEALED):])
        try:
            return self._master.decrypt(raw[:12], raw[12:], member_id.encode()).decode()
        except InvalidTag:
            raise VaultError(detail=f"{MASTER_KEY_ENV} does not open the TOTP secrets: is it "
                             "the key they were sealed with?") from None

    def clear_totp(self, member_id: str) -> None:
        self._upsert(member_id, totp_secret=None, totp_confirmed=False, totp_last_step=-1)

    def claim_totp_step(self, member_id: str, step: int) -> bool:
        table = self.credentials
        with self.engine.begin() as conn:
            done = conn.execute(update(table).where(
                table.c.member_id == member_id, table.c.totp_last_step < step)
                .values(totp_last_step=step)).rowcount
        return bool(done)

    # -------------------------------------------------------------- tokens

    def add_token(self, record: TokenRecord, secret_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(self.tokens.insert().values(
                token_id=record.token_id, secret_hash=secret_hash, member_id=record.member_id,
                scope=record.scope.value, expires_at=record.expires_at,
                revoked=record.revoked))

    def _token(self, where: Any) -> TokenRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(self.tokens).where(where)).first()
        if row is None:
            return None
        return TokenRecord(str(row.token_id), str(row.member_id), Scope(row.scope),
                           row.expires_at, bool(row.revoked))

    def token(self, secret_hash: str) -> TokenRecord | None:
        return self._token(self.tokens.c.secret_hash == secret_hash)

    def token_by_id(self, token_id: str) -> TokenRecord | None:
        return self._token(self.tokens.c.token_id == token_id)

    def revoke_token(self, token_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(self.tokens).where(self.tokens.c.token_id == token_id)
                         .values(revoked=True))

    # ------------------------------------------------------------ sessions

    def add_session(self, record: SessionRecord, token_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(self.sessions.insert().values(
                token_hash=token_hash, session_id=record.session_id,
                member_id=record.member_id, via=record.via,
                second_factor=record.second_factor, created_at=record.created_at,
                expires_at=record.expires_at, last_seen=record.last_seen))

    def session(self, token_hash: str) -> SessionRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(self.sessions).where(
                self.sessions.c.token_hash == token_hash)).first()
        if row is None:
            return None
        return SessionRecord(str(row.session_id), str(row.member_id), str(row.via),
                             bool(row.second_factor), row.created_at, row.expires_at,
                             row.last_seen)

    def touch_session(self, token_hash: str, at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(self.sessions).where(self.sessions.c.token_hash == token_hash)
                         .values(last_seen=at))

    def end_session(self, token_hash: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(self.sessions).where(self.sessions.c.token_hash == token_hash))

    def end_sessions_of(self, member_id: str) -> int:
        with self.engine.begin() as conn:
            return int(conn.execute(delete(self.sessions).where(
                self.sessions.c.member_id == member_id)).rowcount)


class LazyCredentialStore:
    """Opens the credential tables on first use, so commands that never authenticate open
    no connection and create no table (and old stores stay as they are until then)."""

    def __init__(self, make: Callable[[], SqlCredentialStore]) -> None:
        self._make = make
        self._store: SqlCredentialStore | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._store is None:
            self._store = self._make()
        return getattr(self._store, name)


def credential_store_for(config: StorageConfig, engine: Callable[[], Engine],
                         create: bool = True) -> LazyCredentialStore:
    """The credential store of a configured store: the events file (SQLite), the event
    tables' database and schema (PostgreSQL, through the read models' engine), or one
    in-process database ('memory')."""
    def make() -> SqlCredentialStore:
        master = master_key_from_env()
        if config.kind == "sqlite":
            assert config.data_dir is not None
            return SqlCredentialStore(sqlite_credentials_engine(config.data_dir),
                                      create=create, master_key=master)
        if config.kind == "postgres":
            return SqlCredentialStore(engine(), schema=config.schema, create=create,
                                      master_key=master)
        return SqlCredentialStore(memory_credentials_engine(), master_key=master)

    return LazyCredentialStore(make)
