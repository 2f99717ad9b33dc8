-- 0004_tellen_vertellen: resident surveys (questionnaires, rounds, single-use invitation codes,
-- paused answers, open answers), stories with full-text search, and context events.
-- See docs/data-model.md, docs/surveys.md, docs/stories.md and docs/privacy.md.
-- Days are day_t integers (days since 1970-01-01), timestamps ISO 8601 UTC text.

-- ---- Surveys ---------------------------------------------------------------------------------

-- A questionnaire (vragenlijst): a JSON document (domain/questionnaire.h) with sections,
-- questions (item codes, kinds, Dutch and optional English text, conditions) and a version
-- history. owner_org_id is the gemeente or region that runs it.
CREATE TABLE survey (
    id           INTEGER PRIMARY KEY,
    owner_org_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    code         TEXT NOT NULL CHECK (length(code) BETWEEN 2 AND 48),
    template     TEXT CHECK (template IS NULL OR length(template) <= 48), -- shipped template it came from
    version      INTEGER NOT NULL DEFAULT 1,
    document     TEXT NOT NULL CHECK (length(document) <= 262144),
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    UNIQUE (owner_org_id, code)
) STRICT;

CREATE TABLE survey_version (
    survey_id  INTEGER NOT NULL REFERENCES survey(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    document   TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    PRIMARY KEY (survey_id, version)
) STRICT, WITHOUT ROWID;

-- A round (uitvraag): one questionnaire version sent to the residents of one gemeente, optionally
-- about one aanbieder and/or product category. Answers are kept with the round's dimensions,
-- never with an invitation. public_slug is set for an open survey (link without a code).
CREATE TABLE survey_round (
    id             INTEGER PRIMARY KEY,
    survey_id      INTEGER NOT NULL REFERENCES survey(id) ON DELETE RESTRICT,
    survey_version INTEGER NOT NULL,
    owner_org_id   INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 240),
    gemeente       TEXT NOT NULL CHECK (length(gemeente) = 4),
    aanbieder_id   INTEGER REFERENCES organisation(id) ON DELETE RESTRICT,
    law            INTEGER CHECK (law IS NULL OR law IN (1,2)),
    category       TEXT CHECK (category IS NULL OR length(category) BETWEEN 1 AND 8),
    opens_on       INTEGER NOT NULL,
    closes_on      INTEGER NOT NULL CHECK (closes_on >= opens_on),
    status         TEXT NOT NULL DEFAULT 'concept' CHECK (status IN ('concept','open','gesloten')),
    public_slug    TEXT UNIQUE CHECK (public_slug IS NULL OR length(public_slug) BETWEEN 16 AND 64),
    n_responses    INTEGER NOT NULL DEFAULT 0, -- counted at submit, for the response rate
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES user_account(id) ON DELETE SET NULL
) STRICT;
CREATE INDEX survey_round_survey ON survey_round(survey_id);

-- Single-use invitation codes. Only the code's 'used' mark changes at submit: no time, no
-- response id, no order that a response could be matched with (responses never refer here).
-- code_hash is a keyed BLAKE2b hash of the normalised code (lookup without a plain-text scan);
-- code is kept so letters can be printed again.
CREATE TABLE survey_invitation (
    id        INTEGER PRIMARY KEY,
    round_id  INTEGER NOT NULL REFERENCES survey_round(id) ON DELETE CASCADE,
    code      TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 8 AND 32),
    code_hash BLOB NOT NULL UNIQUE,
    used      INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0,1))
) STRICT;
CREATE INDEX survey_invitation_round ON survey_invitation(round_id, used);

-- Answers of a resident who paused ("later verder"): necessarily tied to the code until they
-- submit; deleted in the same transaction as the submit, and when the round closes.
CREATE TABLE survey_draft (
    invitation_id INTEGER PRIMARY KEY REFERENCES survey_invitation(id) ON DELETE CASCADE,
    answers       TEXT NOT NULL CHECK (length(answers) <= 65536),
    saved_on      INTEGER NOT NULL
) STRICT;

-- Open-text answers of a response (numeric answers are in survey_answer, migration 0003).
-- flagged: the screening found something that looks like a BSN, e-mail address or phone number;
-- only the survey's owner sees it until someone of the owner reviews it (released or redacted).
CREATE TABLE survey_open_answer (
    response_id INTEGER NOT NULL REFERENCES survey_response(id) ON DELETE CASCADE,
    item        TEXT NOT NULL CHECK (length(item) BETWEEN 1 AND 48),
    text        TEXT NOT NULL CHECK (length(text) <= 8000),
    flags       INTEGER NOT NULL DEFAULT 0, -- bits: 1 BSN-like, 2 e-mail, 4 phone
    review      TEXT NOT NULL DEFAULT 'nvt' CHECK (review IN ('nvt','te_beoordelen','vrijgegeven','geschoond')),
    PRIMARY KEY (response_id, item)
) STRICT, WITHOUT ROWID;

CREATE INDEX survey_response_round ON survey_response(round_id);

-- (helper antwoorden) Form nonces of open links (no code) that have been submitted: replay
-- protection. Only used nonces are kept, as a hash keyed by nothing secret (the nonce itself is
-- 32 random bytes); WITHOUT ROWID and no time, so their order tells nothing about responses.
CREATE TABLE survey_nonce (
    round_id   INTEGER NOT NULL REFERENCES survey_round(id) ON DELETE CASCADE,
    nonce_hash BLOB NOT NULL CHECK (length(nonce_hash) = 32),
    PRIMARY KEY (round_id, nonce_hash)
) STRICT, WITHOUT ROWID;

-- ---- Stories (vertellen) -------------------------------------------------------------------

-- Who tells it is a role, never a name. consent is what the teller agreed to: intern (the
-- owner organisation), gesprek (quality conversations and their data packs), publicatie.
CREATE TABLE story (
    id           INTEGER PRIMARY KEY,
    owner_org_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    kind         TEXT NOT NULL CHECK (kind IN ('citaat','casus','reflectie','interview')),
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 240),
    body         TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    teller_role  TEXT NOT NULL CHECK (length(teller_role) BETWEEN 1 AND 48),
    told_on      INTEGER NOT NULL,
    consent      TEXT NOT NULL CHECK (consent IN ('intern','gesprek','publicatie')),
    gemeente     TEXT CHECK (gemeente IS NULL OR length(gemeente) = 4),
    aanbieder_id INTEGER REFERENCES organisation(id) ON DELETE SET NULL,
    period_from  INTEGER,
    period_to    INTEGER CHECK (period_to IS NULL OR period_from IS NULL OR period_to >= period_from),
    anon_checked TEXT NOT NULL, -- what the anonymisation check found and the writer confirmed (JSON list)
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES user_account(id) ON DELETE SET NULL
) STRICT;
CREATE INDEX story_owner ON story(owner_org_id);

CREATE TABLE story_result (
    story_id  INTEGER NOT NULL REFERENCES story(id) ON DELETE CASCADE,
    result_id INTEGER NOT NULL REFERENCES societal_result(id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, result_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX story_result_result ON story_result(result_id);

CREATE TABLE story_indicator (
    story_id     INTEGER NOT NULL REFERENCES story(id) ON DELETE CASCADE,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, indicator_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX story_indicator_indicator ON story_indicator(indicator_id);

CREATE TABLE story_tag (
    story_id INTEGER NOT NULL REFERENCES story(id) ON DELETE CASCADE,
    tag      TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 48),
    PRIMARY KEY (story_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX story_tag_tag ON story_tag(tag);

-- Full-text index over title, body and tags; diacritics folded so "client" finds "cliënt".
-- Kept in step by store/story_store.c inside the same transaction as the story row.
CREATE VIRTUAL TABLE story_fts USING fts5(title, body, tags,
    tokenize = 'unicode61 remove_diacritics 2');

-- ---- Context events ------------------------------------------------------------------------

-- A dated note on the whole region (gemeente and aanbieder NULL), a gemeente or an aanbieder,
-- shown as a marker on time charts and in data packs.
CREATE TABLE context_event (
    id           INTEGER PRIMARY KEY,
    owner_org_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 160),
    description  TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    on_date      INTEGER NOT NULL,
    until_date   INTEGER CHECK (until_date IS NULL OR until_date >= on_date),
    gemeente     TEXT CHECK (gemeente IS NULL OR length(gemeente) = 4),
    aanbieder_id INTEGER REFERENCES organisation(id) ON DELETE CASCADE,
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES user_account(id) ON DELETE SET NULL
) STRICT;
CREATE INDEX context_event_date ON context_event(on_date);
