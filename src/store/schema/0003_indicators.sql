-- 0003_indicators: indicator definitions, targets, links to societal results, the change
-- journal the in-memory engine follows, and survey responses as the engine reads them.
-- See docs/data-model.md and docs/indicators.md.

-- Waiting time needs the dates of the request (315) and the assignment (301) of a trajectory.
ALTER TABLE trajectory ADD COLUMN date_requested INTEGER;
ALTER TABLE trajectory ADD COLUMN date_assigned INTEGER;

-- Change journal: one row per import batch that committed and per undo, written in the same
-- transaction, so the engine (metrics/engine.h) can catch up incrementally after any change,
-- also one made by another process (`duiding import` while the server runs).
CREATE TABLE data_change (
    seq      INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL CHECK (kind IN ('import','undo')),
    at       TEXT NOT NULL
) STRICT;
-- The groups an undo rebuilt (an import's groups follow from its fact id range; an undo's facts
-- are gone, so it records them).
CREATE TABLE data_change_group (
    seq          INTEGER NOT NULL REFERENCES data_change(seq) ON DELETE CASCADE,
    person_id    INTEGER NOT NULL,
    aanbieder_id INTEGER NOT NULL,
    law          INTEGER NOT NULL,
    PRIMARY KEY (seq, person_id, aanbieder_id, law)
) STRICT, WITHOUT ROWID;

-- Indicator definitions: a JSON document (metrics/definition.h) with a version history.
-- owner_org_id NULL: the regional, harmonised standard set shipped with duiding.
CREATE TABLE indicator (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL CHECK (length(code) BETWEEN 2 AND 48),
    owner_org_id INTEGER REFERENCES organisation(id) ON DELETE RESTRICT,
    standard     INTEGER NOT NULL DEFAULT 0 CHECK (standard IN (0,1)),
    version      INTEGER NOT NULL DEFAULT 1,
    definition   TEXT NOT NULL CHECK (length(definition) <= 65536),
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   INTEGER REFERENCES user_account(id) ON DELETE SET NULL
) STRICT;
CREATE UNIQUE INDEX indicator_code ON indicator(coalesce(owner_org_id, 0), code);

CREATE TABLE indicator_version (
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    definition   TEXT NOT NULL,
    changed_at   TEXT NOT NULL,
    changed_by   INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    PRIMARY KEY (indicator_id, version)
) STRICT, WITHOUT ROWID;

-- Targets (streefwaarden) agreed by a gemeente or region, optionally for one gemeente and/or one
-- aanbieder. Contracts with outcome agreements (a later migration) point here.
CREATE TABLE indicator_target (
    id           INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    owner_org_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    gemeente     TEXT CHECK (gemeente IS NULL OR length(gemeente) = 4),
    aanbieder_id INTEGER REFERENCES organisation(id) ON DELETE CASCADE,
    valid_from   INTEGER NOT NULL,
    valid_to     INTEGER,
    value        REAL NOT NULL,
    note         TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
) STRICT;
CREATE INDEX indicator_target_indicator ON indicator_target(indicator_id);

-- Indicators that show progress on a maatschappelijk resultaat (dashboard per result).
CREATE TABLE result_indicator (
    result_id    INTEGER NOT NULL REFERENCES societal_result(id) ON DELETE CASCADE,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    PRIMARY KEY (result_id, indicator_id)
) STRICT, WITHOUT ROWID;

-- Anonymous survey responses as the engine reads them: never linked to a person, an invitation
-- or an address; the date is kept to the day. Surveys, rounds and invitations are added by the
-- surveys migration; round_id points there.
CREATE TABLE survey_response (
    id            INTEGER PRIMARY KEY,
    round_id      INTEGER,
    gemeente      TEXT NOT NULL CHECK (length(gemeente) = 4),
    aanbieder_id  INTEGER REFERENCES organisation(id) ON DELETE SET NULL,
    law           INTEGER CHECK (law IS NULL OR law IN (1,2)),
    category      TEXT,
    age           INTEGER CHECK (age IS NULL OR age BETWEEN 0 AND 120),
    gender        TEXT CHECK (gender IS NULL OR gender IN ('0','1','2')),
    response_date INTEGER NOT NULL
) STRICT;
CREATE TABLE survey_answer (
    response_id INTEGER NOT NULL REFERENCES survey_response(id) ON DELETE CASCADE,
    item        TEXT NOT NULL CHECK (length(item) BETWEEN 1 AND 48),
    value       INTEGER NOT NULL, -- agree scale 1-5 (0 = weet niet / n.v.t.), grade 1-10, choice
    PRIMARY KEY (response_id, item)
) STRICT, WITHOUT ROWID;
