// actions.test.mjs: improvement actions (/acties, /gesprekken/{id}/acties/nieuw,
// /api/v1/acties) over HTTP against a real demo server. beleid.emmen plans a conversation with
// the aanbieder of kwaliteit.aanbieder (invited), then: the new-action form and its errors
// (bad and impossible dates, empty description, an owner that is no party, CSRF), visibility
// per party (the aanbieder sees it, another gemeente and an uninvited raad member do not),
// the lifecycle through the detail page (vervallen needs a reason, stale versions are refused,
// the history grows), the overview with filters and the CSV/XLSX downloads (formula text
// neutralised), and the same through the JSON API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, formField } from '../lib/server.mjs';
import { session, get, postForm } from './fixtures.mjs';

let srv;
const who = {};
const API = '/api/v1';
let conv = 0;
let aanbieder = 0;
let emmen = 0;

async function api(method, p, { as, body, csrf = true } = {}) {
    const h = { accept: 'application/json' };
    if (as) {
        h.cookie = who[as].cookie;
        if (method !== 'GET' && csrf) h['x-csrf-token'] = who[as].csrf;
    }
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(srv.url + API + p, {
        method,
        headers: h,
        body: body !== undefined ? JSON.stringify(body) : undefined,
        redirect: 'manual',
    });
    const text = await res.text();
    let json;
    try {
        json = JSON.parse(text);
    } catch {
        json = undefined;
    }
    return { res, text, json };
}

async function me(login) {
    const r = await api('GET', '/ik', { as: login });
    assert.equal(r.res.status, 200, r.text);
    return r.json;
}

function post(login, p, fields) {
    return postForm(srv.url, p, who[login].cookie, { csrf: who[login].csrf, ...fields });
}

async function newAction(fields) {
    const r = await post('beleid.emmen', `/gesprekken/${conv}/acties/nieuw`, {
        beschrijving: 'Huisbezoek binnen twee weken na aanmelding',
        eigenaar: String(aanbieder),
        einddatum: '2026-06-30',
        effect: 'Minder uitval in het eerste half jaar',
        ...fields,
    });
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    const m = r.res.headers.get('location').match(/^\/acties\/(\d+)\?melding=aangemaakt$/);
    assert.ok(m, r.res.headers.get('location'));
    return Number(m[1]);
}

before(async () => {
    srv = await startServer({ demo: true });
    for (const login of ['beleid.emmen', 'beleid.hoogeveen', 'kwaliteit.aanbieder', 'raad.emmen', 'beheerder'])
        who[login] = await session(srv.url, login);
    const kw = await me('kwaliteit.aanbieder');
    aanbieder = kw.organisatie.id;
    emmen = (await me('beleid.emmen')).organisatie.id;
    // A result owned by Emmen: the first on /resultaten that beleid.emmen may edit.
    const rs = await api('GET', '/maatschappelijke-resultaten?paginaGrootte=1000', { as: 'beleid.emmen' });
    const result = rs.json?.items?.find((x) => x.eigenaarId === emmen && !x.gearchiveerd)?.id;
    assert.ok(result, 'Emmen owns a societal result');
    const r = await post('beleid.emmen', '/gesprekken', {
        soort: 'achterkant',
        titel: 'Actiestest: kwaliteitsgesprek jeugd',
        doel: 'De uitval samen duiden',
        periode_van: '2025-01-01',
        periode_tot: '2025-12-31',
        datum: '2026-02-10',
        plaats: 'Gemeentehuis',
        resultaat: String(result),
        partij: String(aanbieder),
        [`rol-${kw.id}`]: 'deelnemer',
    });
    assert.equal(r.res.status, 303, r.text.slice(0, 800));
    conv = Number(r.res.headers.get('location').match(/^\/gesprekken\/(\d+)/)[1]);
});

after(async () => {
    await srv?.stop();
});

test('the new-action form is for members who may act; others get 404 or 403', async () => {
    const ok = await get(srv.url, `/gesprekken/${conv}/acties/nieuw`, who['beleid.emmen'].cookie);
    assert.equal(ok.res.status, 200);
    assert.match(ok.text, /name="beschrijving"/);
    assert.match(ok.text, new RegExp(`<option value="${aanbieder}"`));
    const kw = await get(srv.url, `/gesprekken/${conv}/acties/nieuw`, who['kwaliteit.aanbieder'].cookie);
    assert.equal(kw.res.status, 200);
    for (const login of ['beleid.hoogeveen', 'raad.emmen', 'beheerder']) {
        const r = await get(srv.url, `/gesprekken/${conv}/acties/nieuw`, who[login].cookie);
        assert.equal(r.res.status, 404, `${login}: ${r.res.status}`);
    }
    const anon = await get(srv.url, `/gesprekken/${conv}/acties/nieuw`);
    assert.equal(anon.res.status, 303);
});

test('bad input comes back with the message at the field', async () => {
    const base = { beschrijving: 'Iets', eigenaar: String(aanbieder), einddatum: '2026-06-30' };
    for (const [fields, field] of [
        [{ einddatum: '31-02-2026' }, 'einddatum'],
        [{ einddatum: 'morgen' }, 'einddatum'],
        [{ einddatum: '' }, 'einddatum'],
        [{ beschrijving: '   ' }, 'beschrijving'],
        [{ beschrijving: 'x'.repeat(4001) }, 'beschrijving'],
        [{ eigenaar: '999999' }, 'eigenaar'],
        [{ eigenaar: 'abc' }, 'eigenaar'],
    ]) {
        const r = await post('beleid.emmen', `/gesprekken/${conv}/acties/nieuw`, { ...base, ...fields });
        assert.equal(r.res.status, 422, `${JSON.stringify(fields).slice(0, 80)}: ${r.res.status}`);
        assert.match(r.text, new RegExp(`id="fout-${field}"`), JSON.stringify(fields).slice(0, 80));
    }
    // An indicator that is not one of the conversation's results' (shown in the summary; the
    // checkboxes are only there when the results have indicators).
    const ind = await post('beleid.emmen', `/gesprekken/${conv}/acties/nieuw`, { ...base, indicator: '999999' });
    assert.equal(ind.res.status, 422);
    assert.match(ind.text, /hoort niet bij de resultaten van dit gesprek/);
    // Without the CSRF token nothing is saved.
    const r = await postForm(srv.url, `/gesprekken/${conv}/acties/nieuw`, who['beleid.emmen'].cookie, base);
    assert.equal(r.res.status, 403);
});

test('visibility follows the conversation: parties and invited people, nobody else', async () => {
    const id = await newAction({});
    for (const login of ['beleid.emmen', 'kwaliteit.aanbieder']) {
        const r = await get(srv.url, `/acties/${id}`, who[login].cookie);
        assert.equal(r.res.status, 200, login);
        assert.match(r.text, /Huisbezoek binnen twee weken na aanmelding/);
        const list = await get(srv.url, '/acties', who[login].cookie);
        assert.match(list.text, new RegExp(`href="/acties/${id}"`), login);
    }
    for (const login of ['beleid.hoogeveen', 'raad.emmen', 'beheerder']) {
        const r = await get(srv.url, `/acties/${id}`, who[login].cookie);
        assert.equal(r.res.status, 404, login);
        const list = await get(srv.url, '/acties', who[login].cookie);
        assert.equal(list.res.status, 200);
        assert.doesNotMatch(list.text, new RegExp(`href="/acties/${id}"`), login);
        const a = await api('GET', `/acties/${id}`, { as: login });
        assert.equal(a.res.status, 404, login);
    }
});

test('lifecycle on the detail page: reason for vervallen, stale versions, history', async () => {
    const id = await newAction({ beschrijving: 'Wachtlijst uitzoeken' });
    const page = await get(srv.url, `/acties/${id}`, who['kwaliteit.aanbieder'].cookie);
    assert.equal(formField(page.text, 'versie'), '1');
    let r = await post('kwaliteit.aanbieder', `/acties/${id}/status`, { status: 'vervallen', reden: '', versie: '1' });
    assert.equal(r.res.status, 422);
    assert.match(r.text, /id="fout-reden"/);
    r = await post('kwaliteit.aanbieder', `/acties/${id}/status`, { status: 'bezig', versie: '1' });
    assert.equal(r.res.status, 303);
    // The same form again: version 1 is stale now.
    r = await post('kwaliteit.aanbieder', `/acties/${id}/status`, { status: 'klaar', versie: '1' });
    assert.equal(r.res.status, 409);
    r = await post('kwaliteit.aanbieder', `/acties/${id}/status`, { status: 'onzin', versie: '2' });
    assert.equal(r.res.status, 422);
    r = await post('kwaliteit.aanbieder', `/acties/${id}/status`, {
        status: 'vervallen',
        reden: 'Opgenomen in het nieuwe contract',
        versie: '2',
    });
    assert.equal(r.res.status, 303);
    const after = await get(srv.url, `/acties/${id}`, who['beleid.emmen'].cookie);
    assert.match(after.text, /Opgenomen in het nieuwe contract/);
    assert.match(after.text, /Status van Bezig naar Vervallen/);
    assert.match(after.text, /Aangemaakt/);
    // A raad member cannot change it, even by posting directly.
    r = await post('raad.emmen', `/acties/${id}/status`, { status: 'open', versie: '3' });
    assert.equal(r.res.status, 404);
});

test('overview filters and downloads; formula text is neutralised', async () => {
    const late = await newAction({ beschrijving: '=1+1 te laat', einddatum: '2024-01-31' });
    const overdue = await get(srv.url, '/acties?te_laat=1', who['beleid.emmen'].cookie);
    assert.equal(overdue.res.status, 200);
    assert.match(overdue.text, new RegExp(`href="/acties/${late}"`));
    assert.match(overdue.text, /Te laat/); // in words, not only by colour
    const done = await get(srv.url, '/acties?status=klaar', who['beleid.emmen'].cookie);
    assert.doesNotMatch(done.text, new RegExp(`href="/acties/${late}"`));
    const bad = await get(srv.url, '/acties?status=%3Cscript%3E&gemeente=GM01%27', who['beleid.emmen'].cookie);
    assert.equal(bad.res.status, 200);
    assert.doesNotMatch(bad.text, /<script>/);
    const csv = await fetch(`${srv.url}/acties.csv?te_laat=1`, { headers: { cookie: who['beleid.emmen'].cookie } });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /text\/csv/);
    const body = Buffer.from(await csv.arrayBuffer());
    assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8');
    assert.match(text, /;'=1\+1 te laat;/);
    assert.doesNotMatch(text, /;=1\+1/);
    const xlsx = await fetch(`${srv.url}/acties.xlsx`, { headers: { cookie: who['beleid.emmen'].cookie } });
    assert.equal(xlsx.status, 200);
    assert.equal(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString(), 'PK');
    const other = await fetch(`${srv.url}/acties.csv`, { headers: { cookie: who['beleid.hoogeveen'].cookie } });
    assert.doesNotMatch(await other.text(), /=1\+1 te laat/);
});

test('the API: list, create, patch with lifecycle rules, errors as problem+json', async () => {
    let r = await api('POST', '/acties', {
        as: 'beleid.emmen',
        body: { gesprekId: conv, eigenaarId: aanbieder, beschrijving: 'Via de API', einddatum: '30-06-2026' },
    });
    assert.equal(r.res.status, 400, r.text);
    assert.equal(r.json.invalidParams[0].name, 'einddatum');
    r = await api('POST', '/acties', {
        as: 'beleid.emmen',
        body: { gesprekId: conv, eigenaarId: aanbieder, beschrijving: 'Via de API', einddatum: '2026-06-30', onbekend: 1 },
    });
    assert.equal(r.res.status, 400);
    r = await api('POST', '/acties', {
        as: 'beleid.emmen',
        csrf: false,
        body: { gesprekId: conv, eigenaarId: aanbieder, beschrijving: 'Via de API', einddatum: '2026-06-30' },
    });
    assert.equal(r.res.status, 403);
    r = await api('POST', '/acties', {
        as: 'beleid.hoogeveen',
        body: { gesprekId: conv, eigenaarId: aanbieder, beschrijving: 'Via de API', einddatum: '2026-06-30' },
    });
    assert.equal(r.res.status, 404);
    r = await api('POST', '/acties', {
        as: 'beleid.emmen',
        body: { gesprekId: conv, eigenaarId: aanbieder, beschrijving: 'Via de API', einddatum: '2026-06-30' },
    });
    assert.equal(r.res.status, 201, r.text);
    const id = r.json.id;
    assert.equal(r.json.status, 'open');
    assert.equal(r.json.kant, 'aanbieder');
    assert.equal(r.json.versie, 1);
    assert.equal(r.json.geschiedenis.length, 1);
    assert.match(r.res.headers.get('location'), new RegExp(`/api/v1/acties/${id}$`));
    r = await api('PATCH', `/acties/${id}`, { as: 'kwaliteit.aanbieder', body: { versie: 1, status: 'vervallen' } });
    assert.equal(r.res.status, 400, r.text);
    assert.equal(r.json.invalidParams[0].name, 'reden');
    r = await api('PATCH', `/acties/${id}`, { as: 'kwaliteit.aanbieder', body: { versie: 1, status: 'klaar' } });
    assert.equal(r.res.status, 200, r.text);
    assert.equal(r.json.status, 'klaar');
    r = await api('PATCH', `/acties/${id}`, { as: 'kwaliteit.aanbieder', body: { versie: 1, beschrijving: 'Oud' } });
    assert.equal(r.res.status, 409);
    r = await api('PATCH', `/acties/${id}`, { as: 'kwaliteit.aanbieder', body: { versie: 2, status: 'open' } });
    assert.equal(r.res.status, 400, 'klaar -> open is not a step');
    r = await api('PATCH', `/acties/${id}`, {
        as: 'beleid.emmen',
        body: { versie: 2, beschrijving: 'Via de API, aangescherpt', status: 'bezig', reden: 'Toch nog niet af' },
    });
    assert.equal(r.res.status, 200, r.text);
    assert.equal(r.json.versie, 4);
    assert.equal(r.json.status, 'bezig');
    assert.deepEqual(
        r.json.geschiedenis.map((e) => [e.van, e.naar]),
        [[null, 'open'], ['open', 'klaar'], ['klaar', 'klaar'], ['klaar', 'bezig']],
    );
    r = await api('GET', `/acties?gesprek=${conv}&status=lopend&paginaGrootte=500`, { as: 'kwaliteit.aanbieder' });
    assert.equal(r.res.status, 200);
    assert.ok(r.json.items.some((a) => a.id === id));
    assert.ok(r.json.items.every((a) => a.status === 'open' || a.status === 'bezig'));
    r = await api('GET', '/acties?status=gedaan', { as: 'beleid.emmen' });
    assert.equal(r.res.status, 400);
    r = await api('GET', '/acties?gemeente=GM01%27', { as: 'beleid.emmen' });
    assert.equal(r.res.status, 400);
    r = await api('GET', '/acties', {});
    assert.equal(r.res.status, 401);
});
