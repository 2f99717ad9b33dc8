-- 0002_intake.sql: data intake (issue 3). Import batches with their counts and rejected
-- records, the facts each batch delivered (message product lines, registration records,
-- population figures), mapping profiles, and the trajectories derived from the facts.
-- Dates of person-level facts are INTEGER days since 1970-01-01 (core/str.h day_t): compact,
-- and the same on PostgreSQL. No BSN, name, address or birth date is ever stored: persons are
-- keyed pseudonyms (32-byte HMAC-SHA-256), ages are whole years at the fact's date.

-- A column-mapping profile of a provider's registration export (definition: JSON, see
-- docs/intake.md). Made once in the wizard, reused for every later file.
CREATE TABLE mapping_profile (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 240),
    law         INTEGER NOT NULL CHECK (law IN (1,2)),
    definition  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES user_account(id) ON DELETE SET NULL
) STRICT;
CREATE UNIQUE INDEX mapping_profile_name ON mapping_profile(org_id, name);

-- One import of one file, folder or zip. read = accepted + rejected + skipped always holds.
CREATE TABLE import_batch (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('berichten','registratie','bevolking')),
    file_name      TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 480),
    file_sha256    TEXT NOT NULL CHECK (length(file_sha256) = 64),
    file_bytes     INTEGER NOT NULL CHECK (file_bytes >= 0),
    org_id         INTEGER REFERENCES organisation(id) ON DELETE RESTRICT, -- delivered by; NULL = system
    user_id        INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    via            TEXT NOT NULL CHECK (via IN ('web','api','cli','demo')),
    profile_id     INTEGER REFERENCES mapping_profile(id) ON DELETE RESTRICT,
    status         TEXT NOT NULL CHECK (status IN ('actief','ongedaan','mislukt')),
    n_read         INTEGER NOT NULL DEFAULT 0,
    n_accepted     INTEGER NOT NULL DEFAULT 0,
    n_rejected     INTEGER NOT NULL DEFAULT 0,
    n_skipped      INTEGER NOT NULL DEFAULT 0,
    n_flagged      INTEGER NOT NULL DEFAULT 0, -- accepted but flagged (no assignment, test BSN ...)
    n_test         INTEGER NOT NULL DEFAULT 0, -- records about test BSNs
    n_trajectories INTEGER NOT NULL DEFAULT 0, -- trajectories rebuilt by this batch
    fact_first     INTEGER,                    -- fact ids of this batch lie in fact_first..fact_last
    fact_last      INTEGER,                    -- (one writer: a batch's facts are consecutive)
    error          TEXT,                       -- why a failed import failed (status 'mislukt')
    detail         TEXT,                       -- JSON: encoding, delimiter, counts per message kind
    created_at     TEXT NOT NULL,
    finished_at    TEXT,
    undone_at      TEXT,
    undone_by      INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    CHECK (n_read = n_accepted + n_rejected + n_skipped)
) STRICT;
-- Importing the same file again (with the same profile) changes nothing.
CREATE UNIQUE INDEX import_batch_once ON import_batch(file_sha256, coalesce(profile_id, 0))
    WHERE status = 'actief';
CREATE INDEX import_batch_org ON import_batch(org_id, id);

-- Rejected (and skipped) records with their reasons. `fields` holds the record's values as a
-- JSON array for the correction file, with identifying columns (BSN, unmapped columns) blanked.
CREATE TABLE import_rejection (
    batch_id   INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    skipped    INTEGER NOT NULL DEFAULT 0 CHECK (skipped IN (0,1)),
    source     TEXT NOT NULL,   -- file name, or entry name inside a zip / folder
    record     INTEGER,         -- record number in the source (CSV/XLSX)
    line       INTEGER,
    col        INTEGER,
    element    TEXT,            -- XML element (messages)
    reason     TEXT NOT NULL,   -- Dutch; several reasons joined with '; '
    fields     TEXT,
    PRIMARY KEY (batch_id, seq)
) STRICT, WITHOUT ROWID;

-- Identities of imported messages, so a message delivered again (in another zip) is skipped.
CREATE TABLE import_message (
    law       INTEGER NOT NULL,
    name      TEXT NOT NULL,    -- JW301, WMO307 ...
    sender    TEXT NOT NULL,
    ident     TEXT NOT NULL,    -- BerichtIdentificatie/Identificatie
    batch_id  INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    PRIMARY KEY (law, name, sender, ident)
) STRICT, WITHOUT ROWID;
CREATE INDEX import_message_batch ON import_message(batch_id);

-- Persons: one row per pseudonym. The pseudonym is the person key (what links facts across
-- batches, providers and laws); id is an internal surrogate that facts and trajectories refer
-- to. Ids are handed out in order of first appearance, so the group indexes of fact and
-- trajectory grow at their end while an import adds new persons, instead of at random places
-- as with the random 32-byte pseudonyms as key. The pseudonym is looked up by hkey, its first
-- 8 bytes as a big-endian integer: an index of integers is a third the size of one of 32-byte
-- blobs and cheaper to search (measured: a 2,000,000-row import 15-20% faster). Two
-- pseudonyms sharing their first 8 bytes (about once in 10^12 pairs) are kept apart: the
-- second gets hkey NULL and is found through person_overflow. Invariant (intake_store.c):
-- a stored pseudonym always has a person with its hkey, so a missing hkey means a new person.
-- A person without facts is removed on undo. An import that brings mostly new persons drops
-- person_hkey, finds persons in memory meanwhile and creates the index again before it commits
-- (sorting once instead of inserting at random places: pipeline.c, "bulk mode").
CREATE TABLE person (
    id          INTEGER PRIMARY KEY,
    hkey        INTEGER,
    pseudonym   BLOB NOT NULL CHECK (length(pseudonym) = 32)
) STRICT;
CREATE UNIQUE INDEX person_hkey ON person(hkey);
CREATE UNIQUE INDEX person_overflow ON person(pseudonym) WHERE hkey IS NULL;

-- Facts: accepted message product lines (kind 301/305/307/315) and registration records (900).
-- See domain/trajectory.h for the meaning of every column.
CREATE TABLE fact (
    id               INTEGER PRIMARY KEY,
    batch_id         INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    seq              INTEGER NOT NULL,
    person_id        INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
    aanbieder_id     INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    law              INTEGER NOT NULL CHECK (law IN (1,2)),
    -- Written out: SQLite checks an IN list of more than two values through a temporary
    -- b-tree built anew for every INSERT (measured: each fact INSERT 70% slower).
    kind             INTEGER NOT NULL CHECK (kind = 301 OR kind = 305 OR kind = 307 OR kind = 315
                                             OR kind = 900),
    test_person      INTEGER NOT NULL CHECK (test_person IN (0,1)),
    release          TEXT NOT NULL,
    message_date     INTEGER,
    gemeente         TEXT NOT NULL CHECK (length(gemeente) = 4),
    age              INTEGER,
    gender           TEXT,
    postcode4        TEXT,
    assignment_nr    INTEGER,
    category         TEXT,
    product_code     TEXT,
    reference        TEXT,
    date_assigned    INTEGER,
    valid_from       INTEGER,
    valid_to         INTEGER,
    change_reason    TEXT,
    start_date       INTEGER,
    end_date         INTEGER,
    end_reason       TEXT,
    status           INTEGER,
    referrer         TEXT,
    hulpvorm         TEXT,
    cbs_reason       TEXT,
    satisfaction     INTEGER,
    zonder_hulp      TEXT,
    informant        TEXT,
    goal_realisation INTEGER
) STRICT;
CREATE INDEX fact_group ON fact(person_id, aanbieder_id, law);
-- No index on batch_id: undo finds a batch's facts by their id range (import_batch.fact_first
-- and fact_last), so imports do not maintain one more index per fact.

-- Trajectories: derived from the facts of one group (person x aanbieder x law) at a time.
CREATE TABLE trajectory (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
    aanbieder_id    INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    law             INTEGER NOT NULL CHECK (law IN (1,2)),
    gemeente        TEXT NOT NULL CHECK (length(gemeente) = 4),
    category        TEXT,
    hulpvorm        TEXT,
    product_code    TEXT,
    start_date      INTEGER NOT NULL,
    end_date        INTEGER,
    end_reason      TEXT,
    end_reason_list TEXT,
    release         TEXT,
    cbs_reason      TEXT,
    referrer        TEXT,
    age_at_start    INTEGER,
    age_band        TEXT,
    gender          TEXT,
    postcode4       TEXT,
    flags           INTEGER NOT NULL DEFAULT 0,
    batch_id        INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE RESTRICT,
    nlines          INTEGER NOT NULL DEFAULT 1
) STRICT;
-- The only index on trajectories: every import and undo maintains it, so others (per gemeente,
-- per aanbieder) are for the reports that need them to add, once measured to pay off. The
-- totals of the intake page scan the table.
CREATE INDEX trajectory_group ON trajectory(person_id, aanbieder_id, law);

-- Outcome measurements delivered with registration records: at most one per informant.
CREATE TABLE measurement (
    trajectory_id    INTEGER NOT NULL REFERENCES trajectory(id) ON DELETE CASCADE,
    informant        TEXT NOT NULL DEFAULT '',
    satisfaction     INTEGER CHECK (satisfaction IS NULL OR satisfaction BETWEEN 1 AND 10),
    zonder_hulp      TEXT,
    goal_realisation INTEGER CHECK (goal_realisation IS NULL OR goal_realisation BETWEEN 0 AND 100),
    PRIMARY KEY (trajectory_id, informant)
) STRICT, WITHOUT ROWID;

-- CBS population per gemeente (current code) x year x age band, for potential reach.
-- The newest active batch wins per (gemeente, year, age_band).
CREATE TABLE population (
    gemeente    TEXT NOT NULL CHECK (length(gemeente) = 4),
    year        INTEGER NOT NULL,
    age_band    TEXT NOT NULL,   -- "0-4", "5-9", ..., "95+"
    inhabitants INTEGER NOT NULL CHECK (inhabitants >= 0),
    men         INTEGER,
    women       INTEGER,
    batch_id    INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    PRIMARY KEY (gemeente, year, age_band, batch_id)
) STRICT, WITHOUT ROWID;
