-- 0001_init.sql: organisations, users, sessions, API tokens, societal results, audit log.
-- STRICT tables; timestamps are ISO 8601 UTC text ('2026-11-23T08:00:00Z'), written by the
-- program (no SQLite-only date functions in domain queries, so PostgreSQL can follow).

CREATE TABLE organisation (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('region','gemeente','aanbieder','toezichthouder','toegang')),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 480),
    cbs_code    TEXT CHECK (cbs_code IS NULL OR (kind = 'gemeente' AND length(cbs_code) = 6)),
    agb_code    TEXT CHECK (agb_code IS NULL OR (kind = 'aanbieder' AND length(agb_code) = 8)),
    population  INTEGER NOT NULL DEFAULT 0 CHECK (population >= 0),
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX organisation_cbs ON organisation(cbs_code) WHERE cbs_code IS NOT NULL;
CREATE UNIQUE INDEX organisation_agb ON organisation(agb_code) WHERE agb_code IS NOT NULL;
CREATE UNIQUE INDEX organisation_kind_name ON organisation(kind, name);

-- A gemeente belongs to regions; a toegang team to its gemeente.
CREATE TABLE organisation_parent (
    child_id    INTEGER NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
    parent_id   INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    PRIMARY KEY (child_id, parent_id),
    CHECK (child_id <> parent_id)
) STRICT;
CREATE INDEX organisation_parent_parent ON organisation_parent(parent_id);

CREATE TABLE user_account (
    id              INTEGER PRIMARY KEY,
    login           TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 3 AND 64),
    display_name    TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 480),
    org_id          INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    roles           INTEGER NOT NULL CHECK (roles > 0 AND roles < 128),
    lang            TEXT NOT NULL DEFAULT 'nl' CHECK (lang IN ('nl','en')),
    password_hash   TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0,1)),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    last_login_at   TEXT
) STRICT;
CREATE INDEX user_account_org ON user_account(org_id);

-- Server-side sessions. Only the SHA-256 of the cookie secret is stored.
CREATE TABLE session (
    id_hash      BLOB PRIMARY KEY CHECK (length(id_hash) = 32),
    user_id      INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,   -- unix seconds
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX session_user ON session(user_id);

-- API tokens for system-to-system delivery: hashed, expiring, scoped, revocable.
CREATE TABLE api_token (
    id          INTEGER PRIMARY KEY,
    token_hash  BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id     INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    label       TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 240),
    scopes      INTEGER NOT NULL CHECK (scopes > 0 AND scopes < 8),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked     INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0,1)),
    last_used_at INTEGER
) STRICT;
CREATE INDEX api_token_user ON api_token(user_id);

-- Maatschappelijke resultaten (societal results) of a gemeente or region.
CREATE TABLE societal_result (
    id            INTEGER PRIMARY KEY,
    owner_org_id  INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    theme         TEXT NOT NULL,
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 640),
    description   TEXT NOT NULL DEFAULT '',
    start_year    INTEGER NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
    end_year      INTEGER NOT NULL CHECK (end_year BETWEEN 2000 AND 2100 AND end_year >= start_year),
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    created_by    INTEGER REFERENCES user_account(id) ON DELETE SET NULL
) STRICT;
CREATE INDEX societal_result_owner ON societal_result(owner_org_id);

-- Append-only audit log. user_login is copied so the log stays readable after a user is removed.
CREATE TABLE audit_event (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    user_id      INTEGER,
    user_login   TEXT,
    action       TEXT NOT NULL,
    object_kind  TEXT,
    object_id    INTEGER,
    detail       TEXT
) STRICT;
CREATE INDEX audit_event_at ON audit_event(at);
CREATE INDEX audit_event_user ON audit_event(user_id);

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
