// contracts.test.mjs: contracts, outcome agreements and business figures over HTTP against a
// real demo server: the demo contracts (claims brought in as JW323/WMO323 through the intake
// pipeline, one contract projected over its cap), who sees which contract (a provider only its
// own; others 404), create/patch with CSRF, strict input (400 naming the attribute), optimistic
// locking (409), the /contracten pages (422 with the error summary, the cap warning, CSV
// export). Every API answer is checked against the OpenAPI description (data/openapi.json).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { checkAnswer, SPEC } from '../lib/openapi.mjs';
import { session } from './fixtures.mjs';

const API = '/api/v1';
let srv;
const who = {};
let contracts; // as contract.regio

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
    const ct = res.headers.get('content-type') ?? '';
    const json = /json/.test(ct) && text ? JSON.parse(text) : undefined;
    if (res.status >= 400) assert.match(ct, /^application\/problem\+json/, `${method} ${p} -> ${res.status} ${text}`);
    checkAnswer(method, p, res.status, json);
    return { status: res.status, json, text, headers: res.headers };
}

async function page(method, p, { as, form } = {}) {
    const h = { cookie: who[as].cookie };
    let body;
    if (form) {
        h['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams({ csrf: who[as].csrf, ...form }).toString();
    }
    const res = await fetch(srv.url + p, { method, headers: h, body, redirect: 'manual' });
    return { status: res.status, text: await res.text(), headers: res.headers };
}

const invalid = (r, name) => {
    assert.equal(r.status, 400, r.text);
    assert.ok((r.json.invalidParams ?? []).some((x) => x.name === name), `invalidParams names ${name}: ${r.text}`);
};

before(async () => {
    srv = await startServer({ demo: true });
    for (const l of ['contract.regio', 'beleid.emmen', 'kwaliteit.aanbieder', 'backoffice.regio', 'raad.emmen', 'toezicht.ggd'])
        who[l] = await session(srv.url, l);
    const r = await api('GET', '/contracten?paginaGrootte=1000', { as: 'contract.regio' });
    assert.equal(r.status, 200, r.text);
    contracts = r.json.items;
});

after(async () => {
    await srv?.stop();
});

test('the demo has region contracts with agreements and claims; one is projected over its cap', async () => {
    assert.ok(contracts.length >= 6, `contracts: ${contracts.length}`);
    assert.ok(contracts.every((c) => c.eigenaarNaam === 'Jeugdregio Zuid-Drenthe'));
    assert.ok(contracts.every((c) => c.resultaatafspraken.length >= 2));
    let over = 0;
    for (const c of contracts) {
        const f = await api('GET', `/contracten/${c.id}/bedrijfsvoering?jaar=2026`, { as: 'contract.regio' });
        assert.equal(f.status, 200, f.text);
        assert.ok(f.json.uitgavenCent > 0, `${c.naam}: spend`);
        assert.equal(f.json.uitgavenPerMaandCent.length, 12);
        assert.equal(f.json.uitgavenPerMaandCent.reduce((a, b) => a + b, 0), f.json.uitgavenCent);
        assert.ok(f.json.prognoseCent >= f.json.uitgavenCent);
        // 2025 has claims in every month: the previous year's profile is used (or the year is over).
        assert.ok(['profiel_vorig_jaar', 'jaar_compleet', 'lineair'].includes(f.json.prognoseMethode));
        if (f.json.prognoseBovenPlafond) over++;
    }
    assert.ok(over >= 1, 'at least one contract projected over its omzetplafond');
    const y2025 = await api('GET', `/contracten/${contracts[0].id}/bedrijfsvoering?jaar=2025`, { as: 'contract.regio' });
    assert.equal(y2025.json.prognoseMethode, 'jaar_compleet');
    assert.equal(y2025.json.prognoseCent, y2025.json.uitgavenCent);
});

test('a provider sees only its own contracts; others get 404; raad and toezicht see none', async () => {
    const own = await api('GET', '/contracten', { as: 'kwaliteit.aanbieder' });
    assert.equal(own.status, 200);
    assert.ok(own.json.items.length >= 1);
    const mine = new Set(own.json.items.map((c) => c.aanbiederId));
    assert.equal(mine.size, 1);
    const other = contracts.find((c) => !mine.has(c.aanbiederId));
    assert.equal((await api('GET', `/contracten/${other.id}`, { as: 'kwaliteit.aanbieder' })).status, 404);
    assert.equal((await api('GET', `/contracten/${other.id}/bedrijfsvoering`, { as: 'kwaliteit.aanbieder' })).status, 404);
    for (const l of ['raad.emmen', 'toezicht.ggd']) {
        const r = await api('GET', '/contracten', { as: l });
        assert.equal(r.json.items.length, 0, l);
        assert.equal((await api('GET', `/contracten/${other.id}`, { as: l })).status, 404, l);
    }
    // The region's back office and a gemeente of the region read the region's contracts.
    assert.equal((await api('GET', `/contracten/${other.id}`, { as: 'backoffice.regio' })).status, 200);
    assert.equal((await api('GET', `/contracten/${other.id}`, { as: 'beleid.emmen' })).status, 200);
});

test('create and patch: CSRF, rights, strict input, optimistic locking', async () => {
    const base = contracts[0];
    const body = {
        naam: 'Testcontract ambulant',
        aanbiederId: base.aanbiederId,
        wet: 'jeugdwet',
        uitvoeringsvariant: 'outputgericht',
        begindatum: '2026-01-01',
        einddatum: '2026-12-31',
        budgetCent: 100000000,
        omzetplafondCent: 110000000,
        producten: [{ categorie: '45', code: null }],
        resultaatafspraken: [{ indicatorId: base.resultaatafspraken[0].indicatorId, streefwaarde: 60, vergelijking: 'min' }],
    };
    assert.equal((await api('POST', '/contracten', { as: 'contract.regio', body, csrf: false })).status, 403);
    assert.equal((await api('POST', '/contracten', { as: 'kwaliteit.aanbieder', body })).status, 403);
    assert.equal((await api('POST', '/contracten', { as: 'backoffice.regio', body })).status, 403);
    invalid(await api('POST', '/contracten', { as: 'contract.regio', body: { ...body, gemeenten: ['GM0363'] } }), 'gemeenten');
    invalid(await api('POST', '/contracten', { as: 'contract.regio', body: { ...body, onbekend: 1 } }), 'onbekend');
    invalid(await api('POST', '/contracten', { as: 'contract.regio', body: { ...body, budgetCent: -5 } }), 'budgetCent');
    invalid(await api('POST', '/contracten', { as: 'contract.regio', body: { ...body, producten: [{ categorie: '99' }] } }), 'producten');
    invalid(await api('POST', '/contracten', { as: 'contract.regio', body: { ...body, einddatum: '2025-01-01' } }), 'einddatum');
    invalid(await api('POST', '/contracten', { as: 'contract.regio', body: { ...body, resultaatafspraken: [{ indicatorId: 1, streefwaarde: 'veel', vergelijking: 'min' }] } }), 'resultaatafspraken');
    const c = await api('POST', '/contracten', { as: 'contract.regio', body });
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.versie, 1);
    assert.equal(c.json.gemeenten.length, 7); // no choice: all of the region's gemeenten
    const p = await api('PATCH', `/contracten/${c.json.id}`, { as: 'contract.regio', body: { versie: 1, naam: 'Testcontract (herzien)' } });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.versie, 2);
    assert.equal(p.json.resultaatafspraken.length, 1);
    assert.equal((await api('PATCH', `/contracten/${c.json.id}`, { as: 'contract.regio', body: { versie: 1, naam: 'Oud' } })).status, 409);
    assert.equal((await api('PATCH', `/contracten/${c.json.id}`, { as: 'beleid.emmen', body: { versie: 2, naam: 'X' } })).status, 403);
    const arch = await api('PATCH', `/contracten/${c.json.id}`, { as: 'contract.regio', body: { versie: 2, gearchiveerd: true } });
    assert.equal(arch.status, 200, arch.text);
    assert.equal(arch.json.gearchiveerd, true);
});

test('pages: list, contract with the cap warning, 422 form, CSV export', async () => {
    const list = await page('GET', '/contracten', { as: 'contract.regio' });
    assert.equal(list.status, 200);
    assert.ok(list.text.includes(contracts[1].naam.replace('–', '&#8211;')) || list.text.includes(contracts[1].naam));
    let warned = false;
    for (const c of contracts) {
        const v = await page('GET', `/contracten/${c.id}?jaar=2026`, { as: 'contract.regio' });
        assert.equal(v.status, 200);
        assert.match(v.text, /Resultaatafspraken/);
        assert.match(v.text, /Laatste waarde/); // each agreement with its latest figure
        assert.match(v.text, /(ten minste|ten hoogste) /);
        if (/omzetplafond \(/.test(v.text) && /Let op/.test(v.text)) warned = true;
    }
    assert.ok(warned, 'a contract page warns about the omzetplafond');
    const bad = await page('POST', '/contracten/nieuw', { as: 'contract.regio', form: { naam: '', van: 'gisteren', budget: 'veel' } });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /budget/i);
    const noCsrf = await fetch(srv.url + '/contracten/nieuw', {
        method: 'POST',
        headers: { cookie: who['contract.regio'].cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'naam=x',
        redirect: 'manual',
    });
    assert.equal(noCsrf.status, 403);
    const csv = await page('GET', `/contracten/${contracts[0].id}/bedrijfsvoering.csv?jaar=2026`, { as: 'contract.regio' });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /text\/csv/);
    assert.match(csv.text, /Prognose jaareinde/);
    const own = (await api('GET', '/contracten', { as: 'kwaliteit.aanbieder' })).json.items;
    const other = contracts.find((c) => c.aanbiederId !== own[0].aanbiederId);
    assert.equal((await page('GET', `/contracten/${other.id}`, { as: 'kwaliteit.aanbieder' })).status, 404);
    assert.equal((await page('GET', `/contracten/${own[0].id}`, { as: 'kwaliteit.aanbieder' })).status, 200);
});
