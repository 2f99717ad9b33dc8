// stories.test.mjs: stories (/verhalen, /api/v1/verhalen) and context events (/context,
// /api/v1/contextgebeurtenissen) over HTTP against a real demo server: visibility by consent
// (raad of another gemeente sees only publication stories; lists and detail agree), the
// anonymisation check that holds a story back until "Ik heb dit gecontroleerd" is ticked (form
// and API), optimistic locking, CSRF, hostile search text (FTS syntax, 10 kB, invalid UTF-8),
// bad input, and the context events and linked stories in the figure JSON and pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, formField } from '../lib/server.mjs';
import { session, get, postForm, cliOrgs } from './fixtures.mjs';

let srv;
const who = {};
let orgs = [];
const API = '/api/v1';

async function api(method, p, { as, body, raw, headers = {}, csrf = true } = {}) {
    const h = { accept: 'application/json', ...headers };
    if (as) {
        h.cookie = who[as].cookie;
        if (method !== 'GET' && csrf) h['x-csrf-token'] = who[as].csrf;
    }
    const payload = raw ?? (body !== undefined ? JSON.stringify(body) : undefined);
    if (payload !== undefined) h['content-type'] = h['content-type'] ?? 'application/json';
    const res = await fetch(srv.url + API + p, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await res.text();
    let json;
    try {
        json = JSON.parse(text);
    } catch {
        json = undefined;
    }
    return { res, text, json };
}

async function allStories(as, query = '') {
    const r = await api('GET', `/verhalen?paginaGrootte=500${query}`, { as });
    assert.equal(r.res.status, 200, r.text);
    return r.json;
}

before(async () => {
    srv = await startServer({ demo: true });
    for (const login of ['beheerder', 'beleid.emmen', 'beleid.hoogeveen', 'raad.emmen', 'kwaliteit.aanbieder'])
        who[login] = await session(srv.url, login);
    orgs = await cliOrgs(srv.dataDir);
});

after(async () => {
    await srv?.stop();
});

test('the demo has stories and context events; every role reaches the pages', async () => {
    const all = await allStories('beleid.emmen');
    assert.ok(all.totaal >= 10, `beleid.emmen sees ${all.totaal} stories`);
    for (const login of Object.keys(who)) {
        for (const p of ['/verhalen', '/context']) {
            const { res, text } = await get(srv.url, p, who[login].cookie);
            assert.equal(res.status, 200, `${login} ${p}: ${text.slice(0, 300)}`);
        }
    }
    const ev = await api('GET', '/contextgebeurtenissen?paginaGrootte=100', { as: 'raad.emmen' });
    assert.equal(ev.res.status, 200, ev.text);
    assert.ok(ev.json.totaal >= 10, `${ev.json.totaal} context events`);
    const anon = await get(srv.url, '/verhalen');
    assert.ok([302, 303, 401].includes(anon.res.status), `anonymous: ${anon.res.status}`);
    const anonApi = await fetch(`${srv.url}${API}/verhalen`);
    assert.equal(anonApi.status, 401);
});

test('visibility follows consent: another gemeente sees publication stories and its own', async () => {
    const emmen = orgs.find((o) => o.kind === 'gemeente' && /Emmen/.test(o.name));
    const hoog = orgs.find((o) => o.kind === 'gemeente' && /Hoogeveen/.test(o.name));
    const seenByHoog = await allStories('beleid.hoogeveen');
    const seenByEmmen = await allStories('beleid.emmen');
    for (const s of seenByHoog.items) {
        const own = s.eigenaarId === hoog.id;
        const party = s.gemeente === hoog.code || s.gemeente === `GM${hoog.code}`;
        assert.ok(
            own || s.toestemming === 'publicatie' || (s.toestemming === 'gesprek' && party),
            `beleid.hoogeveen sees story ${s.id} (${s.toestemming}, owner ${s.eigenaarId}, gemeente ${s.gemeente})`
        );
    }
    // An internal Emmen story exists and Hoogeveen cannot open it (403, not its text).
    const intern = seenByEmmen.items.find((s) => s.toestemming === 'intern' && s.eigenaarId === emmen.id);
    assert.ok(intern, 'Emmen has an internal story in the demo');
    const r = await api('GET', `/verhalen/${intern.id}`, { as: 'beleid.hoogeveen' });
    assert.equal(r.res.status, 403, r.text);
    assert.ok(!r.text.includes(intern.tekst.slice(0, 20)));
    const page = await get(srv.url, `/verhalen/${intern.id}`, who['beleid.hoogeveen'].cookie);
    assert.equal(page.res.status, 403);
    // The list page shows exactly as many as the API says.
    const list = await get(srv.url, '/verhalen', who['beleid.hoogeveen'].cookie);
    assert.match(list.text, new RegExp(`${seenByHoog.totaal} verha(al|len) gevonden`));
    // minimaleToestemming=publicatie: what may reach a published report.
    const pub = await allStories('beleid.emmen', '&minimaleToestemming=publicatie');
    assert.ok(pub.totaal > 0);
    assert.ok(pub.items.every((s) => s.toestemming === 'publicatie'));
});

test('the form holds a story with personal data back until the check is confirmed', async () => {
    const me = who['beleid.emmen'];
    const form = await get(srv.url, '/verhalen/nieuw', me.cookie);
    assert.equal(form.res.status, 200);
    const csrf = formField(form.text, 'csrf');
    const fields = {
        csrf,
        titel: 'Hulp na de verhuizing',
        soort: 'casus',
        tekst: 'Het gezin van mevr. Bakker (bel 06-12345678, of mail gezin@example.nl) verhuisde naar 9401 AB.',
        rol: 'wijkcoach',
        datum: '2025-05-01',
        toestemming: 'gesprek',
        gemeente: 'GM0114',
        labels: 'verhuizing, wachttijd',
    };
    const first = await postForm(srv.url, '/verhalen', me.cookie, fields);
    assert.equal(first.res.status, 422, first.text.slice(0, 300));
    for (const word of ['telefoonnummer', 'e-mailadres', 'postcode', 'mogelijk een naam', 'Bakker', 'Ik heb dit gecontroleerd'])
        assert.ok(first.text.includes(word), `the warning page mentions ${word}`);
    // The typed text comes back unchanged (escaped) and nothing was saved.
    assert.ok(first.text.includes('gezin@example.nl'));
    const before = await allStories('beleid.emmen', '&zoek=verhuizing');
    assert.equal(before.totaal, 0);
    // Without CSRF: refused.
    const nocsrf = await postForm(srv.url, '/verhalen', me.cookie, { ...fields, csrf: 'x', gecontroleerd: '1' });
    assert.equal(nocsrf.res.status, 403);
    // Confirmed: saved, and only kinds and counts of the warnings are stored.
    const ok = await postForm(srv.url, '/verhalen', me.cookie, { ...fields, gecontroleerd: '1' });
    assert.equal(ok.res.status, 303, ok.text.slice(0, 300));
    const id = Number(ok.res.headers.get('location').match(/\/verhalen\/(\d+)/)[1]);
    const got = await api('GET', `/verhalen/${id}`, { as: 'beleid.emmen' });
    assert.equal(got.res.status, 200);
    assert.deepEqual(got.json.labels, ['verhuizing', 'wachttijd']);
    const kinds = got.json.anonimiseringsControle.map((f) => f.soort).sort();
    assert.deepEqual(kinds, ['email', 'naam', 'postcode', 'telefoon']);
    assert.ok(!JSON.stringify(got.json.anonimiseringsControle).includes('Bakker'));
    // Searchable at once (FTS in the same transaction).
    const found = await allStories('beleid.emmen', '&zoek=verhuizing');
    assert.equal(found.totaal, 1);
    // Edit with a stale version: 409, nothing overwritten.
    const edit = await get(srv.url, `/verhalen/${id}/bewerken`, me.cookie);
    assert.equal(edit.res.status, 200);
    const upd = { ...fields, tekst: 'Het gezin verhuisde en de hulp liep door.', versie: '1' };
    const u1 = await postForm(srv.url, `/verhalen/${id}`, me.cookie, upd);
    assert.equal(u1.res.status, 303, u1.text.slice(0, 300));
    const u2 = await postForm(srv.url, `/verhalen/${id}`, me.cookie, upd);
    assert.equal(u2.res.status, 409);
    // Another gemeente cannot edit or archive it.
    const other = who['beleid.hoogeveen'];
    const e2 = await postForm(srv.url, `/verhalen/${id}`, other.cookie, { ...upd, csrf: other.csrf, versie: '2' });
    assert.equal(e2.res.status, 403);
    const a2 = await postForm(srv.url, `/verhalen/${id}/archiveren`, other.cookie, { csrf: other.csrf });
    assert.equal(a2.res.status, 403);
    const a1 = await postForm(srv.url, `/verhalen/${id}/archiveren`, me.cookie, { csrf: me.csrf });
    assert.equal(a1.res.status, 303);
});

test('the form refuses bad input with messages at the fields', async () => {
    const me = who['beleid.emmen'];
    const cases = [
        [{ titel: '', tekst: 'x', rol: 'r', soort: 'citaat', toestemming: 'intern', datum: '2025-01-01' }, 'titel'],
        [{ titel: 't', tekst: 'x', rol: 'r', soort: 'roman', toestemming: 'intern', datum: '2025-01-01' }, 'soort'],
        [{ titel: 't', tekst: 'x', rol: 'r', soort: 'citaat', toestemming: 'alles', datum: '2025-01-01' }, 'toestemming'],
        [{ titel: 't', tekst: 'x', rol: 'r', soort: 'citaat', toestemming: 'intern', datum: 'gisteren' }, 'datum'],
        [{ titel: 't', tekst: 'x'.repeat(20001), rol: 'r', soort: 'citaat', toestemming: 'intern', datum: '2025-01-01' }, 'tekst'],
        [{ titel: 't', tekst: 'x', rol: 'r', soort: 'citaat', toestemming: 'intern', datum: '2025-01-01', gemeente: 'GM9999' }, 'gemeente'],
        [{ titel: 't', tekst: 'x', rol: 'r', soort: 'citaat', toestemming: 'intern', datum: '2025-01-01', resultaat: '999999' }, 'resultaat'],
        [{ titel: 't', tekst: 'x', rol: 'r', soort: 'citaat', toestemming: 'intern', datum: '2025-01-01', labels: '<script>' }, 'labels'],
    ];
    for (const [f, field] of cases) {
        const r = await postForm(srv.url, '/verhalen', me.cookie, { csrf: me.csrf, ...f });
        assert.equal(r.res.status, 422, `${field}: ${r.res.status}`);
        assert.match(r.text, new RegExp(`href="#veld-${field}`), `${field}: error links to the field`);
        assert.ok(!r.text.includes('<script>'), 'input is escaped');
    }
    // A raad member may not record stories at all.
    const raad = who['raad.emmen'];
    const r = await postForm(srv.url, '/verhalen', raad.cookie, { csrf: raad.csrf, ...cases[0][0], titel: 't' });
    assert.equal(r.res.status, 403);
    const n = await get(srv.url, '/verhalen/nieuw', raad.cookie);
    assert.equal(n.res.status, 403);
});

test('hostile search text is searched as words, never as FTS syntax', async () => {
    const me = who['beleid.emmen'];
    const queries = [
        '"', '"unterminated', 'NEAR(a b', 'a* OR b*', '*', 'title:hulp', '{title body}:hulp', '^hulp',
        'hulp AND NOT', "'; DROP TABLE story; --", '\\"\\', 'x'.repeat(10240), '%FF%FE',
    ];
    for (const q of queries) {
        const enc = q === '%FF%FE' ? q : encodeURIComponent(q);
        const p = await get(srv.url, `/verhalen?zoek=${enc}`, me.cookie);
        assert.ok([200, 400].includes(p.res.status), `page zoek=${q.slice(0, 30)}: ${p.res.status}`);
        const a = await api('GET', `/verhalen?zoek=${enc}`, { as: 'beleid.emmen' });
        assert.ok([200, 400].includes(a.res.status), `api zoek=${q.slice(0, 30)}: ${a.res.status} ${a.text.slice(0, 200)}`);
    }
    const long = await get(srv.url, `/verhalen?zoek=${'x'.repeat(10240)}`, me.cookie);
    assert.equal(long.res.status, 200);
    assert.match(long.text, /zoekterm is te lang/);
    // Words search with folded diacritics: a demo story has "continuïteit" as tag "continuiteit".
    const pub = await allStories('raad.emmen', '&zoek=' + encodeURIComponent('slapengaan'));
    assert.equal(pub.totaal, 1);
    const prefix = await allStories('raad.emmen', '&zoek=' + encodeURIComponent('slapen*'));
    assert.ok(prefix.totaal >= 1);
    const table = await api('GET', '/verhalen?paginaGrootte=1', { as: 'beleid.emmen' });
    assert.equal(table.res.status, 200, 'the story table is still there');
});

test('the API: findings answer 400 until confirmed; locking; strict bodies', async () => {
    const body = {
        soort: 'citaat',
        toestemming: 'publicatie',
        titel: 'Snel geholpen',
        tekst: 'Mail mij op inwoner@example.nl als er nieuws is.',
        vertellerRol: 'inwoner',
        datum: '2025-06-01',
        labels: ['snel'],
    };
    const r1 = await api('POST', '/verhalen', { as: 'beleid.emmen', body });
    assert.equal(r1.res.status, 400, r1.text);
    assert.match(r1.res.headers.get('content-type'), /problem\+json/);
    assert.equal(r1.json.bevindingen[0].soort, 'email');
    assert.equal(r1.json.bevindingen[0].tekst, 'inwoner@example.nl');
    const r2 = await api('POST', '/verhalen', { as: 'beleid.emmen', body: { ...body, anonimiseringBevestigd: true } });
    assert.equal(r2.res.status, 201, r2.text);
    assert.match(r2.res.headers.get('location'), /\/api\/v1\/verhalen\/\d+$/);
    const id = r2.json.id;
    const p1 = await api('PATCH', `/verhalen/${id}`, {
        as: 'beleid.emmen',
        body: { versie: 1, tekst: 'Ik werd snel geholpen.' },
        headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(p1.res.status, 200, p1.text);
    assert.equal(p1.json.versie, 2);
    assert.deepEqual(p1.json.anonimiseringsControle, []);
    const p2 = await api('PATCH', `/verhalen/${id}`, {
        as: 'beleid.emmen',
        body: { versie: 1, titel: 'Oud' },
        headers: { 'content-type': 'application/merge-patch+json' },
    });
    assert.equal(p2.res.status, 409, p2.text);
    const half = await api('PATCH', `/verhalen/${id}`, { as: 'beleid.emmen', body: { versie: 2, periodeVan: '2025-01-01' } });
    assert.equal(half.res.status, 400, 'a period needs both ends');
    const both = await api('PATCH', `/verhalen/${id}`, {
        as: 'beleid.emmen',
        body: { versie: 2, periodeVan: '2025-01-01', periodeTot: '2025-03-31' },
    });
    assert.equal(both.res.status, 200, both.text);
    assert.equal(both.json.periodeTot, '2025-03-31');
    const bad = [
        [{ ...body, soort: 'roman' }, 'soort'],
        [{ ...body, datum: '01-06-2025' }, 'datum'],
        [{ ...body, onbekend: 1 }, 'onbekend'],
        [{ ...body, tekst: 12 }, 'tekst'],
        [{ ...body, resultaatIds: [-1] }, 'resultaatIds'],
        [{ ...body, gemeente: 'Emmen' }, 'gemeente'],
        [{ ...body, labels: Array(40).fill('x') }, 'labels'],
    ];
    for (const [b, name] of bad) {
        const r = await api('POST', '/verhalen', { as: 'beleid.emmen', body: { ...b, anonimiseringBevestigd: true } });
        assert.equal(r.res.status, 400, `${name}: ${r.text}`);
        assert.ok(JSON.stringify(r.json.invalidParams ?? []).includes(name), `${name} named: ${r.text}`);
    }
    const invalidUtf8 = await api('POST', '/verhalen', {
        as: 'beleid.emmen',
        raw: Buffer.from('{"soort":"citaat","titel":"\xff"}', 'latin1'),
    });
    assert.equal(invalidUtf8.res.status, 400);
    const nocsrf = await api('POST', '/verhalen', { as: 'beleid.emmen', body, csrf: false });
    assert.equal(nocsrf.res.status, 403);
    const raad = await api('POST', '/verhalen', { as: 'raad.emmen', body: { ...body, anonimiseringBevestigd: true } });
    assert.equal(raad.res.status, 403);
    const beheer = await api('GET', `/verhalen/${id}`, { as: 'beheerder' });
    assert.equal(beheer.res.status, 200, 'a publication story is readable by every user');
});

test('context events: create, scope filter, locking, and beside the figures', async () => {
    const ev = {
        titel: 'Nieuwe huisartsenpost geopend',
        beschrijving: 'Meer doorverwijzingen verwacht.',
        datum: '2026-02-01',
        gemeente: 'GM0114',
    };
    const c = await api('POST', '/contextgebeurtenissen', { as: 'beleid.emmen', body: ev });
    assert.equal(c.res.status, 201, c.text);
    const id = c.json.id;
    const other = await api('POST', '/contextgebeurtenissen', {
        as: 'beleid.emmen',
        body: { ...ev, eigenaarId: orgs.find((o) => /Hoogeveen/.test(o.name)).id },
    });
    assert.equal(other.res.status, 403, 'not in another organisation\'s name');
    const raad = await api('POST', '/contextgebeurtenissen', { as: 'raad.emmen', body: ev });
    assert.equal(raad.res.status, 403);
    const badDate = await api('POST', '/contextgebeurtenissen', { as: 'beleid.emmen', body: { ...ev, datum: 'morgen' } });
    assert.equal(badDate.res.status, 400);
    const backwards = await api('POST', '/contextgebeurtenissen', {
        as: 'beleid.emmen',
        body: { ...ev, totEnMet: '2020-01-01' },
    });
    assert.equal(backwards.res.status, 400, backwards.text);
    // Scope: Emmen's chart shows it, Hoogeveen's does not; region-wide events show in both.
    const em = await api('GET', '/contextgebeurtenissen?gemeente=GM0114&paginaGrootte=100', { as: 'raad.emmen' });
    const ho = await api('GET', '/contextgebeurtenissen?gemeente=GM0118&paginaGrootte=100', { as: 'raad.emmen' });
    assert.ok(em.json.items.some((x) => x.id === id));
    assert.ok(!ho.json.items.some((x) => x.id === id));
    assert.ok(ho.json.items.some((x) => x.gemeente === null && x.aanbiederId === null));
    const p1 = await api('PATCH', `/contextgebeurtenissen/${id}`, { as: 'beleid.emmen', body: { versie: 1, titel: 'Huisartsenpost open' } });
    assert.equal(p1.res.status, 200, p1.text);
    const p2 = await api('PATCH', `/contextgebeurtenissen/${id}`, { as: 'beleid.emmen', body: { versie: 1, titel: 'Oud' } });
    assert.equal(p2.res.status, 409);

    // Beside the figures: the indicator JSON and page of beleid.emmen carry the event, and the
    // stories linked to the indicator that beleid.emmen may view.
    const list = await get(srv.url, '/indicatoren', who['beleid.emmen'].cookie);
    const ids = [...new Set([...list.text.matchAll(/href="\/indicatoren\/(\d+)"/g)].map((m) => Number(m[1])))];
    assert.ok(ids.length > 5);
    const fig = await get(srv.url, `/indicatoren/${ids[0]}.json`, who['beleid.emmen'].cookie);
    assert.equal(fig.res.status, 200);
    const view = JSON.parse(fig.text);
    assert.ok(Array.isArray(view.gebeurtenissen) && Array.isArray(view.verhalen));
    assert.ok(
        view.gebeurtenissen.some((g) => g.label === 'Huisartsenpost open' && g.datum === '2026-02-01'),
        JSON.stringify(view.gebeurtenissen)
    );
    const pageHtml = await get(srv.url, `/indicatoren/${ids[0]}`, who['beleid.emmen'].cookie);
    assert.match(pageHtml.text, /Gebeurtenissen in deze periode/);
    assert.match(pageHtml.text, /Huisartsenpost open/);
    // Hoogeveen's view of the same indicator does not show Emmen's event.
    const figH = await get(srv.url, `/indicatoren/${ids[0]}.json`, who['beleid.hoogeveen'].cookie);
    assert.ok(!JSON.parse(figH.text).gebeurtenissen.some((g) => g.label === 'Huisartsenpost open'));
    // Stories beside an indicator are only ones the user may view.
    let checked = 0;
    for (const ind of ids) {
        const v = JSON.parse((await get(srv.url, `/indicatoren/${ind}.json`, who['beleid.hoogeveen'].cookie)).text);
        for (const s of v.verhalen) {
            const r = await api('GET', `/verhalen/${s.id}`, { as: 'beleid.hoogeveen' });
            assert.equal(r.res.status, 200, `story ${s.id} beside indicator ${ind} is viewable`);
            assert.ok(r.json.indicatorIds.includes(ind));
            checked++;
        }
    }
    assert.ok(checked > 0, 'some indicator has a linked story for beleid.hoogeveen');
    // The dashboard lists the events under the cards without JavaScript.
    const dash = await get(srv.url, '/dashboard', who['beleid.emmen'].cookie);
    assert.equal(dash.res.status, 200);
    assert.match(dash.text, /Huisartsenpost open/);
    // Pages: the context form and list.
    const form = await get(srv.url, '/context/nieuw', who['beleid.emmen'].cookie);
    assert.equal(form.res.status, 200);
    const me = who['beleid.emmen'];
    const post = await postForm(srv.url, '/context', me.cookie, { csrf: me.csrf, titel: 'Test', datum: '2025-03-01' });
    assert.equal(post.res.status, 303, post.text.slice(0, 200));
    const badPost = await postForm(srv.url, '/context', me.cookie, { csrf: me.csrf, titel: '', datum: 'x' });
    assert.equal(badPost.res.status, 422);
    const noCsrf = await postForm(srv.url, '/context', me.cookie, { titel: 'Test', datum: '2025-03-01' });
    assert.equal(noCsrf.res.status, 403);
});
