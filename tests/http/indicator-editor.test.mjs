// indicator-editor.test.mjs: the indicator editor over HTTP (web/page_indicator_edit.c) against a
// real `duiding serve` on the demo region: CSRF refusal, optimistic locking (a stale version
// answers 409 and keeps the user's text), the standard set is read-only except its settings and
// only for a beheerder, other organisations and roles are refused (403) before any validation,
// and hostile input (huge fields, invalid UTF-8, expressions over the language's limits, markup)
// is answered with a form error or a 400, never a 500 or a stored definition. What is stored is
// checked in the database itself with the sqlite3 tool.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { demoDataDir, removeDir, session, get, postForm } from './fixtures.mjs';

let dataDir;
let srv;
let emmen; // beleid.emmen: beleidsadviseur of gemeente Emmen
let hoogeveen; // beleid.hoogeveen: another gemeente
let raad; // raad.emmen
let provider; // kwaliteit.aanbieder
let admin; // beheerder

const STAMP = Date.now().toString(36);

function sql(query) {
    return execFileSync('sqlite3', ['-readonly', path.join(dataDir, 'duiding.db'), query], {
        encoding: 'utf8',
    }).trim();
}

function unescapeHtml(t) {
    return t
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
}

/** The text of the error message shown at field `name` (id fout-<name>), or undefined. */
function fieldError(html, name) {
    const m = html.match(new RegExp(`id="fout-${name}">([^<]*)<`));
    return m ? unescapeHtml(m[1]) : undefined;
}

/** Value of a text input or textarea named `name` as re-rendered by the server. */
function fieldValue(html, name) {
    const input = html.match(new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`));
    if (input) {
        const v = input[0].match(/\svalue="([^"]*)"/);
        return v ? unescapeHtml(v[1]) : '';
    }
    const area = html.match(new RegExp(`<textarea[^>]*\\bname="${name}"[^>]*>([\\s\\S]*?)</textarea>`));
    return area ? unescapeHtml(area[1]) : undefined;
}

/** A valid local definition as the editor's form fields. */
function definition(code, overrides = {}) {
    return {
        code,
        naam: `Snel klaar ${code}`,
        naam_en: 'Finished quickly',
        uitleg: 'Hoeveel jeugdhulptrajecten binnen 90 dagen klaar zijn.',
        bron: 'Afspraak gemeente Emmen',
        eenheid: 'traject',
        anker: 'einde',
        aggregatie: 'aandeel',
        populatie: 'wet = "jw" en niet open',
        gebeurtenis: 'doorlooptijd <= 90',
        polariteit: 'hoger_beter',
        kwadrant: 'hoe_goed',
        eenheid_waarde: 'procent',
        min_n: '10',
        ...overrides,
    };
}

async function create(who, fields) {
    return postForm(srv.url, '/indicatoren/nieuw', who.cookie, { csrf: who.csrf, ...fields });
}

function idFromLocation(res) {
    const loc = res.headers.get('location') ?? '';
    const m = loc.match(/^\/indicatoren\/(\d+)/);
    assert.ok(m, `redirect to the new indicator, got ${res.status} ${loc}`);
    return Number(m[1]);
}

before(async () => {
    dataDir = await demoDataDir();
    srv = await startServer({ dataDir });
    [emmen, hoogeveen, raad, provider, admin] = await Promise.all([
        session(srv.url, 'beleid.emmen'),
        session(srv.url, 'beleid.hoogeveen'),
        session(srv.url, 'raad.emmen'),
        session(srv.url, 'kwaliteit.aanbieder'),
        session(srv.url, 'beheerder'),
    ]);
});

after(async () => {
    await srv?.stop();
    await removeDir(dataDir);
});

test('a POST without the CSRF token is refused and stores nothing', async () => {
    const code = `csrf_${STAMP}`;
    const { res } = await postForm(srv.url, '/indicatoren/nieuw', emmen.cookie, definition(code));
    assert.equal(res.status, 403);
    const wrong = await postForm(srv.url, '/indicatoren/nieuw', emmen.cookie, {
        csrf: `${emmen.csrf.slice(0, -2)}xx`,
        ...definition(code),
    });
    assert.equal(wrong.res.status, 403);
    assert.equal(sql(`SELECT count(*) FROM indicator WHERE code = '${code}'`), '0');
    // With the token the same form is stored, owned by Emmen, with an audit event.
    const ok = await create(emmen, definition(code));
    assert.equal(ok.res.status, 303, ok.text.slice(0, 400));
    const id = idFromLocation(ok.res);
    const emmenOrg = sql(
        "SELECT o.id FROM organisation o JOIN user_account u ON u.org_id = o.id WHERE u.login = 'beleid.emmen'",
    );
    assert.equal(sql(`SELECT owner_org_id FROM indicator WHERE id = ${id}`), emmenOrg);
    assert.equal(sql(`SELECT count(*) FROM audit_event WHERE action = 'indicator.create' AND object_id = ${id}`), '1');
    const stored = JSON.parse(sql(`SELECT definition FROM indicator WHERE id = ${id}`));
    assert.equal(stored.code, code);
    assert.equal(stored.gebeurtenis.replace(/\s+/g, ' '), 'doorlooptijd <= 90');
});

test('an expression error is shown at its field with the column, and the form keeps the input', async () => {
    const code = `kolom_${STAMP}`;
    const bad = 'wet = "jw" en doorloptijd <= 90';
    const { res, text } = await create(emmen, definition(code, { populatie: bad }));
    assert.equal(res.status, 422);
    const msg = fieldError(text, 'populatie');
    assert.ok(msg, 'the problem is shown at the populatie field');
    assert.match(msg, /kolom 15/i, `the column of "doorloptijd" is named: ${msg}`);
    assert.equal(fieldValue(text, 'populatie'), bad, 'the typed expression is kept');
    assert.equal(fieldValue(text, 'naam'), `Snel klaar ${code}`);
    assert.match(text, /href="#veld-populatie"/, 'the summary links to the field');
    assert.equal(sql(`SELECT count(*) FROM indicator WHERE code = '${code}'`), '0');

    // Other problems land at their own fields, all at once.
    const many = await create(emmen, definition(code, { min_n: 'tien', aggregatie: 'gemiddelde', gebeurtenis: '' }));
    assert.equal(many.res.status, 422);
    assert.ok(fieldError(many.text, 'min_n'), 'min_n that is no number');
    assert.ok(fieldError(many.text, 'waarde'), 'a mean needs a waarde');
});

test('the preview compiles without saving; a broken definition shows its problems instead', async () => {
    const code = `voorbeeld_${STAMP}`;
    const ok = await postForm(srv.url, '/indicatoren/nieuw/voorbeeld', emmen.cookie, {
        csrf: emmen.csrf,
        ...definition(code),
    });
    assert.equal(ok.res.status, 200, ok.text.slice(0, 300));
    assert.match(ok.text, /id="voorbeeld"/);
    assert.match(ok.text, /<table/, 'a result table');
    assert.equal(sql(`SELECT count(*) FROM indicator WHERE code = '${code}'`), '0', 'nothing stored');
    const bad = await postForm(srv.url, '/indicatoren/nieuw/voorbeeld', emmen.cookie, {
        csrf: emmen.csrf,
        ...definition(code, { gebeurtenis: 'doorlooptijd <= ' }),
    });
    assert.equal(bad.res.status, 422);
    assert.ok(fieldError(bad.text, 'gebeurtenis'));
    assert.doesNotMatch(bad.text, /Voorbeeld per gemeente/);
});

test('a stale version answers 409, keeps the text, and carries the current version', async () => {
    const code = `versie_${STAMP}`;
    const id = idFromLocation((await create(emmen, definition(code))).res);
    const form = await get(srv.url, `/indicatoren/${id}/bewerken`, emmen.cookie);
    assert.equal(form.res.status, 200);
    assert.equal(fieldValue(form.text, 'versie'), '1');
    const first = await postForm(srv.url, `/indicatoren/${id}/bewerken`, emmen.cookie, {
        csrf: emmen.csrf,
        versie: '1',
        ...definition(code, { naam: 'Eerste wijziging' }),
    });
    assert.equal(first.res.status, 303);
    assert.equal(sql(`SELECT version FROM indicator WHERE id = ${id}`), '2');
    const stale = await postForm(srv.url, `/indicatoren/${id}/bewerken`, emmen.cookie, {
        csrf: emmen.csrf,
        versie: '1',
        ...definition(code, { naam: 'Tweede wijziging' }),
    });
    assert.equal(stale.res.status, 409);
    assert.equal(fieldValue(stale.text, 'naam'), 'Tweede wijziging');
    assert.equal(fieldValue(stale.text, 'versie'), '2');
    assert.equal(JSON.parse(sql(`SELECT definition FROM indicator WHERE id = ${id}`)).naam, 'Eerste wijziging');
    // The code cannot be changed through the form.
    const renamed = await postForm(srv.url, `/indicatoren/${id}/bewerken`, emmen.cookie, {
        csrf: emmen.csrf,
        versie: '2',
        ...definition(code, { code: 'iets_anders' }),
    });
    assert.equal(renamed.res.status, 303);
    assert.equal(sql(`SELECT code FROM indicator WHERE id = ${id}`), code);
    // The history names the changed key.
    const hist = await get(srv.url, `/indicatoren/${id}/versies`, emmen.cookie);
    assert.equal(hist.res.status, 200);
    assert.match(hist.text, /Versie 2/);
    assert.match(hist.text, /Eerste wijziging/);
    assert.equal(sql(`SELECT count(*) FROM indicator_version WHERE indicator_id = ${id}`), '3');
    // A missing version is a broken form, not an overwrite.
    const none = await postForm(srv.url, `/indicatoren/${id}/bewerken`, emmen.cookie, {
        csrf: emmen.csrf,
        ...definition(code),
    });
    assert.equal(none.res.status, 400);
});

test('a new definition can start from a copy of an existing one', async () => {
    const code = `bron_${STAMP}`;
    const id = idFromLocation((await create(emmen, definition(code, { gebeurtenis: 'doorlooptijd <= 45' }))).res);
    const page = await get(srv.url, `/indicatoren/nieuw?van=${id}`, emmen.cookie);
    assert.equal(page.res.status, 200);
    assert.equal(fieldValue(page.text, 'code'), `${code}_kopie`);
    assert.equal(fieldValue(page.text, 'naam'), `Snel klaar ${code} (kopie)`);
    assert.equal(fieldValue(page.text, 'gebeurtenis'), 'doorlooptijd <= 45');
    assert.equal(fieldValue(page.text, 'versie'), undefined, 'a copy is a new definition');
    // A nonsense source is simply an empty form.
    const none = await get(srv.url, '/indicatoren/nieuw?van=abc', emmen.cookie);
    assert.equal(none.res.status, 200);
    assert.equal(fieldValue(none.text, 'code'), '');
});

test('the standard set: only a beheerder changes it, and only its settings', async () => {
    const std = sql("SELECT id, version FROM indicator WHERE owner_org_id IS NULL AND code = 'jw_uitval'");
    assert.ok(std, 'the standard set is installed');
    const [id, version] = std.split('|').map(Number);
    for (const who of [emmen, raad, provider]) {
        const page = await get(srv.url, `/indicatoren/${id}/bewerken`, who.cookie);
        assert.equal(page.res.status, 403, `${who.login} GET`);
        const post = await postForm(srv.url, `/indicatoren/${id}/bewerken`, who.cookie, {
            csrf: who.csrf,
            versie: String(version),
            instelling_0_waarde: 'nee',
        });
        assert.equal(post.res.status, 403, `${who.login} POST`);
    }
    assert.equal(sql(`SELECT version FROM indicator WHERE id = ${id}`), String(version));

    const page = await get(srv.url, `/indicatoren/${id}/bewerken`, admin.cookie);
    assert.equal(page.res.status, 200);
    assert.equal(fieldValue(page.text, 'populatie'), undefined, 'no expression field for the standard set');
    assert.ok(page.text.includes('name="instelling_0_waarde"'), 'the setting is editable');
    const before = JSON.parse(sql(`SELECT definition FROM indicator WHERE id = ${id}`));
    const bad = await postForm(srv.url, `/indicatoren/${id}/bewerken`, admin.cookie, {
        csrf: admin.csrf,
        versie: String(version),
        instelling_0_waarde: 'misschien',
    });
    assert.equal(bad.res.status, 422);
    assert.ok(fieldError(bad.text, 'instelling_0_waarde'));
    const ok = await postForm(srv.url, `/indicatoren/${id}/bewerken`, admin.cookie, {
        csrf: admin.csrf,
        versie: String(version),
        instelling_0_waarde: before.instellingen[0].waarde ? 'nee' : 'ja',
        // A tampered form cannot change the definition itself.
        populatie: 'waar',
        naam: 'Overschreven',
    });
    assert.equal(ok.res.status, 303, ok.text.slice(0, 500));
    const after = JSON.parse(sql(`SELECT definition FROM indicator WHERE id = ${id}`));
    assert.equal(after.instellingen[0].waarde, !before.instellingen[0].waarde);
    assert.equal(after.populatie, before.populatie);
    assert.equal(after.naam, before.naam);
    assert.equal(sql(`SELECT count(*) FROM audit_event WHERE action = 'indicator.settings' AND object_id = ${id}`), '1');
    // Archiving the standard set is refused, also for the beheerder.
    const arch = await postForm(srv.url, `/indicatoren/${id}/archiveren`, admin.cookie, { csrf: admin.csrf });
    assert.equal(arch.res.status, 403);
    assert.equal(sql(`SELECT archived FROM indicator WHERE id = ${id}`), '0');
});

test('other organisations and roles are refused before any validation', async () => {
    const code = `eigen_${STAMP}`;
    const id = idFromLocation((await create(emmen, definition(code))).res);
    for (const who of [hoogeveen, raad, provider]) {
        assert.equal((await get(srv.url, `/indicatoren/${id}/bewerken`, who.cookie)).res.status, 403, who.login);
        const post = await postForm(srv.url, `/indicatoren/${id}/bewerken`, who.cookie, {
            csrf: who.csrf,
            versie: '1',
            ...definition(code, { populatie: 'onzin (' }),
        });
        assert.equal(post.res.status, 403, `${who.login} edit`);
        assert.doesNotMatch(post.text, /kolom/, 'no validation detail for someone who may not edit');
        const arch = await postForm(srv.url, `/indicatoren/${id}/archiveren`, who.cookie, { csrf: who.csrf });
        assert.equal(arch.res.status, 403, `${who.login} archive`);
    }
    for (const who of [raad, provider]) {
        assert.equal((await get(srv.url, '/indicatoren/nieuw', who.cookie)).res.status, 403, who.login);
        const post = await create(who, definition(`${who.login.replace('.', '_')}_${STAMP}`));
        assert.equal(post.res.status, 403);
        const tgt = await postForm(srv.url, `/indicatoren/${id}/streefwaarden`, who.cookie, {
            csrf: who.csrf,
            waarde: '80',
            geldig_van: '1-1-2025',
        });
        assert.equal(tgt.res.status, 403, `${who.login} target`);
        const page = await get(srv.url, `/indicatoren/${id}/streefwaarden`, who.cookie);
        assert.equal(page.res.status, 200);
        assert.doesNotMatch(page.text, /name="waarde"/, `${who.login} sees no target form`);
    }
    assert.equal(sql(`SELECT version FROM indicator WHERE id = ${id}`), '1');
    assert.equal(sql(`SELECT count(*) FROM indicator_target WHERE indicator_id = ${id}`), '0');
    // Unknown ids are 404, not 500.
    assert.equal((await get(srv.url, '/indicatoren/999999/bewerken', emmen.cookie)).res.status, 404);
    assert.equal((await get(srv.url, '/indicatoren/abc/versies', emmen.cookie)).res.status, 404);
});

test('targets: validation, adding, and deleting only by the organisation that agreed them', async () => {
    const code = `streef_${STAMP}`;
    const id = idFromLocation((await create(emmen, definition(code))).res);
    const bad = await postForm(srv.url, `/indicatoren/${id}/streefwaarden`, emmen.cookie, {
        csrf: emmen.csrf,
        waarde: '180',
        gemeente: '9999',
        geldig_van: '31-02-2025',
        geldig_tot: 'morgen',
    });
    assert.equal(bad.res.status, 422);
    for (const f of ['waarde', 'gemeente', 'geldig_van', 'geldig_tot']) assert.ok(fieldError(bad.text, f), f);
    const ok = await postForm(srv.url, `/indicatoren/${id}/streefwaarden`, emmen.cookie, {
        csrf: emmen.csrf,
        waarde: '72,5',
        geldig_van: '1-1-2025',
        geldig_tot: '31-12-2026',
        toelichting: 'Afspraak in het jeugdhulpcontract',
    });
    assert.equal(ok.res.status, 303, ok.text.slice(0, 300));
    const row = sql(`SELECT id, value, valid_from, valid_to FROM indicator_target WHERE indicator_id = ${id}`);
    const [tid, value] = row.split('|');
    assert.equal(Number(value), 72.5);
    const page = await get(srv.url, `/indicatoren/${id}/streefwaarden`, emmen.cookie);
    assert.match(page.text, /72,5/);
    assert.match(page.text, /1-1-2025|01-01-2025/);
    // Hoogeveen may not delete Emmen's target; Emmen may.
    const other = await postForm(srv.url, `/indicatoren/${id}/streefwaarden/${tid}/verwijderen`, hoogeveen.cookie, {
        csrf: hoogeveen.csrf,
    });
    assert.equal(other.res.status, 403);
    const wrongInd = await postForm(srv.url, `/indicatoren/${id + 100000}/streefwaarden/${tid}/verwijderen`, emmen.cookie, {
        csrf: emmen.csrf,
    });
    assert.equal(wrongInd.res.status, 404);
    const del = await postForm(srv.url, `/indicatoren/${id}/streefwaarden/${tid}/verwijderen`, emmen.cookie, {
        csrf: emmen.csrf,
    });
    assert.equal(del.res.status, 303);
    assert.equal(sql(`SELECT count(*) FROM indicator_target WHERE indicator_id = ${id}`), '0');
    assert.equal(sql(`SELECT count(*) FROM audit_event WHERE action LIKE 'indicator_target.%' AND object_id = ${tid}`), '2');
});

test('archiving removes it from editing', async () => {
    const code = `archief_${STAMP}`;
    const id = idFromLocation((await create(emmen, definition(code))).res);
    const arch = await postForm(srv.url, `/indicatoren/${id}/archiveren`, emmen.cookie, { csrf: emmen.csrf });
    assert.equal(arch.res.status, 303);
    assert.equal(sql(`SELECT archived FROM indicator WHERE id = ${id}`), '1');
    assert.equal((await get(srv.url, `/indicatoren/${id}/bewerken`, emmen.cookie)).res.status, 409);
});

test('hostile input: huge fields, invalid UTF-8, expressions over the limits, markup', async () => {
    const code = `vijand_${STAMP}`;
    const count = () => sql(`SELECT count(*) FROM indicator WHERE code = '${code}'`);

    // One field near the per-field limit, and a document over 64 kB in total.
    const huge = await create(emmen, definition(code, { uitleg: 'a'.repeat(60_000) }));
    assert.equal(huge.res.status, 422, `huge uitleg: ${huge.res.status}`);
    const total = await create(
        emmen,
        definition(code, { uitleg: 'b'.repeat(30_000), uitleg_en: 'c'.repeat(30_000), bron: 'd'.repeat(30_000) }),
    );
    assert.equal(total.res.status, 422);
    assert.match(total.text, /te groot|te lang/);

    // Over the expression limits: text, nesting, literals in one list.
    const longExpr = await create(emmen, definition(code, { populatie: `leeftijd >= 1 ${'en leeftijd >= 1 '.repeat(300)}` }));
    assert.equal(longExpr.res.status, 422);
    assert.ok(fieldError(longExpr.text, 'populatie'), 'expression over 4,096 bytes');
    const deep = await create(emmen, definition(code, { populatie: `${'('.repeat(200)}waar${')'.repeat(200)}` }));
    assert.equal(deep.res.status, 422);
    assert.ok(fieldError(deep.text, 'populatie'), 'nesting deeper than 32');
    const list = Array.from({ length: 65 }, (_, i) => `"${String(i).padStart(2, '0')}"`).join(', ');
    const wide = await create(emmen, definition(code, { populatie: `reden_cbs in (${list})` }));
    assert.equal(wide.res.status, 422);
    assert.ok(fieldError(wide.text, 'populatie'), 'more than 64 literals');
    const sqlish = await create(emmen, definition(code, { populatie: "1 = 1; DROP TABLE indicator; --" }));
    assert.equal(sqlish.res.status, 422);
    assert.ok(fieldError(sqlish.text, 'populatie'));

    // Invalid UTF-8 and NUL bytes never reach the handler.
    for (const bytes of ['%FF%FE', '%C0%AF', 'a%00b']) {
        const res = await fetch(`${srv.url}/indicatoren/nieuw`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: emmen.cookie },
            body: `csrf=${encodeURIComponent(emmen.csrf)}&code=${code}&naam=${bytes}`,
        });
        assert.equal(res.status, 400, `naam=${bytes}`);
    }

    // Markup is text, in the form and in the preview.
    const script = '<script>alert(1)</script>';
    const xss = await create(emmen, definition(code, { naam: script, populatie: `wet = "${script}"`, min_n: 'x' }));
    assert.equal(xss.res.status, 422);
    assert.ok(!xss.text.includes(script), 'markup is escaped');
    assert.ok(xss.text.includes('&lt;script&gt;'));

    // Settings rows past the maximum and unknown fields are ignored, not stored.
    const extra = await create(emmen, {
        ...definition(code),
        instelling_99_code: 'stiekem',
        instelling_99_waarde: 'ja',
        onbekend_veld: 'x',
    });
    assert.equal(extra.res.status, 303, extra.text.slice(0, 300));
    assert.equal(count(), '1');
    const stored = JSON.parse(sql(`SELECT definition FROM indicator WHERE code = '${code}'`));
    assert.equal(stored.instellingen ?? undefined, undefined);

    // The same code twice in one organisation, and a code of the standard set, are form errors.
    const dup = await create(emmen, definition(code));
    assert.equal(dup.res.status, 422);
    assert.ok(fieldError(dup.text, 'code'));
    const std = await create(emmen, definition('jw_uitval'));
    assert.equal(std.res.status, 422);
    assert.ok(fieldError(std.text, 'code'));

    const health = await fetch(`${srv.url}/gezondheid`);
    assert.equal(health.status, 200);
});

test('linking indicators to a societal result', async () => {
    const code = `koppel_${STAMP}`;
    const id = idFromLocation((await create(emmen, definition(code))).res);
    const result = sql(
        "SELECT r.id FROM societal_result r JOIN user_account u ON u.org_id = r.owner_org_id WHERE u.login = 'beleid.emmen' AND r.archived = 0 LIMIT 1",
    );
    assert.ok(result, 'the demo has a result of Emmen');
    const page = await get(srv.url, `/resultaten/${result}`, emmen.cookie);
    assert.equal(page.res.status, 200);
    assert.match(page.text, new RegExp(`name="indicator" value="${id}"`), 'the new indicator is offered');
    for (const who of [raad, hoogeveen, provider]) {
        const r = await postForm(srv.url, `/resultaten/${result}/indicatoren`, who.cookie, {
            csrf: who.csrf,
            indicator: String(id),
        });
        assert.ok([403, 404].includes(r.res.status), `${who.login}: ${r.res.status}`);
    }
    const raadPage = await get(srv.url, `/resultaten/${result}`, raad.cookie);
    assert.doesNotMatch(raadPage.text, /name="indicator"/, 'no link form for raad');
    const bogus = await postForm(srv.url, `/resultaten/${result}/indicatoren`, emmen.cookie, {
        csrf: emmen.csrf,
        indicator: '999999',
    });
    assert.equal(bogus.res.status, 422);
    const std = sql("SELECT id FROM indicator WHERE owner_org_id IS NULL AND code = 'jw_uitval'");
    const body = new URLSearchParams([
        ['csrf', emmen.csrf],
        ['indicator', String(id)],
        ['indicator', std],
        ['indicator', String(id)],
    ]);
    const ok = await postForm(srv.url, `/resultaten/${result}/indicatoren`, emmen.cookie, body);
    assert.equal(ok.res.status, 303);
    assert.equal(sql(`SELECT group_concat(indicator_id) FROM (SELECT indicator_id FROM result_indicator WHERE result_id = ${result} ORDER BY position)`), `${id},${std}`);
    const after = await get(srv.url, `/resultaten/${result}`, raad.cookie);
    assert.match(after.text, new RegExp(`href="/dashboard\\?resultaat=${result}"`));
    assert.match(after.text, new RegExp(`Snel klaar ${code}`));
});
