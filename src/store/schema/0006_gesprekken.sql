-- 0006_gesprekken: the quality conversation cycle (DESIGN.md §2, docs/conversations.md): the
-- theory of change of a societal result (voorkant), conversations with their parties,
-- participants, preparation notes, frozen data packs, notes per phase, conclusions, the approval
-- of the minutes per side and the evaluation (achterkant), and improvement actions with their
-- history (follow-up). Days are day numbers (core/period.h day_t) like story.told_on;
-- timestamps ISO 8601 UTC text.

-- ---- Theory of change (verandertheorie) ----------------------------------------------------

-- One per societal result. The four starter questions of a front conversation are kept here
-- (what do we know about this topic here, about what helps, what do providers do, with what
-- result). version is bumped by every change of the theory or one of its activities.
CREATE TABLE theory (
    result_id      INTEGER PRIMARY KEY REFERENCES societal_result(id) ON DELETE CASCADE,
    known_here     TEXT NOT NULL DEFAULT '' CHECK (length(known_here) <= 8000),
    known_helps    TEXT NOT NULL DEFAULT '' CHECK (length(known_helps) <= 8000),
    providers_do   TEXT NOT NULL DEFAULT '' CHECK (length(providers_do) <= 8000),
    with_result    TEXT NOT NULL DEFAULT '' CHECK (length(with_result) <= 8000),
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER REFERENCES user_account(id) ON DELETE SET NULL
) STRICT;

-- A link in the chain: an activity (by an aanbieder, or a programme of the gemeente itself)
-- with why it should help, what it needs, and the outcomes expected.
CREATE TABLE theory_activity (
    id             INTEGER PRIMARY KEY,
    result_id      INTEGER NOT NULL REFERENCES theory(result_id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    aanbieder_id   INTEGER REFERENCES organisation(id) ON DELETE SET NULL,
    product        TEXT NOT NULL DEFAULT '' CHECK (length(product) <= 160),
    description    TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
    assumptions    TEXT NOT NULL DEFAULT '' CHECK (length(assumptions) <= 8000),
    conditions     TEXT NOT NULL DEFAULT '' CHECK (length(conditions) <= 8000),
    outcomes       TEXT NOT NULL DEFAULT '' CHECK (length(outcomes) <= 8000)
) STRICT;
CREATE INDEX theory_activity_result ON theory_activity(result_id, position);
CREATE INDEX theory_activity_aanbieder ON theory_activity(aanbieder_id);

-- The indicators that should show an activity's expected outcomes.
CREATE TABLE theory_activity_indicator (
    activity_id  INTEGER NOT NULL REFERENCES theory_activity(id) ON DELETE CASCADE,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, indicator_id)
) STRICT, WITHOUT ROWID;

-- Every saved version of a theory as a canonical JSON document: who changed what, when
-- (the history page compares two versions). Append-only.
CREATE TABLE theory_version (
    result_id    INTEGER NOT NULL REFERENCES theory(result_id) ON DELETE CASCADE,
    version      INTEGER NOT NULL,
    at           TEXT NOT NULL,
    user_id      INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    user_login   TEXT,
    summary      TEXT NOT NULL CHECK (length(summary) <= 480), -- what changed, in words
    document     TEXT NOT NULL,
    PRIMARY KEY (result_id, version)
) STRICT;
CREATE TRIGGER theory_version_no_update BEFORE UPDATE ON theory_version
BEGIN SELECT RAISE(ABORT, 'theory_version is append-only'); END;

-- ---- Conversations (kwaliteitsgesprekken) --------------------------------------------------

-- kind voorkant: about results and the theory of change; achterkant: about the data.
-- owner_org_id is the gemeente (or region) that plans it. status: gepland -> voorbereid (a data
-- pack is frozen) -> gehouden (notes taken) -> afgerond (conclusions, actions) ; or geannuleerd.
-- previous_id: the conversation this one follows up (its open actions start the new pack).
CREATE TABLE conversation (
    id            INTEGER PRIMARY KEY,
    owner_org_id  INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    kind          TEXT NOT NULL CHECK (kind IN ('voorkant','achterkant')),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 240),
    goal          TEXT NOT NULL DEFAULT '' CHECK (length(goal) <= 4000),
    gemeente      TEXT CHECK (gemeente IS NULL OR length(gemeente) = 4), -- CBS code without GM
    period_from   INTEGER NOT NULL,
    period_to     INTEGER NOT NULL CHECK (period_to >= period_from),
    held_on       INTEGER NOT NULL,  -- the planned (then actual) date
    place         TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 240),
    status        TEXT NOT NULL DEFAULT 'gepland'
                    CHECK (status IN ('gepland','voorbereid','gehouden','afgerond','geannuleerd')),
    previous_id   INTEGER REFERENCES conversation(id) ON DELETE SET NULL,
    summary       TEXT NOT NULL DEFAULT '' CHECK (length(summary) <= 8000),
    conclusions   TEXT NOT NULL DEFAULT '' CHECK (length(conclusions) <= 8000),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    created_by    INTEGER REFERENCES user_account(id) ON DELETE SET NULL
) STRICT;
CREATE INDEX conversation_owner ON conversation(owner_org_id, held_on);
CREATE INDEX conversation_previous ON conversation(previous_id);

CREATE TABLE conversation_result (
    conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
    result_id       INTEGER NOT NULL REFERENCES societal_result(id) ON DELETE RESTRICT,
    PRIMARY KEY (conversation_id, result_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX conversation_result_result ON conversation_result(result_id);

-- The organisations that take part (the owner is always one). side says which side of the table:
-- gemeente (gemeente/region staff), aanbieder, samenwerkingsverband (a region or toegang team).
-- approved_*: the recorded approval of the minutes by this side (both sides approve before the
-- minutes may be shared or exported).
CREATE TABLE conversation_party (
    conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
    org_id          INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    side            TEXT NOT NULL CHECK (side IN ('gemeente','aanbieder','samenwerkingsverband')),
    approved_at     TEXT,
    approved_by     INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    PRIMARY KEY (conversation_id, org_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX conversation_party_org ON conversation_party(org_id);

-- Invited people (user accounts, of a party organisation or invited from elsewhere) with their
-- role in this conversation.
CREATE TABLE conversation_participant (
    conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('gespreksleider','notulist','deelnemer','toehoorder')),
    PRIMARY KEY (conversation_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX conversation_participant_user ON conversation_participant(user_id);

-- Preparation notes: written by a person for their own side (org_id); visible to that side
-- only until shared (shared_at set), then to every participant of the conversation.
CREATE TABLE conversation_prep_note (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
    org_id          INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    author_id       INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    body            TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 8000),
    shared_at       TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX conversation_prep_note_conv ON conversation_prep_note(conversation_id);

-- Notes per phase of the run-sheet (herkennen, begrijpen, waarderen, verbeteren), with the
-- minutes planned for the phase (the timer) and optimistic locking for two note-takers.
CREATE TABLE conversation_phase (
    conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
    phase           TEXT NOT NULL CHECK (phase IN ('herkennen','begrijpen','waarderen','verbeteren')),
    notes           TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
    planned_minutes INTEGER NOT NULL DEFAULT 0 CHECK (planned_minutes BETWEEN 0 AND 240),
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      TEXT,
    updated_by      INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    PRIMARY KEY (conversation_id, phase)
) STRICT, WITHOUT ROWID;

-- The evaluation of the conversation itself, one per participant: how did it go (1-5), was the
-- goal reached (ja/deels/nee), what helped, tips for next time. Aggregated per region.
CREATE TABLE conversation_evaluation (
    conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    org_id          INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    rating          INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    goal_reached    TEXT NOT NULL CHECK (goal_reached IN ('ja','deels','nee')),
    went_well       TEXT NOT NULL DEFAULT '' CHECK (length(went_well) <= 4000),
    tips            TEXT NOT NULL DEFAULT '' CHECK (length(tips) <= 4000),
    at              TEXT NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
) STRICT, WITHOUT ROWID;

-- A data pack: the frozen snapshot the conversation is prepared with (figures through the
-- disclosure module, stories, context events, survey results, open actions and how their
-- indicators moved). document is canonical JSON; sha256 its hash (shown on the pack and the
-- PDF). A pack is never changed; a remade pack is a new row and the newest one counts.
CREATE TABLE data_pack (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    data_date       INTEGER NOT NULL,         -- peildatum of the figures
    data_change_id  INTEGER NOT NULL DEFAULT 0, -- newest data_change.id at freezing time
    document        TEXT NOT NULL,
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64)
) STRICT;
CREATE INDEX data_pack_conversation ON data_pack(conversation_id, id);
CREATE TRIGGER data_pack_frozen BEFORE UPDATE ON data_pack
BEGIN SELECT RAISE(ABORT, 'a data pack is frozen'); END;

-- ---- Improvement actions (verbeteracties) --------------------------------------------------

-- An action agreed in a conversation (or added later to one). owner_org_id: the party that owns
-- it (side: gemeente, aanbieder or samenwerkingsverband); owner_user_id: the person, when they
-- have an account. status open -> bezig -> klaar, or vervallen with a reason.
CREATE TABLE improvement_action (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER REFERENCES conversation(id) ON DELETE SET NULL,
    owner_org_id    INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    owner_side      TEXT NOT NULL CHECK (owner_side IN ('gemeente','aanbieder','samenwerkingsverband')),
    owner_user_id   INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    description     TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
    expected_effect TEXT NOT NULL DEFAULT '' CHECK (length(expected_effect) <= 4000),
    due_on          INTEGER NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','bezig','klaar','vervallen')),
    drop_reason     TEXT NOT NULL DEFAULT '' CHECK (length(drop_reason) <= 4000),
    gemeente        TEXT CHECK (gemeente IS NULL OR length(gemeente) = 4), -- for the overviews
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    created_by      INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    CHECK (status <> 'vervallen' OR length(drop_reason) > 0)
) STRICT;
CREATE INDEX improvement_action_conv ON improvement_action(conversation_id);
CREATE INDEX improvement_action_owner ON improvement_action(owner_org_id, status);
CREATE INDEX improvement_action_due ON improvement_action(status, due_on);

-- The indicators an action should move, with the value shown when it was agreed (the baseline
-- for "how did it move since"; NULL when the figure was hidden or absent).
CREATE TABLE improvement_action_indicator (
    action_id      INTEGER NOT NULL REFERENCES improvement_action(id) ON DELETE CASCADE,
    indicator_id   INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    baseline       REAL,
    baseline_period TEXT, -- e.g. "2025-Q4"
    PRIMARY KEY (action_id, indicator_id)
) STRICT, WITHOUT ROWID;

-- Every status change and edit of an action: the lifecycle. Append-only.
CREATE TABLE improvement_action_event (
    id          INTEGER PRIMARY KEY,
    action_id   INTEGER NOT NULL REFERENCES improvement_action(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    user_login  TEXT,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 4000)
) STRICT;
CREATE INDEX improvement_action_event_action ON improvement_action_event(action_id, id);
CREATE TRIGGER improvement_action_event_no_update BEFORE UPDATE ON improvement_action_event
BEGIN SELECT RAISE(ABORT, 'improvement_action_event is append-only'); END;
