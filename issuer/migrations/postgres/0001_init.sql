-- Accolade issuer store, PostgreSQL dialect. Keep in step with ../sqlite/0001_init.sql:
-- the same tables and columns, each in its own dialect. Times are RFC 3339 text in UTC.

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    did         TEXT NOT NULL UNIQUE,
    did_method  TEXT NOT NULL,
    profile     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE signing_keys (
    tenant_id        TEXT NOT NULL REFERENCES tenants(id),
    key_id           TEXT NOT NULL,
    public_multibase TEXT NOT NULL,
    sealed_secret    BYTEA NOT NULL,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, key_id)
);

CREATE TABLE achievements (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    id          TEXT NOT NULL,
    definition  TEXT NOT NULL,
    retired     BIGINT NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE credentials (
    id                   TEXT PRIMARY KEY,
    tenant_id            TEXT NOT NULL REFERENCES tenants(id),
    kind                 TEXT NOT NULL,
    achievement_id       TEXT,
    recipient_name       TEXT,
    recipient_identifier TEXT,
    format               TEXT NOT NULL,
    body                 TEXT NOT NULL,
    issued_at            TEXT NOT NULL,
    batch_id             TEXT,
    batch_row            BIGINT,
    UNIQUE (batch_id, batch_row)
);
CREATE INDEX credentials_recipient ON credentials (tenant_id, recipient_identifier);

CREATE TABLE status_lists (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    purpose        TEXT NOT NULL,
    size           BIGINT NOT NULL,
    capacity       BIGINT NOT NULL,
    allocated      BIGINT NOT NULL DEFAULT 0,
    bits           BYTEA NOT NULL,
    version        BIGINT NOT NULL DEFAULT 0,
    signed_version BIGINT NOT NULL DEFAULT -1,
    credential     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX status_lists_open ON status_lists (tenant_id, purpose, allocated);

CREATE TABLE status_entries (
    list_id        TEXT NOT NULL REFERENCES status_lists(id),
    idx            BIGINT NOT NULL,
    credential_id  TEXT NOT NULL,
    PRIMARY KEY (list_id, idx)
);
CREATE INDEX status_entries_credential ON status_entries (credential_id);

CREATE TABLE tokens (
    hash        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    scope       TEXT NOT NULL,
    tenant_id   TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq     BIGSERIAL PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    detail  TEXT NOT NULL
);
