-- 0009_toetsing: verification of providers (toetsing): admissions, periodic and event-driven
-- reviews of an aanbieder against the region's quality framework (0005), the self-declaration
-- per applicable criterion, the verdicts of the five viewpoints (triangulation), the events
-- recorded on a provider (calamity, supervisor measure, complaint) and the links between
-- criteria and the outcome indicators they bear on. See docs/verification.md.

-- The guiding principles ("leidende principes") of a framework: shown to the aanbieder, who
-- must accept them before submitting a review.
ALTER TABLE framework ADD COLUMN principles TEXT NOT NULL DEFAULT ''
    CHECK (length(principles) <= 8000);

-- A calamity, supervisor measure or complaint about an aanbieder, without person data
-- (domain/anon_check.c). owner_org_id = the recording organisation.
CREATE TABLE provider_event (
    id           INTEGER PRIMARY KEY,
    aanbieder_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    owner_org_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    kind         TEXT NOT NULL CHECK (kind IN
                    ('calamiteit','maatregel_toezichthouder','klacht','overig')),
    on_date      INTEGER NOT NULL,                       -- day_t (days since 1970-01-01)
    description  TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX provider_event_aanbieder ON provider_event(aanbieder_id, on_date);

-- A review of an aanbieder by a region or gemeente (owner_org_id) against a framework.
CREATE TABLE review (
    id                     INTEGER PRIMARY KEY,
    framework_id           INTEGER NOT NULL REFERENCES framework(id) ON DELETE RESTRICT,
    owner_org_id           INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    aanbieder_id           INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    kind                   TEXT NOT NULL CHECK (kind IN ('toelating','periodiek','gebeurtenis')),
    status                 TEXT NOT NULL CHECK (status IN
                              ('concept','ingediend','in_beoordeling','besloten')),
    contract_id            INTEGER REFERENCES contract(id) ON DELETE SET NULL,
    provider_event_id      INTEGER REFERENCES provider_event(id) ON DELETE SET NULL,
    period_from            INTEGER NOT NULL,             -- day_t
    period_to              INTEGER NOT NULL,
    laws                   INTEGER NOT NULL CHECK (laws BETWEEN 1 AND 3), -- 1 Jeugdwet, 2 Wmo
    principles_accepted_at TEXT,
    principles_accepted_by INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    submitted_at           TEXT,
    conversation_on        TEXT CHECK (conversation_on IS NULL OR length(conversation_on) = 10),
    conversation_report    TEXT NOT NULL DEFAULT '' CHECK (length(conversation_report) <= 4000),
    decision               TEXT NOT NULL DEFAULT '' CHECK (decision IN
                              ('','toegelaten','voorwaardelijk','niet_toegelaten')),
    decision_reason        TEXT NOT NULL DEFAULT '' CHECK (length(decision_reason) <= 4000),
    decided_at             TEXT,
    decided_by             INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    archived               INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
    version                INTEGER NOT NULL DEFAULT 1,
    created_by             INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    CHECK (period_from <= period_to)
) STRICT;
CREATE INDEX review_aanbieder ON review(aanbieder_id, id);
CREATE INDEX review_owner ON review(owner_org_id, id);

-- The applicable criteria of a review (fixed when the review is made) with the aanbieder's
-- self-declaration. applicable 0 needs a reason.
CREATE TABLE review_item (
    review_id        INTEGER NOT NULL REFERENCES review(id) ON DELETE CASCADE,
    criterion_id     INTEGER NOT NULL REFERENCES criterion(id) ON DELETE RESTRICT,
    applicable       INTEGER NOT NULL DEFAULT 1 CHECK (applicable IN (0,1)),
    not_applicable_reason TEXT NOT NULL DEFAULT '' CHECK (length(not_applicable_reason) <= 4000),
    self_declaration TEXT NOT NULL DEFAULT '' CHECK (length(self_declaration) <= 16000),
    updated_at       TEXT,
    PRIMARY KEY (review_id, criterion_id)
) STRICT, WITHOUT ROWID;

-- One viewpoint's verdict on one criterion (triangulation). viewpoint: one bit of enum
-- review_viewpoint (1 aanbieder, 2 contractmanager, 4 toegang, 8 backoffice, 16 toezichthouder).
CREATE TABLE review_view (
    review_id    INTEGER NOT NULL REFERENCES review(id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES criterion(id) ON DELETE RESTRICT,
    viewpoint    INTEGER NOT NULL CHECK (viewpoint IN (1,2,4,8,16)),
    verdict      TEXT NOT NULL CHECK (verdict IN ('voldoet','deels','nog_niet','nvt')),
    reason       TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 16000),
    method       TEXT NOT NULL CHECK (method IN ('document','gesprek','onderzoek')),
    shared       INTEGER NOT NULL DEFAULT 1 CHECK (shared IN (0,1)),
    by_user      INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (review_id, criterion_id, viewpoint)
) STRICT, WITHOUT ROWID;

-- Which outcome indicators a criterion bears on (shown beside the criterion in a review).
CREATE TABLE criterion_indicator (
    criterion_id INTEGER NOT NULL REFERENCES criterion(id) ON DELETE CASCADE,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    PRIMARY KEY (criterion_id, indicator_id)
) STRICT, WITHOUT ROWID;
