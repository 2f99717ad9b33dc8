-- 0007_backoffice.sql: the back-office role (bit 7: message traffic, claims and business
-- figures; one of the viewpoints of a provider review). user_account's CHECK allowed only
-- bits 0-6; SQLite cannot change a CHECK in place, so the table is rebuilt by its documented
-- procedure (new table, copy, drop, rename). The migration runner turns foreign-key
-- enforcement off around a migration and checks every reference before the commit.
CREATE TABLE user_account_new (
    id              INTEGER PRIMARY KEY,
    login           TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 3 AND 64),
    display_name    TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 480),
    org_id          INTEGER NOT NULL REFERENCES organisation(id) ON DELETE RESTRICT,
    roles           INTEGER NOT NULL CHECK (roles > 0 AND roles < 256),
    lang            TEXT NOT NULL DEFAULT 'nl' CHECK (lang IN ('nl','en')),
    password_hash   TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0,1)),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    last_login_at   TEXT
) STRICT;
INSERT INTO user_account_new
    (id, login, display_name, org_id, roles, lang, password_hash, must_change_password, active,
     created_at, updated_at, last_login_at)
SELECT id, login, display_name, org_id, roles, lang, password_hash, must_change_password, active,
       created_at, updated_at, last_login_at
FROM user_account;
DROP TABLE user_account;
ALTER TABLE user_account_new RENAME TO user_account;
CREATE INDEX user_account_org ON user_account(org_id);
