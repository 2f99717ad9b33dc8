// indicators-api.test.mjs: /api/v1/indicatoren against a real demo server: listing the
// standard set, creating a local definition (201, Location, ETag), strict validation with every
// problem named by its JSON key, authorisation per role (beleid of the owner only; the standard
// set only the beheerder; read-only tokens never write), replacing with If-Match (428 / 412 /
// 200), the disclosed figures (JSON shape, hidden values null and never 0, rounding per
// audience, 400 naming the query parameter) and the targets. Every answer is checked against
// data/openapi.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { checkAnswer } from '../lib/openapi.mjs';
import { session } from './fixtures.mjs';

const API = '/api/v1';
let srv;
const who = {}; // login -> {cookie, csrf}
let orgs; // API organisations
let standard; // list items of the standard set

/** One API request; checks API-Version, the media type and the OpenAPI schema. */
async function api(method, p, { as, body, raw, contentType, headers = {}, token } = {}) {
    const h = { accept: 'application/json', ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    else if (as) {
        h.cookie = who[as].cookie;
        if (method !== 'GET') h['x-csrf-token'] = who[as].csrf;
    }
    let payload = raw ?? (body !== undefined ? JSON.stringify(body) : undefined);
    if (payload !== undefined) h['content-type'] = contentType ?? 'application/json';
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

function problem(r, status, ...fields) {
    assert.equal(r.status, status, r.text);
    assert.equal(r.json.status, status);
    assert.ok(r.json.title && typeof r.json.detail === 'string', r.text);
    for (const f of fields) {
        const p = (r.json.invalidParams ?? []).find((x) => x.name === f);
        assert.ok(p, `invalidParams does not name ${f}: ${r.text}`);
        assert.ok(p.reason.length > 3, r.text);
    }
}

/** A valid local definition; fields override. */
function definition(code, over = {}) {
    return {
        versie: 1,
        code,
        naam: 'Nieuwe jeugdhulptrajecten (lokaal)',
        uitleg: 'Hoeveel jeugdhulptrajecten in de periode begonnen.',
        bron: 'Eigen definitie (test)',
        eenheid: 'traject',
        anker: 'start',
        aggregatie: 'aantal',
        populatie: 'wet = "jw"',
        polariteit: 'neutraal',
        kwadrant: 'hoeveel',
        min_n: 10,
        eenheid_waarde: 'aantal',
        ...over,
    };
}

async function makeToken(login, scopes) {
    const s = who[login];
    const fields = new URLSearchParams({ label: `ind-${login}-${Date.now()}`, dagen: '1', csrf: s.csrf });
    for (const sc of scopes) fields.append('rechten', sc);
    const res = await fetch(`${srv.url}/account/tokens`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: fields.toString(),
    });
    let text = await res.text();
    if (res.status === 303) {
        const next = await fetch(srv.url + res.headers.get('location'), { headers: { cookie: s.cookie } });
        text = await next.text();
    }
    const m = text.match(/dui_[A-Za-z0-9_-]{20,}/);
    assert.ok(m, `no token shown after POST /account/tokens as ${login} (HTTP ${res.status})`);
    return m[0];
}

const orgId = (name) => {
    const o = orgs.find((x) => x.naam === name);
    assert.ok(o, `organisation ${name}`);
    return o.id;
};

before(async () => {
    srv = await startServer({ demo: true });
    for (const l of ['beheerder', 'beleid.emmen', 'beleid.hoogeveen', 'beleid.regio', 'contract.regio', 'kwaliteit.aanbieder', 'raad.emmen', 'toezicht.ggd'])
        who[l] = await session(srv.url, l);
    const r = await api('GET', '/organisaties?paginaGrootte=1000', { as: 'beheerder' });
    orgs = r.json.items;
});

after(async () => {
    await srv?.stop();
});

test('the list holds the shipped standard set, for every role', async () => {
    for (const l of Object.keys(who)) {
        const r = await api('GET', '/indicatoren?paginaGrootte=1000', { as: l });
        assert.equal(r.status, 200, r.text);
        const std = r.json.items.filter((i) => i.standaard);
        assert.ok(std.length >= 25, `${l}: ${std.length} standard indicators`);
        for (const code of ['jw_uitval', 'jw_volgens_plan', 'clienten', 'nieuwe_starts', 'wmo_ceo_5', 'jw_bereik'])
            assert.ok(std.find((i) => i.code === code), `${code} missing for ${l}`);
        for (const i of std) {
            assert.equal(i.eigenaarId, null);
            assert.equal(typeof i.naam, 'string');
        }
        standard = std;
    }
    const uitval = standard.find((i) => i.code === 'jw_uitval');
    assert.deepEqual(
        [uitval.eenheid, uitval.aggregatie, uitval.kwadrant],
        ['traject', 'aandeel', 'hoe_goed']
    );
    // Paging and strict query parameters.
    const p = await api('GET', '/indicatoren?paginaGrootte=2&pagina=2', { as: 'beleid.emmen' });
    assert.equal(p.json.items.length, 2);
    assert.equal(p.json.pagina, 2);
    assert.ok(p.json.totaal >= 25);
    problem(await api('GET', '/indicatoren?soort=x', { as: 'beleid.emmen' }), 400, 'soort');
    problem(await api('GET', '/indicatoren?inclusiefGearchiveerd=misschien', { as: 'beleid.emmen' }), 400, 'inclusiefGearchiveerd');
    // Anonymous: 401.
    const anon = await fetch(`${srv.url}${API}/indicatoren`, { headers: { accept: 'application/json' } });
    assert.equal(anon.status, 401);
});

test('one indicator: definition, version as ETag, links; 404 for a missing id', async () => {
    const id = standard.find((i) => i.code === 'jw_uitval').id;
    const r = await api('GET', `/indicatoren/${id}`, { as: 'kwaliteit.aanbieder' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.definitie.code, 'jw_uitval');
    assert.equal(r.json.definitie.aggregatie, 'aandeel');
    assert.equal(r.headers.get('etag'), `"${r.json.versie}"`);
    assert.equal(r.json.links.uitkomsten, `${API}/indicatoren/${id}/uitkomsten`);
    assert.equal(r.json.links.csv, `/indicatoren/${id}/export.csv`);
    problem(await api('GET', '/indicatoren/987654321', { as: 'beleid.emmen' }), 404);
    const bad = await fetch(`${srv.url}${API}/indicatoren/abc`, { headers: { cookie: who['beleid.emmen'].cookie } });
    assert.equal(bad.status, 404);
});

test('create a local definition: 201 with Location and ETag, owned by the caller, code unique per owner', async () => {
    const code = `emmen_starts_${process.pid}`;
    const r = await api('POST', '/indicatoren', { as: 'beleid.emmen', body: definition(code) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('location'), `${API}/indicatoren/${r.json.id}`);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.equal(r.json.versie, 1);
    assert.equal(r.json.standaard, false);
    assert.equal(r.json.eigenaarId, orgId('Emmen'));
    assert.equal(r.json.definitie.naam, 'Nieuwe jeugdhulptrajecten (lokaal)');
    const list = await api('GET', `/indicatoren?eigenaar=${orgId('Emmen')}`, { as: 'beleid.hoogeveen' });
    assert.ok(list.json.items.find((i) => i.id === r.json.id));
    assert.ok(list.json.items.every((i) => i.eigenaarId === orgId('Emmen')));
    // The same code again for the same owner: 409 naming the code.
    problem(await api('POST', '/indicatoren', { as: 'beleid.emmen', body: definition(code) }), 409);
    // Another owner may use the same code.
    const h = await api('POST', '/indicatoren', { as: 'beleid.hoogeveen', body: definition(code) });
    assert.equal(h.status, 201, h.text);
    assert.equal(h.json.eigenaarId, orgId('Hoogeveen'));
    // The new definition is live in the engine at once: its figures can be asked for.
    const f = await api('GET', `/indicatoren/${r.json.id}/uitkomsten?periode=jaar`, { as: 'beleid.emmen' });
    assert.equal(f.status, 200, f.text);
    assert.equal(f.json.cellen.length > 0, true);
});

test('validation: every problem is named by its JSON key (ADR invalidParams)', async () => {
    const as = 'beleid.emmen';
    // Unknown key (a typo must not silently change a figure).
    problem(await api('POST', '/indicatoren', { as, body: { ...definition('val_a'), populaties: 'waar' } }), 400, 'populaties');
    // Several problems at once, each named.
    const many = await api('POST', '/indicatoren', {
        as,
        body: definition('val_b', { eenheid: 'fiets', kwadrant: 'links', min_n: 0 }),
    });
    problem(many, 400, 'eenheid', 'kwadrant', 'min_n');
    assert.ok(many.json.invalidParams.length >= 3);
    // An expression that does not parse or type-check: named by its key.
    problem(await api('POST', '/indicatoren', { as, body: definition('val_c', { populatie: 'wet = ' }) }), 400, 'populatie');
    problem(await api('POST', '/indicatoren', { as, body: definition('val_d', { populatie: 'leeftijd + 1' }) }), 400, 'populatie');
    problem(await api('POST', '/indicatoren', { as, body: definition('val_e', { populatie: 'onbekend_veld = 1' }) }), 400, 'populatie');
    // SQL never gets near it: an injection attempt is just a bad expression.
    problem(await api('POST', '/indicatoren', { as, body: definition('val_f', { populatie: "1; DROP TABLE indicator; --" }) }), 400, 'populatie');
    // Cross-field rules.
    problem(await api('POST', '/indicatoren', { as, body: definition('val_g', { aggregatie: 'aandeel', eenheid_waarde: 'procent' }) }), 400, 'gebeurtenis');
    // Missing required keys.
    const { naam, populatie, ...rest } = definition('val_h');
    problem(await api('POST', '/indicatoren', { as, body: rest }), 400, 'naam', 'populatie');
    // A bad code.
    problem(await api('POST', '/indicatoren', { as, body: definition('Hoofdletters!') }), 400, 'code');
    // Not JSON, duplicate keys, another media type, a non-object.
    problem(await api('POST', '/indicatoren', { as, raw: '{"versie": 1,' }), 400);
    problem(await api('POST', '/indicatoren', { as, raw: '{"versie": 1, "versie": 1}' }), 400);
    assert.equal((await api('POST', '/indicatoren', { as, raw: 'versie=1', contentType: 'application/x-www-form-urlencoded' })).status, 415);
    problem(await api('POST', '/indicatoren', { as, raw: '[1,2]' }), 400);
    // None of these was stored.
    const list = await api('GET', `/indicatoren?eigenaar=${orgId('Emmen')}&paginaGrootte=1000`, { as });
    assert.ok(!list.json.items.some((i) => /^val_/.test(i.code)), JSON.stringify(list.json.items.map((i) => i.code)));
});

test('authorisation: only beleid of the owning gemeente or region creates; the policy answers before validation', async () => {
    const emmen = orgId('Emmen');
    const cases = [
        // [login, query, expected status for an INVALID body]
        ['beleid.emmen', '', 400],
        ['beleid.regio', '', 400],
        ['beheerder', `?eigenaar=${orgId('Hoogeveen')}`, 400],
        ['beleid.hoogeveen', `?eigenaar=${emmen}`, 403],
        ['contract.regio', '', 403],
        ['kwaliteit.aanbieder', '', 403],
        ['raad.emmen', '', 403],
        ['toezicht.ggd', '', 403],
    ];
    for (const [login, q, status] of cases) {
        const r = await api('POST', `/indicatoren${q}`, { as: login, body: { versie: 1 } });
        assert.equal(r.status, status, `${login}${q}: ${r.text}`);
    }
    // A valid body created by the beheerder for Hoogeveen belongs to Hoogeveen.
    const r = await api('POST', `/indicatoren?eigenaar=${orgId('Hoogeveen')}`, { as: 'beheerder', body: definition(`beheer_${process.pid}`) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.eigenaarId, orgId('Hoogeveen'));
    // A local indicator belongs to a gemeente or region, never to a provider.
    const prov = orgs.find((o) => o.soort === 'aanbieder');
    problem(await api('POST', `/indicatoren?eigenaar=${prov.id}`, { as: 'beheerder', body: definition(`prov_${process.pid}`) }), 400, 'eigenaar');
    // A local code never shadows one of the standard set.
    problem(await api('POST', '/indicatoren', { as: 'beleid.emmen', body: definition('nieuwe_starts') }), 409, 'code');
    // Tokens: read-only never writes; a write token of beleid may.
    const read = await makeToken('beleid.emmen', ['read']);
    problem(await api('POST', '/indicatoren', { token: read, body: definition(`tok_r_${process.pid}`) }), 403);
    assert.equal((await api('GET', '/indicatoren', { token: read })).status, 200);
    const write = await makeToken('beleid.emmen', ['read', 'write']);
    assert.equal((await api('POST', '/indicatoren', { token: write, body: definition(`tok_w_${process.pid}`) })).status, 201);
    // Cookie without the CSRF header: refused.
    const res = await fetch(`${srv.url}${API}/indicatoren`, {
        method: 'POST',
        headers: { cookie: who['beleid.emmen'].cookie, 'content-type': 'application/json' },
        body: JSON.stringify(definition(`csrf_${process.pid}`)),
    });
    assert.equal(res.status, 403);
});

test('PUT replaces with optimistic locking: 428 without If-Match, 412 when stale, 200 with the new ETag', async () => {
    const code = `emmen_put_${process.pid}`;
    const c = await api('POST', '/indicatoren', { as: 'beleid.emmen', body: definition(code) });
    assert.equal(c.status, 201, c.text);
    const id = c.json.id;
    const changed = definition(code, { naam: 'Nieuwe starts jeugdhulp, gewijzigd' });
    problem(await api('PUT', `/indicatoren/${id}`, { as: 'beleid.emmen', body: changed }), 428);
    problem(await api('PUT', `/indicatoren/${id}`, { as: 'beleid.emmen', body: changed, headers: { 'if-match': 'versie' } }), 400, 'If-Match');
    problem(await api('PUT', `/indicatoren/${id}`, { as: 'beleid.emmen', body: changed, headers: { 'if-match': '"7"' } }), 412);
    const ok = await api('PUT', `/indicatoren/${id}`, { as: 'beleid.emmen', body: changed, headers: { 'if-match': '"1"' } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.versie, 2);
    assert.equal(ok.headers.get('etag'), '"2"');
    assert.equal(ok.json.definitie.naam, 'Nieuwe starts jeugdhulp, gewijzigd');
    // The old ETag is now stale: a second writer loses and nothing changes.
    problem(await api('PUT', `/indicatoren/${id}`, { as: 'beleid.emmen', body: definition(code), headers: { 'if-match': '"1"' } }), 412);
    const g = await api('GET', `/indicatoren/${id}`, { as: 'beleid.emmen' });
    assert.equal(g.json.definitie.naam, 'Nieuwe starts jeugdhulp, gewijzigd');
    // A weak ETag form is accepted.
    const w = await api('PUT', `/indicatoren/${id}`, { as: 'beleid.emmen', body: changed, headers: { 'if-match': 'W/"2"' } });
    assert.equal(w.status, 200, w.text);
    // The code does not change; an invalid definition is 400 and keeps the stored one.
    problem(await api('PUT', `/indicatoren/${id}`, { as: 'beleid.emmen', body: definition('ander_code'), headers: { 'if-match': '"3"' } }), 400, 'code');
    problem(await api('PUT', `/indicatoren/${id}`, { as: 'beleid.emmen', body: definition(code, { populatie: '(' }), headers: { 'if-match': '"3"' } }), 400, 'populatie');
    assert.equal((await api('GET', `/indicatoren/${id}`, { as: 'beleid.emmen' })).json.versie, 3);
    // Other owners and roles: 403 whatever the body or version.
    for (const login of ['beleid.hoogeveen', 'beleid.regio', 'contract.regio', 'kwaliteit.aanbieder', 'raad.emmen'])
        problem(await api('PUT', `/indicatoren/${id}`, { as: login, body: { versie: 1 }, headers: { 'if-match': '"3"' } }), 403);
    // The standard set: only the beheerder.
    const std = standard.find((i) => i.code === 'nieuwe_starts').id;
    problem(await api('PUT', `/indicatoren/${std}`, { as: 'beleid.emmen', body: { versie: 1 } }), 403);
    problem(await api('PUT', `/indicatoren/${std}`, { as: 'beheerder', body: { versie: 1 } }), 400, 'code');
    problem(await api('PUT', '/indicatoren/987654321', { as: 'beheerder', body: { versie: 1 } }), 404);
});

test('PUT on the standard set: the beheerder changes setting values only', async () => {
    const id = standard.find((i) => i.code === 'jw_uitval').id;
    const g = await api('GET', `/indicatoren/${id}`, { as: 'beheerder' });
    const def = g.json.definitie;
    const s = def.instellingen.find((x) => x.code === 'externe_redenen_in_noemer');
    assert.ok(s, JSON.stringify(def.instellingen));
    const flipped = { ...def, instellingen: def.instellingen.map((x) => (x === s ? { ...x, waarde: !x.waarde } : x)) };
    const etag = g.headers.get('etag');
    // Anything but a setting value: refused, naming instellingen.
    problem(await api('PUT', `/indicatoren/${id}`, { as: 'beheerder', body: { ...flipped, naam: 'Anders' }, headers: { 'if-match': etag } }), 400, 'instellingen');
    problem(await api('PUT', `/indicatoren/${id}`, { as: 'beheerder', body: { ...flipped, min_n: 3 }, headers: { 'if-match': etag } }), 400, 'instellingen');
    const ok = await api('PUT', `/indicatoren/${id}`, { as: 'beheerder', body: flipped, headers: { 'if-match': etag } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.definitie.instellingen.find((x) => x.code === s.code).waarde, !s.waarde);
    // And back, so the other tests see the shipped setting.
    const back = await api('PUT', `/indicatoren/${id}`, { as: 'beheerder', body: def, headers: { 'if-match': ok.headers.get('etag') } });
    assert.equal(back.status, 200, back.text);
});

/** Asserts the invariants of a disclosed view document; returns the cells. */
function checkView(j, { roundTo = 1, minCount = 10 } = {}) {
    assert.ok(Array.isArray(j.cellen) && Array.isArray(j.perioden) && Array.isArray(j.per));
    assert.ok(typeof j.publiek === 'string');
    for (const c of j.cellen) {
        assert.ok(Array.isArray(c.sleutel) && c.sleutel.length === j.per.length, JSON.stringify(c));
        if (c.verborgen) {
            // Hidden: every figure is null, never 0.
            for (const k of ['waarde', 'n', 'teller', 'noemer', 'ondergrens', 'bovengrens'])
                assert.equal(c[k], null, `${k} of a hidden cell is ${c[k]}: ${JSON.stringify(c)}`);
            assert.ok(c.verborgen.reden && c.verborgen.uitleg, JSON.stringify(c));
        } else {
            assert.equal(typeof c.waarde, 'number', JSON.stringify(c));
            assert.ok(Number.isFinite(c.waarde));
            assert.ok(c.n >= minCount, `shown cell rests on ${c.n} < ${minCount}: ${JSON.stringify(c)}`);
            for (const k of ['n', 'teller', 'noemer'])
                if (c[k] !== null && c[k] !== undefined) assert.equal(c[k] % roundTo, 0, `${k}=${c[k]} not rounded to ${roundTo}`);
        }
    }
    return j.cellen;
}

test('figures: the disclosed view per role, hidden values null never 0, rounding per audience', async () => {
    const uitval = standard.find((i) => i.code === 'jw_uitval').id;
    const starts = standard.find((i) => i.code === 'nieuwe_starts').id;
    let hiddenSeen = 0;
    for (const [login, roundTo, publiek] of [
        ['beleid.emmen', 1, 'intern'],
        ['beleid.regio', 1, 'intern'],
        ['kwaliteit.aanbieder', 5, 'aanbieder'],
        ['raad.emmen', 5, 'publiek'],
        ['toezicht.ggd', 1, 'intern'],
    ]) {
        for (const q of ['', '?per=gemeente', '?per=aanbieder&periode=jaar', '?per=categorie&per2=wet&periode=halfjaar', '?wet=jw&per=leeftijd']) {
            for (const id of [uitval, starts]) {
                const r = await api('GET', `/indicatoren/${id}/uitkomsten${q}`, { as: login });
                assert.equal(r.status, 200, `${login} ${q}: ${r.text}`);
                assert.equal(r.json.publiek, publiek);
                const cells = checkView(r.json, { roundTo });
                hiddenSeen += cells.filter((c) => c.verborgen).length;
            }
        }
    }
    assert.ok(hiddenSeen > 0, 'the small demo must have hidden cells somewhere (else nothing was tested)');
    // A stricter audience may be asked for, never a wider one.
    const pub = await api('GET', `/indicatoren/${starts}/uitkomsten?publiek=publiek`, { as: 'beleid.emmen' });
    assert.equal(pub.status, 200, pub.text);
    assert.equal(pub.json.publiek, 'publiek');
    checkView(pub.json, { roundTo: 5 });
    const wider = await api('GET', `/indicatoren/${starts}/uitkomsten?publiek=intern`, { as: 'raad.emmen' });
    assert.ok(wider.status === 400 || wider.json.publiek === 'publiek', wider.text);
});

test('figures: a provider sees only its own trajectories, a gemeente only its own residents', async () => {
    const starts = standard.find((i) => i.code === 'nieuwe_starts').id;
    const prov = await api('GET', `/indicatoren/${starts}/uitkomsten?per=aanbieder&periode=jaar`, { as: 'kwaliteit.aanbieder' });
    assert.equal(prov.status, 200, prov.text);
    const providers = new Set(prov.json.cellen.map((c) => c.sleutel[0]).filter((k) => k !== null));
    assert.ok(providers.size <= 1, `a provider sees other providers' rows: ${[...providers]}`);
    const gem = await api('GET', `/indicatoren/${starts}/uitkomsten?per=gemeente&periode=jaar`, { as: 'beleid.emmen' });
    const gemeenten = new Set(gem.json.cellen.map((c) => c.sleutel[0]).filter((k) => k !== null));
    assert.ok([...gemeenten].every((g) => g === '0114'), `Emmen sees other gemeenten: ${[...gemeenten]}`);
    // Filtering on another gemeente gives nothing of it.
    const other = await api('GET', `/indicatoren/${starts}/uitkomsten?gemeente=0118&periode=jaar`, { as: 'beleid.emmen' });
    if (other.status === 200) assert.ok(other.json.cellen.every((c) => c.verborgen || c.n === 0), other.text);
    else problem(other, other.status === 403 ? 403 : 400);
});

test('figures: bad questions are 400 naming the query parameter', async () => {
    const uitval = standard.find((i) => i.code === 'jw_uitval').id;
    const bereik = standard.find((i) => i.code === 'jw_bereik').id;
    const as = 'beleid.emmen';
    problem(await api('GET', `/indicatoren/${uitval}/uitkomsten?per=schoenmaat`, { as }), 400, 'per');
    problem(await api('GET', `/indicatoren/${uitval}/uitkomsten?periode=eeuw`, { as }), 400, 'periode');
    problem(await api('GET', `/indicatoren/${uitval}/uitkomsten?van=2024-Q9`, { as }), 400, 'van');
    problem(await api('GET', `/indicatoren/${uitval}/uitkomsten?onbekend=1`, { as }), 400, 'onbekend');
    problem(await api('GET', `/indicatoren/${uitval}/uitkomsten?per=wet&per2=wet`, { as }), 400);
    // A rate per 1,000 inhabitants cannot be split by provider.
    const r = await api('GET', `/indicatoren/${bereik}/uitkomsten?per=aanbieder`, { as });
    problem(r, 400, 'per');
    assert.match(r.json.invalidParams[0].reason, /1\.000/);
    // With two breakdowns the answer names the one that cannot be used, never an internal name.
    problem(await api('GET', `/indicatoren/${bereik}/uitkomsten?per=wet&per2=aanbieder`, { as }), 400, 'per2');
    problem(await api('GET', `/indicatoren/${bereik}/uitkomsten?per=aanbieder&per2=wet`, { as }), 400, 'per');
    problem(await api('GET', `/indicatoren/${uitval}/uitkomsten?tot=2024`, { as }), 400, 'tot');
    problem(await api('GET', `/indicatoren/${uitval}/uitkomsten?gemeente=Emmen`, { as }), 400, 'gemeente');
    problem(await api('GET', `/indicatoren/${uitval}/uitkomsten?publiek=iedereen`, { as }), 400, 'publiek');
    problem(await api('GET', `/indicatoren/${uitval}/uitkomsten?per2=wet`, { as }), 400, 'per2');
    problem(await api('GET', '/indicatoren/987654321/uitkomsten', { as }), 404);
});

test('targets: a paged collection per indicator', async () => {
    const uitval = standard.find((i) => i.code === 'jw_uitval').id;
    const r = await api('GET', `/indicatoren/${uitval}/streefwaarden`, { as: 'kwaliteit.aanbieder' });
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.json.items));
    assert.equal(r.json.totaal, r.json.items.length);
    problem(await api('GET', '/indicatoren/987654321/streefwaarden', { as: 'beleid.emmen' }), 404);
    problem(await api('GET', `/indicatoren/${uitval}/streefwaarden?gemeente=0114`, { as: 'beleid.emmen' }), 400, 'gemeente');
});

test('hostile input: huge, deep or odd bodies and queries get a clean 4xx, never a 5xx', async () => {
    const as = 'beleid.emmen';
    const uitval = standard.find((i) => i.code === 'jw_uitval').id;
    // Bodies.
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    assert.equal((await api('POST', '/indicatoren', { as, raw: deep })).status, 400);
    problem(await api('POST', '/indicatoren', { as, body: definition('lang_naam', { naam: 'x'.repeat(10_000) }) }), 400, 'naam');
    problem(await api('POST', '/indicatoren', { as, body: definition('nul_naam', { naam: 'a\u0000b' }) }), 400);
    problem(await api('POST', '/indicatoren', { as, body: definition('regels', { naam: 'een\ntwee' }) }), 400, 'naam');
    problem(await api('POST', '/indicatoren', { as, body: definition('diep', { populatie: '('.repeat(2000) + 'waar' + ')'.repeat(2000) }) }), 400, 'populatie');
    const big = await api('POST', '/indicatoren', { as, body: definition('groot', { uitleg: 'u'.repeat(70 * 1024) }) });
    assert.ok([400, 413].includes(big.status), big.text);
    problem(await api('POST', '/indicatoren', { as, body: definition('typen', { min_n: '10', versie: 1.5 }) }), 400, 'min_n');
    // Queries.
    const many = Array.from({ length: 400 }, (_, i) => String(1000 + i)).join(',');
    for (const q of [
        `gemeente=${many}`,
        `van=2024-Q1&tot=1900`,
        `van=2100-Q4&tot=1900-Q1`,
        `periode=maand&van=1900-01&tot=2100-12`,
        `per=aanbieder&per2=gemeente&wet=${'jw,'.repeat(300)}`,
        `leeftijd=${encodeURIComponent("' OR 1=1 --")}`,
        `per=${'x'.repeat(5000)}`,
    ]) {
        const r = await api('GET', `/indicatoren/${uitval}/uitkomsten?${q}`, { as });
        assert.ok(r.status === 200 || r.status === 400, `${q.slice(0, 80)}: ${r.status} ${r.text.slice(0, 200)}`);
        if (r.status === 200) checkView(r.json);
    }
    // The server is still fine.
    assert.equal((await api('GET', `/indicatoren/${uitval}`, { as })).status, 200);
});
