-- 0010_bewijsstukken: evidence files (bewijsstukken) uploaded to a provider review (0009). The
-- bytes live outside the database, content addressed under <data_dir>/bewijsstukken/<2 hex>/
-- <sha256> (store/evidence_store.c); a row per upload. media_type is the type DETECTED from
-- the bytes (domain/evidence.c), never the client's. A removed file keeps its row (removed_at)
-- for the audit trail; its bytes go when no live row uses them. See docs/evidence.md.
CREATE TABLE evidence_file (
    id           INTEGER PRIMARY KEY,
    review_id    INTEGER NOT NULL REFERENCES review(id) ON DELETE CASCADE,
    criterion_id INTEGER REFERENCES criterion(id) ON DELETE SET NULL,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    media_type   TEXT NOT NULL CHECK (media_type IN ('pdf','docx','xlsx','odt','png','jpeg')),
    size         INTEGER NOT NULL CHECK (size BETWEEN 1 AND 20971520),
    sha256       TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    uploaded_by  INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    org_id       INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    uploaded_at  TEXT NOT NULL,
    scan_status  TEXT NOT NULL DEFAULT 'niet_gescand'
                    CHECK (scan_status IN ('niet_gescand','schoon','besmet','fout')),
    scanned_at   TEXT,
    removed_at   TEXT,
    removed_by   INTEGER REFERENCES user_account(id) ON DELETE SET NULL
) STRICT;
CREATE INDEX evidence_file_review ON evidence_file(review_id, id);
CREATE INDEX evidence_file_sha ON evidence_file(sha256);
