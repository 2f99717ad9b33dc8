// surveys-api.test.mjs: /api/v1/vragenlijsten and /api/v1/uitvragen (web/api_survey.c) against
// a real demo server, every answer checked against data/openapi.json: list and read the demo
// questionnaires, create from a template and from a document, validation errors naming the
// element, If-Match (428/412), compatibility once a round exists; rounds with their response
// rate, create, status order, codes made and read; and authorisation: the round's aanbieder sees
// counts but never codes (403), another gemeente cannot edit, tokens need the write scope
// implicitly through the session's CSRF (no CSRF header: 403).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { checkAnswer } from '../lib/openapi.mjs';
import { session, cliOrgs } from './fixtures.mjs';

const API = '/api/v1';
let srv;
const who = {};
let orgs;
let emmen;

async function api(method, p, { as, body, raw, headers = {}, csrf = true } = {}) {
    const h = { accept: 'application/json', ...headers };
    if (as) {
        h.cookie = who[as].cookie;
        if (method !== 'GET' && csrf) h['x-csrf-token'] = who[as].csrf;
    }
    const payload = raw ?? (body !== undefined ? JSON.stringify(body) : undefined);
    if (payload !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(srv.url + API + p, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await res.text();
    let json;
    try {
        json = JSON.parse(text);
    } catch {
        json = undefined;
    }
    assert.ok(res.headers.get('api-version'), `API-Version on ${method} ${p}`);
    const ct = res.headers.get('content-type') ?? '';
    if (res.status >= 400) assert.match(ct, /^application\/problem\+json/, `${method} ${p} -> ${res.status} ${text}`);
    else assert.match(ct, /^application\/json/, `${method} ${p} -> ${res.status}`);
    checkAnswer(method, p, res.status, json);
    return { status: res.status, headers: res.headers, json, text };
}

function problem(r, status, field, reason) {
    assert.equal(r.status, status, r.text);
    if (field) {
        const p = (r.json.invalidParams ?? []).find((x) => x.name === field);
        assert.ok(p, `invalidParams does not name ${field}: ${r.text}`);
        if (reason) assert.match(p.reason, reason);
    }
}

before(async () => {
    srv = await startServer({ demo: true });
    for (const login of ['beheerder', 'beleid.emmen', 'beleid.hoogeveen', 'kwaliteit.aanbieder', 'raad.emmen'])
        who[login] = await session(srv.url, login);
    orgs = await cliOrgs(srv.dataDir);
    emmen = orgs.find((o) => o.kind === 'gemeente' && /Emmen/.test(o.name));
});

after(async () => {
    await srv?.stop();
});

test('questionnaires: list, read, create, validate, replace with If-Match', async () => {
    const list = await api('GET', '/vragenlijsten?eigenaar=' + emmen.id, { as: 'raad.emmen' });
    assert.equal(list.status, 200, list.text);
    assert.equal(list.json.items.length, 1);
    const id = list.json.items[0].id;
    const one = await api('GET', `/vragenlijsten/${id}`, { as: 'kwaliteit.aanbieder' });
    assert.equal(one.status, 200);
    assert.equal(one.json.document.secties.length, 3);
    assert.equal(one.headers.get('etag'), `"${one.json.versie}"`);
    assert.equal((await api('GET', '/vragenlijsten/987654', { as: 'raad.emmen' })).status, 404);
    assert.equal((await api('GET', '/vragenlijsten?onbekend=1', { as: 'raad.emmen' })).status, 400);

    // Create: template xor document; other owners refused.
    problem(await api('POST', '/vragenlijsten', { as: 'beleid.emmen', body: {} }), 400, 'document');
    problem(await api('POST', '/vragenlijsten', { as: 'beleid.emmen', body: { sjabloon: 'bestaat-niet' } }), 400, 'sjabloon');
    const hv = orgs.find((o) => o.kind === 'gemeente' && /Hoogeveen/.test(o.name));
    assert.equal((await api('POST', '/vragenlijsten', { as: 'beleid.emmen', body: { eigenaar: hv.id, sjabloon: 'jeugd-uitkomst' } })).status, 403);
    assert.equal((await api('POST', '/vragenlijsten', { as: 'kwaliteit.aanbieder', body: { sjabloon: 'jeugd-uitkomst' } })).status, 403);
    assert.equal((await api('POST', '/vragenlijsten', { as: 'beleid.emmen', body: { sjabloon: 'jeugd-uitkomst' }, csrf: false })).status, 403);
    const made = await api('POST', '/vragenlijsten', { as: 'beleid.emmen', body: { sjabloon: 'jeugd-uitkomst' } });
    assert.equal(made.status, 201, made.text);
    assert.match(made.headers.get('location'), new RegExp(`/api/v1/vragenlijsten/${made.json.id}$`));
    assert.equal(made.json.sjabloon, 'jeugd-uitkomst');
    assert.equal((await api('POST', '/vragenlijsten', { as: 'beleid.emmen', body: { sjabloon: 'jeugd-uitkomst' } })).status, 409);
    const doc = {
        versie: 1, code: 'api_lijst', titel: 'Via de API',
        secties: [{ code: 'a', titel: 'A', vragen: [{ item: 'x', soort: 'cijfer', tekst: 'Cijfer?' }, { item: 'y', soort: 'open', tekst: 'Waarom?', als: { item: 'x', is: ['1', '2'] } }] }],
    };
    const bad = structuredClone(doc);
    bad.secties[0].vragen[1].als.item = 'z';
    problem(await api('POST', '/vragenlijsten', { as: 'beleid.emmen', body: { document: bad } }), 400, 'document', /vraag 2 \(y\): de voorwaarde verwijst naar een onbekend item "z"/);
    const own = await api('POST', '/vragenlijsten', { as: 'beleid.emmen', body: { document: doc } });
    assert.equal(own.status, 201, own.text);
    assert.deepEqual(own.json.document.secties[0].vragen[1].als, { item: 'x', is: ['1', '2'] });

    // PUT: If-Match required and checked; the caller must be allowed before anything else.
    const changed = structuredClone(own.json.document);
    changed.titel = 'Via de API, gewijzigd';
    assert.equal((await api('PUT', `/vragenlijsten/${own.json.id}`, { as: 'beleid.hoogeveen', body: changed, headers: { 'if-match': '"1"' } })).status, 403);
    assert.equal((await api('PUT', `/vragenlijsten/${own.json.id}`, { as: 'beleid.emmen', body: changed })).status, 428);
    assert.equal((await api('PUT', `/vragenlijsten/${own.json.id}`, { as: 'beleid.emmen', body: changed, headers: { 'if-match': '"7"' } })).status, 412);
    const put = await api('PUT', `/vragenlijsten/${own.json.id}`, { as: 'beleid.emmen', body: changed, headers: { 'if-match': '"1"' } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.versie, 2);
    assert.equal(put.json.titel, 'Via de API, gewijzigd');
    problem(await api('PUT', `/vragenlijsten/${own.json.id}`, { as: 'beleid.emmen', raw: '{"versie":1,', headers: { 'if-match': '"2"' } }), 400);
    // Archive and restore.
    assert.equal((await api('POST', `/vragenlijsten/${own.json.id}/archiveren`, { as: 'raad.emmen' })).status, 403);
    const arch = await api('POST', `/vragenlijsten/${own.json.id}/archiveren`, { as: 'beleid.emmen' });
    assert.equal(arch.status, 200);
    assert.equal(arch.json.gearchiveerd, true);
    assert.equal((await api('PUT', `/vragenlijsten/${own.json.id}`, { as: 'beleid.emmen', body: changed, headers: { 'if-match': '"2"' } })).status, 409);
    assert.equal((await api('POST', `/vragenlijsten/${own.json.id}/herstellen`, { as: 'beleid.emmen' })).status, 200);
});

test('rounds: response rate, create, status, codes; the aanbieder sees counts, never codes', async () => {
    const rounds = await api('GET', '/uitvragen', { as: 'beleid.emmen' });
    assert.equal(rounds.status, 200, rounds.text);
    const done = rounds.json.items.find((r) => r.status === 'gesloten' && r.gemeente === emmen.code.replace(/^GM/, ''));
    assert.ok(done, 'the demo round of Emmen');
    assert.equal(done.gebruikt, done.reacties);
    assert.ok(done.responsPercentage >= 28 && done.responsPercentage <= 47, String(done.responsPercentage));
    assert.ok(Math.abs(done.responsPercentage - (100 * done.reacties) / done.uitnodigingen) < 0.06);
    // Another gemeente's beleid does not see Emmen's rounds.
    const hv = await api('GET', '/uitvragen', { as: 'beleid.hoogeveen' });
    assert.ok(!hv.json.items.some((r) => r.id === done.id));
    assert.equal((await api('GET', `/uitvragen/${done.id}`, { as: 'beleid.hoogeveen' })).status, 403);
    assert.equal((await api('GET', `/uitvragen/${done.id}/codes`, { as: 'beleid.hoogeveen' })).status, 403);

    const me = await api('GET', '/ik', { as: 'kwaliteit.aanbieder' });
    const provider = me.json.organisatie.id;
    const base = { vragenlijst: done.vragenlijstId, naam: 'API-uitvraag', gemeente: done.gemeente, aanbieder: provider, wet: 'wmo', opentOp: '2026-11-01', sluitOp: '2026-12-31' };
    problem(await api('POST', '/uitvragen', { as: 'beleid.emmen', body: { ...base, sluitOp: '2026-10-01' } }), 400, 'sluitOp');
    problem(await api('POST', '/uitvragen', { as: 'beleid.emmen', body: { ...base, gemeente: '0106' } }), 400, 'gemeente');
    problem(await api('POST', '/uitvragen', { as: 'beleid.emmen', body: { ...base, opentOp: 'morgen' } }), 400, 'opentOp');
    problem(await api('POST', '/uitvragen', { as: 'beleid.emmen', body: { ...base, wet: 'wlz' } }), 400, 'wet');
    assert.equal((await api('POST', '/uitvragen', { as: 'kwaliteit.aanbieder', body: base })).status, 403);
    const made = await api('POST', '/uitvragen', { as: 'beleid.emmen', body: { ...base, openLink: true } });
    assert.equal(made.status, 201, made.text);
    assert.equal(made.json.status, 'concept');
    assert.match(made.json.openLink, /^http:\/\/localhost:8080\/enquete\/open\/[a-z2-9]{24}$/);
    const rid = made.json.id;
    problem(await api('POST', `/uitvragen/${rid}/codes`, { as: 'beleid.emmen', body: { aantal: 0 } }), 400, 'aantal');
    problem(await api('POST', `/uitvragen/${rid}/codes`, { as: 'beleid.emmen', body: { aantal: 20001 } }), 400, 'aantal');
    assert.equal((await api('POST', `/uitvragen/${rid}/codes`, { as: 'kwaliteit.aanbieder', body: { aantal: 3 } })).status, 403);
    const codes = await api('POST', `/uitvragen/${rid}/codes`, { as: 'beleid.emmen', body: { aantal: 12 } });
    assert.equal(codes.status, 200, codes.text);
    assert.equal(codes.json.uitnodigingen, 12);
    assert.equal(codes.json.responsPercentage, 0);
    // The aanbieder: the round and its counts, no open link, no codes.
    const asProvider = await api('GET', `/uitvragen/${rid}`, { as: 'kwaliteit.aanbieder' });
    assert.equal(asProvider.status, 200);
    assert.equal(asProvider.json.uitnodigingen, 12);
    assert.equal(asProvider.json.openLink, undefined);
    assert.equal((await api('GET', `/uitvragen/${rid}/codes`, { as: 'kwaliteit.aanbieder' })).status, 403);
    const list = await api('GET', `/uitvragen/${rid}/codes?paginaGrootte=5`, { as: 'beleid.emmen' });
    assert.equal(list.status, 200, list.text);
    assert.equal(list.json.totaal, 12);
    assert.equal(list.json.items.length, 5);
    for (const c of list.json.items) {
        assert.equal(c.link, `http://localhost:8080/enquete?code=${c.code}`);
        assert.equal(c.gebruikt, undefined, 'never which code was used');
    }
    problem(await api('GET', `/uitvragen/${rid}/codes?ongebruikt=true`, { as: 'beleid.emmen' }), 400);
    // Status: concept -> open -> gesloten, never back; bad values.
    problem(await api('POST', `/uitvragen/${rid}/status`, { as: 'beleid.emmen', body: { status: 'concept' } }), 400, 'status');
    assert.equal((await api('POST', `/uitvragen/${rid}/status`, { as: 'kwaliteit.aanbieder', body: { status: 'nonsense' } })).status, 403);
    assert.equal((await api('POST', `/uitvragen/${rid}/status`, { as: 'beleid.emmen', body: { status: 'open' } })).json.status, 'open');
    assert.equal((await api('POST', `/uitvragen/${rid}/status`, { as: 'beleid.emmen', body: { status: 'gesloten' } })).json.status, 'gesloten');
    problem(await api('POST', `/uitvragen/${rid}/status`, { as: 'beleid.emmen', body: { status: 'open' } }), 400, 'status');
    problem(await api('POST', `/uitvragen/${rid}/codes`, { as: 'beleid.emmen', body: { aantal: 1 } }), 400, 'status');

    // Once a round exists, a kind change is refused, naming the question.
    const sv = await api('GET', `/vragenlijsten/${done.vragenlijstId}`, { as: 'beleid.emmen' });
    const doc = structuredClone(sv.json.document);
    doc.secties[0].vragen[0].soort = 'cijfer';
    problem(await api('PUT', `/vragenlijsten/${done.vragenlijstId}`, { as: 'beleid.emmen', body: doc, headers: { 'if-match': `"${sv.json.versie}"` } }), 400, 'document', /vraag 1 \(wmo_ceo_1\): de soort kan niet meer veranderen/);
});
