-- 0008_contracten: contracts between a gemeente or region and an aanbieder (products, period,
-- execution variant, budget, omzetplafond), their outcome agreements, and the claim lines of
-- JW323/WMO323 messages. See docs/contracts.md.

CREATE TABLE contract (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 800),
    owner_org_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    aanbieder_id INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    law          INTEGER NOT NULL CHECK (law IN (1,2)),
    variant      TEXT NOT NULL
                 CHECK (variant IN ('inspanningsgericht','outputgericht','taakgericht')),
    valid_from   INTEGER NOT NULL, -- day_t
    valid_to     INTEGER,          -- day_t, NULL = open-ended
    budget_cents INTEGER NOT NULL DEFAULT 0 CHECK (budget_cents BETWEEN 0 AND 100000000000000),
    cap_cents    INTEGER CHECK (cap_cents IS NULL OR cap_cents BETWEEN 0 AND 100000000000000),
    note         TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 16000),
    version      INTEGER NOT NULL DEFAULT 1,
    archived     INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    updated_by   INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
) STRICT;
CREATE INDEX contract_owner ON contract(owner_org_id);
CREATE INDEX contract_aanbieder ON contract(aanbieder_id);

-- The gemeenten taking part (CBS code). A gemeente's contract has exactly its own code; a
-- region's contract a subset of the region's gemeenten (checked by domain/contract.c).
CREATE TABLE contract_gemeente (
    contract_id INTEGER NOT NULL REFERENCES contract(id) ON DELETE CASCADE,
    gemeente    TEXT NOT NULL CHECK (length(gemeente) = 4),
    PRIMARY KEY (contract_id, gemeente)
) STRICT, WITHOUT ROWID;

-- The products: a category (JZ020 / WMO020) and optionally one product code ('' = the whole
-- category).
CREATE TABLE contract_product (
    contract_id INTEGER NOT NULL REFERENCES contract(id) ON DELETE CASCADE,
    category    TEXT NOT NULL CHECK (length(category) = 2),
    code        TEXT NOT NULL DEFAULT '' CHECK (length(code) <= 5),
    PRIMARY KEY (contract_id, category, code)
) STRICT, WITHOUT ROWID;

-- Outcome agreements are indicator targets linked to their contract, so that everything that
-- reads targets (dashboards, data packs) uses them unchanged. comparison says whether the
-- value must be at least ('min') or at most ('max') the target; NULL for targets that are not
-- agreements (the indicator's own direction applies).
ALTER TABLE indicator_target ADD COLUMN contract_id INTEGER REFERENCES contract(id)
    ON DELETE CASCADE;
ALTER TABLE indicator_target ADD COLUMN comparison TEXT
    CHECK (comparison IS NULL OR comparison IN ('min','max'));
CREATE INDEX indicator_target_contract ON indicator_target(contract_id)
    WHERE contract_id IS NOT NULL;

-- One claim line (Prestatie) of a JW323/WMO323 declaration. The client is kept as the
-- pseudonym of the BSN (same key as person.pseudonym), never the BSN. Removed with the batch
-- on undo (ingest/batch.c), like facts and message identities.
CREATE TABLE claim_line (
    id             INTEGER PRIMARY KEY,
    batch_id       INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
    law            INTEGER NOT NULL CHECK (law IN (1,2)),
    aanbieder_id   INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    gemeente       TEXT NOT NULL CHECK (length(gemeente) = 4),
    declaration_nr TEXT NOT NULL CHECK (length(declaration_nr) BETWEEN 1 AND 12),
    message_ident  TEXT NOT NULL,
    reference      TEXT NOT NULL DEFAULT '',
    assignment_nr  INTEGER,
    category       TEXT NOT NULL CHECK (length(category) = 2),
    product_code   TEXT NOT NULL DEFAULT '' CHECK (length(product_code) <= 5),
    period_from    INTEGER NOT NULL,
    period_to      INTEGER NOT NULL,
    volume         INTEGER,
    unit           TEXT,
    tariff_cents   INTEGER,
    amount_cents   INTEGER NOT NULL CHECK (amount_cents BETWEEN 0 AND 99999999),
    credit         INTEGER NOT NULL CHECK (credit IN (0,1)),
    client         BLOB NOT NULL CHECK (length(client) = 32),
    test_person    INTEGER NOT NULL DEFAULT 0 CHECK (test_person IN (0,1)),
    CHECK (period_to >= period_from)
) STRICT;
CREATE INDEX claim_line_batch ON claim_line(batch_id);
CREATE INDEX claim_line_aanbieder ON claim_line(aanbieder_id, period_from);
