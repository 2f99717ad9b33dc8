-- 0005_kwaliteitskader: the regional quality framework (kwaliteitskader): frameworks owned by a
-- region, themes, criteria (regional, or local points of a gemeente on top), the sources a
-- merge recorded, "not a duplicate" decisions, and the version history. See docs/framework.md
-- and docs/data-model.md. Verification of providers (admission, periodic and event-driven
-- reviews, triangulated views) will add tables that point at criterion(id); none exist yet.

CREATE TABLE framework (
    id           INTEGER PRIMARY KEY,
    owner_org_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT, -- a region
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 160),
    description  TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
    -- Bumped by every change of the framework or of one of its criteria (framework_version).
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES user_account(id) ON DELETE SET NULL
) STRICT;
CREATE INDEX framework_owner ON framework(owner_org_id);

CREATE TABLE framework_theme (
    id           INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES framework(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80)
) STRICT;
CREATE UNIQUE INDEX framework_theme_name ON framework_theme(framework_id, name);

-- A criterion. local_org_id NULL: part of the regional framework; else a local point of that
-- gemeente (which must belong to the framework's region). Never deleted: archived, and when
-- merged into another criterion merged_into says which.
CREATE TABLE criterion (
    id           INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES framework(id) ON DELETE CASCADE,
    theme_id     INTEGER NOT NULL REFERENCES framework_theme(id) ON DELETE RESTRICT,
    local_org_id INTEGER REFERENCES organisation(id) ON DELETE RESTRICT,
    code         TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 16),
    text         TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
    source_kind  TEXT NOT NULL CHECK (source_kind IN
                    ('branchenorm','certificering','wetsartikel','contracteis','lokaal')),
    source_ref   TEXT NOT NULL DEFAULT '' CHECK (length(source_ref) <= 200),
    laws         INTEGER NOT NULL CHECK (laws BETWEEN 1 AND 3),   -- bits: 1 Jeugdwet, 2 Wmo
    categories   TEXT NOT NULL DEFAULT '' CHECK (length(categories) <= 200),
    evidence     TEXT NOT NULL DEFAULT '' CHECK (length(evidence) <= 1000),
    verify       INTEGER NOT NULL CHECK (verify BETWEEN 1 AND 7), -- bits: document, gesprek, onderzoek
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
    merged_into  INTEGER REFERENCES criterion(id) ON DELETE SET NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX criterion_code ON criterion(framework_id, code);
CREATE INDEX criterion_theme ON criterion(theme_id);

-- Sources recorded on a criterion when a duplicate from another source was merged into it, so
-- the provider is asked once while every source stays visible.
CREATE TABLE criterion_source (
    criterion_id      INTEGER NOT NULL REFERENCES criterion(id) ON DELETE CASCADE,
    from_criterion_id INTEGER NOT NULL REFERENCES criterion(id) ON DELETE CASCADE,
    source_kind       TEXT NOT NULL,
    source_ref        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (criterion_id, from_criterion_id, source_kind, source_ref)
) STRICT, WITHOUT ROWID;

-- Pairs the framework owner judged "not a duplicate" (low_id < high_id); never proposed again.
CREATE TABLE criterion_not_duplicate (
    low_id     INTEGER NOT NULL REFERENCES criterion(id) ON DELETE CASCADE,
    high_id    INTEGER NOT NULL REFERENCES criterion(id) ON DELETE CASCADE,
    decided_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    PRIMARY KEY (low_id, high_id),
    CHECK (low_id < high_id)
) STRICT, WITHOUT ROWID;

-- Version history of a framework (like indicator_version): one row per framework version with
-- a summary, and per changed criterion a copy of its values at that version, so the framework
-- as it stood at version N is, per criterion, its latest criterion_version with fw_version <= N.
CREATE TABLE framework_version (
    framework_id INTEGER NOT NULL REFERENCES framework(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    summary      TEXT NOT NULL CHECK (length(summary) <= 400),
    changed_at   TEXT NOT NULL,
    changed_by   INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    PRIMARY KEY (framework_id, version)
) STRICT, WITHOUT ROWID;

CREATE TABLE criterion_version (
    criterion_id INTEGER NOT NULL REFERENCES criterion(id) ON DELETE CASCADE,
    fw_version   INTEGER NOT NULL,
    theme        TEXT NOT NULL,
    code         TEXT NOT NULL,
    text         TEXT NOT NULL,
    source_kind  TEXT NOT NULL,
    source_ref   TEXT NOT NULL,
    laws         INTEGER NOT NULL,
    categories   TEXT NOT NULL,
    evidence     TEXT NOT NULL,
    verify       INTEGER NOT NULL,
    local_org_id INTEGER REFERENCES organisation(id) ON DELETE RESTRICT,
    archived     INTEGER NOT NULL,
    PRIMARY KEY (criterion_id, fw_version)
) STRICT, WITHOUT ROWID;
