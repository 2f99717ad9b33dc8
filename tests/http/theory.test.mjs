// theory.test.mjs: the theory of change over HTTP against a real demo server: the demo's
// theories (two versions by different users), the pages for every role (read for all, edit
// buttons only for editors), adding/editing/moving/deleting activities with CSRF and optimistic
// locking, the aanbieder's own-activities rule on pages and API, bad input with the field named,
// escaping of hostile text, the history with the field-by-field comparison, the API
// (GET/PUT/versions; every answer checked against data/openapi.json) and the link from the
// result page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, formField } from '../lib/server.mjs';
import { checkAnswer } from '../lib/openapi.mjs';
import { session, get, postForm } from './fixtures.mjs';

const API = '/api/v1';
let srv;
const who = {};
let emmenId;
let rid; // an Emmen result whose demo theory names the aanbieder of kwaliteit.aanbieder
let regionRid; // a region result: no theory in the demo

async function api(method, p, { as, body, raw, contentType, csrf = true } = {}) {
    const h = { accept: 'application/json' };
    if (as) {
        h.cookie = who[as].cookie;
        if (method !== 'GET' && csrf) h['x-csrf-token'] = who[as].csrf;
    }
    const payload = raw ?? (body !== undefined ? JSON.stringify(body) : undefined);
    if (payload !== undefined) h['content-type'] = contentType ?? 'application/json';
    const res = await fetch(srv.url + API + p, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await res.text();
    const ct = res.headers.get('content-type') ?? '';
    const json = /json/.test(ct) && text ? JSON.parse(text) : undefined;
    if (res.status >= 400 && res.status !== 401)
        assert.match(ct, /^application\/problem\+json/, `${method} ${p} -> ${res.status} ${text}`);
    if (res.status !== 401) checkAnswer(method, p, res.status, json);
    return { status: res.status, json, text };
}

const page = (p, as) => get(srv.url, p, as ? who[as].cookie : undefined);
const post = (p, as, fields, { csrf = true } = {}) =>
    postForm(srv.url, p, who[as].cookie, csrf ? { csrf: who[as].csrf, ...fields } : fields);
const theoryPath = (id, sfx = '') => `/resultaten/${id}/verandertheorie${sfx}`;
const current = async (id, as = 'beleid.emmen') => (await api('GET', `/maatschappelijke-resultaten/${id}/verandertheorie`, { as })).json;

before(async () => {
    srv = await startServer({ demo: true });
    for (const l of ['beheerder', 'beleid.regio', 'contract.regio', 'beleid.emmen', 'beleid.hoogeveen', 'kwaliteit.aanbieder', 'professional.aanbieder', 'raad.emmen', 'toezicht.ggd'])
        who[l] = await session(srv.url, l);
    const orgs = (await api('GET', '/organisaties?paginaGrootte=1000', { as: 'beheerder' })).json.items;
    emmenId = orgs.find((o) => o.naam === 'Emmen').id;
    const region = orgs.find((o) => o.soort === 'regio').id;
    const me = (await api('GET', '/ik', { as: 'kwaliteit.aanbieder' })).json;
    const mine = me.organisatieId ?? me.organisatie?.id;
    const rs = (await api('GET', `/maatschappelijke-resultaten?eigenaar=${emmenId}`, { as: 'beleid.emmen' })).json.items;
    for (const r of rs) {
        const t = await current(r.id);
        if (t.versie >= 2 && t.activiteiten.some((a) => a.aanbieder && a.aanbieder.id === mine)) {
            rid = r.id;
            break;
        }
    }
    assert.ok(rid, 'the demo has an Emmen theory naming the aanbieder of kwaliteit.aanbieder');
    regionRid = (await api('GET', `/maatschappelijke-resultaten?eigenaar=${region}`, { as: 'beleid.regio' })).json.items[0].id;
});

after(async () => {
    await srv?.stop();
});

test('the demo theory: starters, three activities, two versions by different users', async () => {
    const t = await current(rid, 'raad.emmen');
    assert.equal(t.resultaat.id, rid);
    assert.ok(t.versie >= 2);
    assert.ok(t.startvragen.bekendHier.length > 20);
    assert.equal(t.activiteiten.length, 3);
    assert.ok(t.activiteiten.every((a) => a.beschrijving && a.aannames && a.uitkomsten));
    assert.ok(t.activiteiten.some((a) => a.aanbieder === null), 'a programme of the gemeente itself');
    assert.ok(t.activiteiten.some((a) => a.indicatoren.length >= 1));
    const v = await api('GET', `/maatschappelijke-resultaten/${rid}/verandertheorie/versies`, { as: 'raad.emmen' });
    assert.equal(v.status, 200);
    assert.equal(v.json.totaal, t.versie);
    const authors = new Set(v.json.items.map((x) => x.gewijzigdDoor));
    assert.ok(authors.size >= 2, `versions by different users: ${[...authors]}`);
    assert.match(v.json.items.at(-1).samenvatting, /activiteit 1 \(.+\) toegevoegd/);
    const v1 = await api('GET', `/maatschappelijke-resultaten/${rid}/verandertheorie/versies/1`, { as: 'raad.emmen' });
    assert.equal(v1.status, 200);
    assert.equal(v1.json.versie, 1);
    assert.equal((await api('GET', `/maatschappelijke-resultaten/${rid}/verandertheorie/versies/999`, { as: 'raad.emmen' })).status, 404);
    assert.equal((await api('GET', '/maatschappelijke-resultaten/999999/verandertheorie', { as: 'raad.emmen' })).status, 404);
    assert.equal((await fetch(`${srv.url}${API}/maatschappelijke-resultaten/${rid}/verandertheorie`)).status, 401);
});

test('pages: every role reads the chain; only editors see the edit buttons; link from the result', async () => {
    const t = await current(rid);
    for (const l of Object.keys(who)) {
        const { res, text } = await page(theoryPath(rid), l);
        assert.equal(res.status, 200, `${l}`);
        for (const a of t.activiteiten) assert.ok(text.includes(a.beschrijving.replace(/'/g, '&#39;').slice(0, 30)), `${l} sees ${a.product}`);
        assert.match(text, /Waarom het helpt/);
        assert.match(text, /href="\/static\/theory\.css"/);
        const edits = /Activiteit toevoegen/.test(text);
        assert.equal(edits, ['beheerder', 'beleid.emmen', 'kwaliteit.aanbieder'].includes(l), `${l} edit button`);
        assert.equal(/Startvragen bewerken/.test(text), ['beheerder', 'beleid.emmen'].includes(l), `${l} starters button`);
    }
    const anon = await page(theoryPath(rid));
    assert.equal(anon.res.status, 303);
    const r = await page(`/resultaten/${rid}`, 'raad.emmen');
    assert.ok(r.text.includes(`href="/resultaten/${rid}/verandertheorie"`));
    assert.equal((await page(theoryPath(rid, '/startvragen'), 'raad.emmen')).res.status, 403);
    assert.equal((await page(theoryPath(rid, '/startvragen'), 'kwaliteit.aanbieder')).res.status, 403);
    assert.equal((await page(theoryPath(rid, '/startvragen'), 'beleid.emmen')).res.status, 200);
});

test('add, edit, move and delete an activity with CSRF, locking and field errors', async () => {
    let t = await current(rid);
    const base = { versie: String(t.versie), product: 'Buurtsportcoach', beschrijving: 'Sport en spel na school in elke wijk.', aannames: 'Bewegen helpt tegen somberheid.' };
    // Without CSRF: refused, nothing saved.
    const noCsrf = await post(theoryPath(rid, '/activiteiten'), 'beleid.emmen', base, { csrf: false });
    assert.equal(noCsrf.res.status, 403);
    // Missing description: 422 with the field named.
    const bad = await post(theoryPath(rid, '/activiteiten'), 'beleid.emmen', { ...base, beschrijving: '  ' });
    assert.equal(bad.res.status, 422);
    assert.match(bad.text, /id="fout-beschrijving"/);
    // An indicator that is not a number: 422 at the indicators.
    const badInd = await post(theoryPath(rid, '/activiteiten'), 'beleid.emmen', { ...base, indicator: 'x' });
    assert.equal(badInd.res.status, 422);
    // Hostile text is stored and shown escaped.
    const ok = await post(theoryPath(rid, '/activiteiten'), 'beleid.emmen', { ...base, voorwaarden: '<script>alert(1)</script>' });
    assert.equal(ok.res.status, 303, ok.text);
    const shown = await page(theoryPath(rid), 'raad.emmen');
    assert.ok(!shown.text.includes('<script>alert(1)</script>'));
    assert.ok(shown.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    t = await current(rid);
    const added = t.activiteiten.at(-1);
    assert.equal(added.product, 'Buurtsportcoach');
    // Stale version: 409, the form again with a notice.
    const stale = await post(theoryPath(rid, '/activiteiten'), 'beleid.emmen', base);
    assert.equal(stale.res.status, 409);
    assert.match(stale.text, /intussen gewijzigd/);
    // Edit form carries the version; move up; the order changes.
    const form = await page(theoryPath(rid, `/activiteiten/${added.id}/bewerken`), 'beleid.emmen');
    assert.equal(formField(form.text, 'versie'), String(t.versie));
    const up = await post(theoryPath(rid, `/activiteiten/${added.id}/omhoog`), 'beleid.emmen', { versie: String(t.versie) });
    assert.equal(up.res.status, 303);
    t = await current(rid);
    assert.equal(t.activiteiten.at(-2).id, added.id);
    // Delete: gone, and the history says so.
    const del = await post(theoryPath(rid, `/activiteiten/${added.id}/verwijderen`), 'beleid.emmen', { versie: String(t.versie) });
    assert.equal(del.res.status, 303);
    t = await current(rid);
    assert.ok(!t.activiteiten.some((a) => a.id === added.id));
    const hist = await api('GET', `/maatschappelijke-resultaten/${rid}/verandertheorie/versies`, { as: 'raad.emmen' });
    assert.match(hist.json.items[0].samenvatting, /\(Buurtsportcoach\) verwijderd/);
    assert.match(hist.json.items[1].samenvatting, /\(Buurtsportcoach\) verplaatst/);
});

test('an aanbieder changes only its own activities (pages and API)', async () => {
    const me = (await api('GET', '/ik', { as: 'kwaliteit.aanbieder' })).json;
    const mine = me.organisatieId ?? me.organisatie?.id;
    let t = await current(rid);
    const own = t.activiteiten.find((a) => a.aanbieder && a.aanbieder.id === mine);
    const other = t.activiteiten.find((a) => !a.aanbieder || a.aanbieder.id !== mine);
    // Own: the edit page and a save work.
    assert.equal((await page(theoryPath(rid, `/activiteiten/${own.id}/bewerken`), 'kwaliteit.aanbieder')).res.status, 200);
    const save = await post(theoryPath(rid, `/activiteiten/${own.id}`), 'kwaliteit.aanbieder', {
        versie: String(t.versie), aanbieder: String(mine), product: own.product, beschrijving: own.beschrijving,
        aannames: own.aannames, voorwaarden: own.voorwaarden, uitkomsten: `${own.uitkomsten} Ook minder wachttijd.`,
    });
    assert.equal(save.res.status, 303, save.text);
    t = await current(rid);
    // Another's: refused on the page, the form post and the API.
    assert.equal((await page(theoryPath(rid, `/activiteiten/${other.id}/bewerken`), 'kwaliteit.aanbieder')).res.status, 403);
    const deny = await post(theoryPath(rid, `/activiteiten/${other.id}`), 'kwaliteit.aanbieder', { versie: String(t.versie), beschrijving: 'Overschreven' });
    assert.equal(deny.res.status, 403);
    const doc = structuredClone(t);
    doc.activiteiten.find((a) => a.id === other.id).beschrijving = 'Overschreven';
    const put = await api('PUT', `/maatschappelijke-resultaten/${rid}/verandertheorie`, { as: 'kwaliteit.aanbieder', body: doc });
    assert.equal(put.status, 403);
    assert.equal((await current(rid)).versie, t.versie);
    // Not named in this theory at all, or no content role: refused.
    const raad = await post(theoryPath(rid, '/startvragen'), 'raad.emmen', { versie: String(t.versie), bekendHier: 'x' });
    assert.equal(raad.res.status, 403);
    const prof = await post(theoryPath(rid, '/activiteiten'), 'professional.aanbieder', { versie: String(t.versie), beschrijving: 'x' });
    assert.equal(prof.res.status, 403);
});

test('API: PUT with locking, strict input, media type and CSRF', async () => {
    const p = `/maatschappelijke-resultaten/${regionRid}/verandertheorie`;
    let t = await current(regionRid, 'beleid.regio');
    assert.equal(t.versie, 0);
    assert.deepEqual(t.activiteiten, []);
    const body = {
        versie: 0,
        startvragen: { bekendHier: 'In de regio stijgt het gebruik van jeugdhulp.' },
        activiteiten: [{ product: 'Regionale expertisetafel', beschrijving: 'Een tafel voor complexe casussen.', indicatoren: [{ id: 1 }] }],
    };
    assert.equal((await api('PUT', p, { as: 'beleid.regio', body, csrf: false })).status, 403);
    assert.equal((await api('PUT', p, { as: 'beleid.regio', raw: JSON.stringify(body), contentType: 'text/plain' })).status, 415);
    assert.equal((await api('PUT', p, { as: 'beleid.regio', body: { ...body, onbekend: 1 } })).status, 400);
    assert.equal((await api('PUT', p, { as: 'beleid.regio', body: { startvragen: {} } })).status, 400);
    const tooLong = await api('PUT', p, { as: 'beleid.regio', body: { ...body, activiteiten: [{ beschrijving: 'x'.repeat(4001) }] } });
    assert.equal(tooLong.status, 400);
    assert.ok(tooLong.json.invalidParams.some((x) => x.name === 'beschrijving'), tooLong.text);
    assert.equal((await api('PUT', p, { as: 'beleid.emmen', body })).status, 403);
    const ok = await api('PUT', p, { as: 'beleid.regio', body });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.versie, 1);
    assert.equal(ok.json.activiteiten[0].indicatoren[0].id, 1);
    assert.ok(ok.json.activiteiten[0].indicatoren[0].naam);
    // The same document again with the old version: 409. With the new: no change, no version.
    assert.equal((await api('PUT', p, { as: 'contract.regio', body })).status, 409);
    const same = await api('PUT', p, { as: 'contract.regio', body: { ...ok.json, versie: 1 } });
    assert.equal(same.status, 200);
    assert.equal(same.json.versie, 1);
    t = await current(regionRid, 'raad.emmen');
    assert.equal(t.startvragen.bekendHier, 'In de regio stijgt het gebruik van jeugdhulp.');
});

test('history page: list of versions and the field-by-field comparison', async () => {
    const { res, text } = await page(theoryPath(rid, '/versies'), 'toezicht.ggd');
    assert.equal(res.status, 200);
    assert.match(text, /Alle versies, nieuwste eerst/);
    const cmp = await page(theoryPath(rid, '/versies?van=1&tot=2'), 'toezicht.ggd');
    assert.equal(cmp.res.status, 200);
    assert.match(cmp.text, /Verschillen per veld/);
    assert.match(cmp.text, /aannames|indicatoren/);
    const one = await page(theoryPath(rid, '/versies/1'), 'toezicht.ggd');
    assert.equal(one.res.status, 200);
    assert.match(one.text, /Van activiteit naar resultaat/);
    assert.ok(!/Activiteit toevoegen/.test(one.text));
    assert.equal((await page(theoryPath(rid, '/versies/999'), 'toezicht.ggd')).res.status, 404);
    const bogus = await page(theoryPath(rid, '/versies?van=abc&tot=-1'), 'toezicht.ggd');
    assert.equal(bogus.res.status, 200);
});
