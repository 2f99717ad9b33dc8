#!/usr/bin/env python3
"""survey_fixture.py: puts an answerable survey round into a duiding data directory for the
HTTP and browser tests of the answering pages (tests/http/answer.test.mjs,
tests/browser/answer.test.mjs), without going through the builder's pages.

Usage: survey_fixture.py DATA_DIR
Writes (for the gemeente Emmen of the demo, owner = its organisation): a survey from the shipped
template data/vragenlijsten/jeugd-uitkomst.json plus a small questionnaire of every kind, an open
round with N invitation codes and an open link, a closed round with one code, and prints JSON:
{"survey": id, "round": id, "slug": "...", "codes": [...], "closed_code": "...", ...}.

The code hashes are computed exactly as domain/survey_round.h documents them:
  code_key  = BLAKE2b-256(key = pseudonym.key, message "duiding-enquetecode-v1")
  code_hash = BLAKE2b-256(key = code_key, message = normalised code)
"""
import hashlib
import json
import os
import secrets
import sqlite3
import sys
import time

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

DOC = {
    "versie": 1,
    "code": "test_alle_soorten",
    "titel": "Wat vindt u van de hulp?",
    "intro": "Het invullen duurt 3 minuten. Uw antwoorden zijn anoniem.",
    "secties": [
        {"code": "hulp", "titel": "De hulp", "vragen": [
            {"item": "wmo_ceo_1", "soort": "eens5", "tekst": "Ik voel me serieus genomen.",
             "verplicht": True},
            {"item": "tevreden_keuze", "soort": "keuze", "tekst": "Kreeg u de hulp die u vroeg?",
             "opties": [{"code": "ja", "label": "Ja"}, {"code": "nee", "label": "Nee"}]},
            {"item": "waarom_niet", "soort": "open", "tekst": "Wat kreeg u niet?",
             "als": {"item": "tevreden_keuze", "is": ["nee"]}},
        ]},
        {"code": "oordeel", "titel": "Uw oordeel", "vragen": [
            {"item": "hulp_cijfer", "soort": "cijfer", "tekst": "Welk cijfer geeft u de hulp?",
             "hulp": "1 is heel slecht, 10 is heel goed."},
            {"item": "wat_hielp", "soort": "meerkeuze", "tekst": "Wat hielp u?",
             "opties": [{"code": "gesprek", "label": "De gesprekken"},
                        {"code": "vervoer", "label": "Het vervoer"},
                        {"code": "thuis", "label": "Hulp in huis"}]},
            {"item": "opmerking", "soort": "open", "tekst": "Wilt u nog iets zeggen?"},
        ]},
    ],
}


def code():
    return "".join(secrets.choice(ALPHABET) for _ in range(10))


def main():
    data_dir = sys.argv[1]
    ncodes = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    key = open(os.path.join(data_dir, "pseudonym.key"), "rb").read()
    code_key = hashlib.blake2b(b"duiding-enquetecode-v1", key=key, digest_size=32).digest()
    db = sqlite3.connect(os.path.join(data_dir, "duiding.db"), timeout=30)
    db.execute("PRAGMA foreign_keys = ON")
    org = db.execute(
        "SELECT id, substr(cbs_code, 3) FROM organisation WHERE kind = 'gemeente' "
        "AND name LIKE '%Emmen%'").fetchone()
    prov = db.execute(
        "SELECT o.id FROM organisation o JOIN user_account u ON u.org_id = o.id "
        "WHERE u.login = 'kwaliteit.aanbieder'").fetchone()
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    today = int(time.time() // 86400)
    doc = json.dumps(DOC, ensure_ascii=False)
    cur = db.cursor()
    cur.execute(
        "INSERT INTO survey (owner_org_id, code, version, document, created_at, updated_at) "
        "VALUES (?, ?, 1, ?, ?, ?)", (org[0], DOC["code"] + "_" + secrets.token_hex(3), doc, now, now))
    survey = cur.lastrowid
    cur.execute("INSERT INTO survey_version (survey_id, version, document, changed_at) "
                "VALUES (?, 1, ?, ?)", (survey, doc, now))
    slug = secrets.token_urlsafe(18)[:24]

    def add_round(name, status, opens, closes, slug):
        cur.execute(
            "INSERT INTO survey_round (survey_id, survey_version, owner_org_id, name, gemeente, "
            "aanbieder_id, law, category, opens_on, closes_on, status, public_slug, created_at) "
            "VALUES (?, 1, ?, ?, ?, ?, 2, '02', ?, ?, ?, ?, ?)",
            (survey, org[0], name, org[1], prov[0], opens, closes, status, slug, now))
        return cur.lastrowid

    def add_codes(round_id, n):
        out = []
        for _ in range(n):
            c = code()
            h = hashlib.blake2b(c.encode(), key=code_key, digest_size=32).digest()
            cur.execute("INSERT INTO survey_invitation (round_id, code, code_hash) VALUES (?, ?, ?)",
                        (round_id, c, h))
            out.append(c[0:4] + "-" + c[4:8] + "-" + c[8:10])
        return out

    rid = add_round("Testronde open", "open", today - 10, today + 30, slug)
    codes = add_codes(rid, ncodes)
    closed = add_round("Testronde gesloten", "gesloten", today - 100, today - 50, None)
    closed_codes = add_codes(closed, 1)
    db.commit()
    print(json.dumps({"survey": survey, "round": rid, "slug": slug, "codes": codes,
                      "closed_round": closed, "closed_code": closed_codes[0],
                      "owner_org": org[0], "provider_org": prov[0]}))


if __name__ == "__main__":
    main()
