// framework.test.mjs: the quality framework (kwaliteitskader) over HTTP against a real demo
// server: the demo framework for every role, authorisation per role (the region's beleid and
// contract edit the regional criteria, a gemeente only its own local points, providers and raad
// read), CSRF, strict input with the attribute named, optimistic locking, the duplicate check
// (list, "geen dubbeling", merge), the hostile import (every error with line and column, nothing
// written), the CSV and XLSX export/import round trip, and the /kwaliteitskader pages. Every API
// answer is checked against data/openapi.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, rawRequest, parseRawResponse } from '../lib/server.mjs';
import { checkAnswer } from '../lib/openapi.mjs';
import { session } from './fixtures.mjs';

const API = '/api/v1';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let srv;
const who = {};
let orgs;
let fw; // the demo framework
let crit; // its criteria

async function api(method, p, { as, body, raw, contentType, csrf = true } = {}) {
    const h = { accept: 'application/json' };
    if (as) {
        h.cookie = who[as].cookie;
        if (method !== 'GET' && csrf) h['x-csrf-token'] = who[as].csrf;
    }
    const payload = raw ?? (body !== undefined ? JSON.stringify(body) : undefined);
    if (payload !== undefined) h['content-type'] = contentType ?? 'application/json';
    const res = await fetch(srv.url + API + p, { method, headers: h, body: payload, redirect: 'manual' });
    const buf = Buffer.from(await res.arrayBuffer());
    const ct = res.headers.get('content-type') ?? '';
    let json;
    if (/json/.test(ct) && buf.length) json = JSON.parse(buf.toString('utf8'));
    assert.ok(res.headers.get('api-version'), `API-Version on ${method} ${p}`);
    if (res.status >= 400) assert.match(ct, /^application\/problem\+json/, `${method} ${p} -> ${res.status} ${buf}`);
    checkAnswer(method, p, res.status, json);
    return { status: res.status, headers: res.headers, json, text: buf.toString('utf8'), buf };
}

function problem(r, status, ...fields) {
    assert.equal(r.status, status, r.text);
    for (const f of fields) {
        const p = (r.json.invalidParams ?? []).find((x) => x.name === f);
        assert.ok(p, `invalidParams does not name ${f}: ${r.text}`);
    }
}

const orgId = (name) => {
    const o = orgs.find((x) => x.naam === name);
    assert.ok(o, `organisation ${name}`);
    return o.id;
};
const code = (c) => crit.find((x) => x.code === c);

function newCriterion(over = {}) {
    return {
        code: `T${Math.floor(Math.random() * 1e6)}`,
        thema: 'Veiligheid',
        tekst: 'De aanbieder oefent jaarlijks de bedrijfshulpverlening op elke locatie.',
        bronsoort: 'lokaal',
        bron: 'Test',
        wetten: ['jw', 'wmo'],
        verificatie: ['document', 'gesprek'],
        ...over,
    };
}

before(async () => {
    srv = await startServer({ demo: true });
    for (const l of ['beheerder', 'beleid.regio', 'contract.regio', 'beleid.emmen', 'beleid.hoogeveen', 'kwaliteit.aanbieder', 'raad.emmen', 'toezicht.ggd'])
        who[l] = await session(srv.url, l);
    orgs = (await api('GET', '/organisaties?paginaGrootte=1000', { as: 'beheerder' })).json.items;
    const list = await api('GET', '/kwaliteitskaders', { as: 'raad.emmen' });
    assert.equal(list.status, 200, list.text);
    fw = list.json.items[0];
    crit = (await api('GET', `/kwaliteitskaders/${fw.id}/criteria?paginaGrootte=1000`, { as: 'raad.emmen' })).json.items;
});

after(async () => {
    await srv?.stop();
});

test('every role reads the demo framework: 42 criteria in 8 themes, two local points', async () => {
    for (const l of Object.keys(who)) {
        const r = await api('GET', `/kwaliteitskaders/${fw.id}`, { as: l });
        assert.equal(r.status, 200, `${l}: ${r.text}`);
        assert.equal(r.json.themas.length, 8);
        assert.equal(r.json.aantalCriteria, 42);
        assert.equal(r.json.eigenaarNaam, 'Jeugdregio Zuid-Drenthe');
    }
    assert.equal(crit.length, 42);
    const local = crit.filter((c) => c.gemeenteId !== null);
    assert.deepEqual(local.map((c) => c.code).sort(), ['L-EM1', 'L-HV1']);
    assert.equal(code('L-EM1').gemeenteId, orgId('Emmen'));
    assert.deepEqual(code('K2.4').wetten, ['jw']);
    assert.deepEqual(code('K2.4').verificatie, ['document', 'onderzoek']);
    const v = await api('GET', `/kwaliteitskaders/${fw.id}/versies`, { as: 'kwaliteit.aanbieder' });
    assert.equal(v.status, 200);
    assert.ok(v.json.items.length >= 2);
    assert.match(v.json.items[0].samenvatting, /Import: 42 criteria toegevoegd/);
    problem(await api('GET', `/kwaliteitskaders/${fw.id}/criteria?soort=x`, { as: 'raad.emmen' }), 400, 'soort');
    assert.equal((await api('GET', '/kwaliteitskaders/999999', { as: 'raad.emmen' })).status, 404);
    const anon = await fetch(`${srv.url}${API}/kwaliteitskaders`);
    assert.equal(anon.status, 401);
});

test('authorisation per role: region edits regional criteria, a gemeente only its local points', async () => {
    const base = `/kwaliteitskaders/${fw.id}/criteria`;
    for (const l of ['raad.emmen', 'kwaliteit.aanbieder', 'toezicht.ggd', 'beleid.emmen'])
        assert.equal((await api('POST', base, { as: l, body: newCriterion() })).status, 403, l);
    const made = await api('POST', base, { as: 'contract.regio', body: newCriterion() });
    assert.equal(made.status, 201, made.text);
    assert.match(made.headers.get('location'), new RegExp(`/api/v1/kwaliteitscriteria/${made.json.id}$`));
    const emmen = orgId('Emmen');
    assert.equal((await api('POST', base, { as: 'beleid.regio', body: newCriterion({ gemeenteId: emmen }) })).status, 403);
    assert.equal((await api('POST', base, { as: 'beleid.hoogeveen', body: newCriterion({ gemeenteId: emmen }) })).status, 403);
    const local = await api('POST', base, { as: 'beleid.emmen', body: newCriterion({ gemeenteId: emmen }) });
    assert.equal(local.status, 201, local.text);
    assert.equal(local.json.gemeenteNaam, 'Emmen');
    // A gemeente outside the region cannot get local points in this framework.
    const far = orgs.find((o) => o.soort === 'gemeente' && !/Emmen|Hoogeveen|Coevorden|Meppel|De Wolden|Borger|Westerveld/.test(o.naam));
    if (far) problem(await api('POST', base, { as: 'beheerder', body: newCriterion({ gemeenteId: far.id }) }), 400, 'gemeenteId');

    const k11 = code('K1.1');
    const patch = (l, c, body) => api('PATCH', `/kwaliteitscriteria/${c.id}`, { as: l, body, contentType: 'application/merge-patch+json' });
    for (const l of ['beleid.emmen', 'kwaliteit.aanbieder', 'raad.emmen'])
        assert.equal((await patch(l, k11, { versie: k11.versie, bron: 'x' })).status, 403, l);
    assert.equal((await patch('beleid.regio', local.json, { versie: 1, bron: 'x' })).status, 403);
    assert.equal((await patch('beleid.hoogeveen', local.json, { versie: 1, bron: 'x' })).status, 403);
    const ok = await patch('beleid.emmen', local.json, { versie: 1, bron: 'Beleidsplan Emmen' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.versie, 2);
    // Stale version: 409; archive and restore.
    assert.equal((await patch('beleid.emmen', local.json, { versie: 1, bron: 'y' })).status, 409);
    const arch = await patch('beleid.emmen', local.json, { versie: 2, gearchiveerd: true });
    assert.equal(arch.status, 200, arch.text);
    assert.equal(arch.json.gearchiveerd, true);
    // The framework itself: only the region (and beheerder).
    const f = (await api('GET', `/kwaliteitskaders/${fw.id}`, { as: 'raad.emmen' })).json;
    assert.equal((await api('PATCH', `/kwaliteitskaders/${fw.id}`, { as: 'beleid.emmen', body: { versie: f.versie, naam: 'x' } })).status, 403);
    const ren = await api('PATCH', `/kwaliteitskaders/${fw.id}`, { as: 'contract.regio', body: { versie: f.versie, omschrijving: 'Bijgewerkt in de test.' } });
    assert.equal(ren.status, 200, ren.text);
    assert.equal(ren.json.versie, f.versie + 1);
    assert.equal((await api('POST', '/kwaliteitskaders', { as: 'beleid.emmen', body: { naam: 'Eigen kader' } })).status, 403);
    assert.equal((await api('POST', '/kwaliteitskaders', { as: 'kwaliteit.aanbieder', body: { naam: 'Eigen kader' } })).status, 403);
});

test('CSRF: a session without the token changes nothing', async () => {
    const r = await api('POST', `/kwaliteitskaders/${fw.id}/criteria`, { as: 'contract.regio', body: newCriterion(), csrf: false });
    assert.equal(r.status, 403);
    assert.match(r.json.detail, /CSRF/);
    const i = await api('POST', `/kwaliteitskaders/${fw.id}/import`, { as: 'beheerder', raw: 'code;thema\n', contentType: 'text/csv', csrf: false });
    assert.equal(i.status, 403);
});

test('bad input names the attribute', async () => {
    const base = `/kwaliteitskaders/${fw.id}/criteria`;
    const as = 'beleid.regio';
    problem(await api('POST', base, { as, body: newCriterion({ prijs: 3 }) }), 400, 'prijs');
    problem(await api('POST', base, { as, body: newCriterion({ bronsoort: 'folklore' }) }), 400, 'bronsoort');
    problem(await api('POST', base, { as, body: newCriterion({ wetten: ['bijstand'] }) }), 400, 'wetten');
    problem(await api('POST', base, { as, body: newCriterion({ verificatie: [] }) }), 400, 'verificatie');
    problem(await api('POST', base, { as, body: newCriterion({ tekst: '   ' }) }), 400, 'tekst');
    problem(await api('POST', base, { as, body: newCriterion({ code: 'K 1' }) }), 400, 'code');
    problem(await api('POST', base, { as, body: newCriterion({ tekst: 'x'.repeat(2001) }) }), 400, 'tekst');
    const dup = await api('POST', base, { as, body: newCriterion({ code: 'K1.1' }) });
    assert.equal(dup.status, 409, dup.text);
    problem(await api('POST', base, { as, raw: '{"code": "a", "code": "b"}' }), 400);
    assert.equal((await api('POST', base, { as, raw: 'code=a', contentType: 'application/x-www-form-urlencoded' })).status, 415);
    problem(await api('POST', '/kwaliteitskaders', { as, body: { naam: '' } }), 400, 'naam');
    problem(await api('GET', `/kwaliteitskaders/${fw.id}/export?formaat=pdf`, { as }), 400, 'formaat');
});

test('duplicates: the planted pairs, "not a duplicate" remembered, merge keeps every source', async () => {
    const p = `/kwaliteitskaders/${fw.id}/dubbelingen`;
    const d = await api('GET', p, { as: 'kwaliteit.aanbieder' });
    assert.equal(d.status, 200, d.text);
    const pairs = d.json.items.map((x) => `${x.a.code}/${x.b.code}`);
    assert.deepEqual(pairs, ['K8.1/K8.4', 'K3.1/K3.4', 'K2.2/K2.5', 'K6.2/K6.4']);
    for (const x of d.json.items) {
        assert.ok(x.gelijkenis >= 0.55 && x.gelijkenis <= 1, String(x.gelijkenis));
        assert.notEqual(x.a.bronsoort, x.b.bronsoort);
    }
    const [k62, k64] = [code('K6.2').id, code('K6.4').id];
    assert.equal((await api('POST', `${p}/geen-dubbeling`, { as: 'kwaliteit.aanbieder', body: { criteriumIdA: k62, criteriumIdB: k64 } })).status, 403);
    problem(await api('POST', `${p}/geen-dubbeling`, { as: 'beleid.regio', body: { criteriumIdA: k62, criteriumIdB: k62 } }), 400, 'criteriumIdB');
    assert.equal((await api('POST', `${p}/geen-dubbeling`, { as: 'beleid.regio', body: { criteriumIdA: k62, criteriumIdB: k64 } })).status, 200);
    assert.equal((await api('GET', p, { as: 'beleid.regio' })).json.totaal, 3);

    const [k22, k25] = [code('K2.2').id, code('K2.5').id];
    assert.equal((await api('POST', `${p}/samenvoegen`, { as: 'beleid.emmen', body: { behoudenId: k25, samenvoegenId: k22 } })).status, 403);
    const m = await api('POST', `${p}/samenvoegen`, { as: 'contract.regio', body: { behoudenId: k25, samenvoegenId: k22 } });
    assert.equal(m.status, 200, m.text);
    assert.deepEqual(m.json.extraBronnen, [{ bronsoort: 'contracteis', bron: 'Contractstandaarden Wmo, art. 3.10.3', uitCriteriumId: k22 }]);
    const gone = await api('GET', `/kwaliteitscriteria/${k22}`, { as: 'raad.emmen' });
    assert.equal(gone.json.gearchiveerd, true);
    assert.equal(gone.json.samengevoegdIn, k25);
    assert.equal((await api('POST', `${p}/samenvoegen`, { as: 'contract.regio', body: { behoudenId: k25, samenvoegenId: k22 } })).status, 409);
    assert.equal((await api('GET', p, { as: 'beleid.regio' })).json.totaal, 2);
    // An id that is no criterion.
    assert.equal((await api('GET', `/kwaliteitscriteria/999999`, { as: 'raad.emmen' })).status, 404);
});

test('import: hostile files are refused whole, with every error on its line and column', async () => {
    const mk = await api('POST', '/kwaliteitskaders', { as: 'beleid.regio', body: { naam: 'Importproef' } });
    assert.equal(mk.status, 201, mk.text);
    const id = mk.json.id;
    const imp = (as, raw, contentType = 'text/csv', name = 'proef.csv') =>
        api('POST', `/kwaliteitskaders/${id}/import?bestandsnaam=${name}`, { as, raw, contentType });
    const bad =
        'code;thema;criterium;bronsoort;bron;wet;productcategorieen;bewijs;verificatie;gemeente\n' +
        'K1;Veiligheid;Een geldig criterium.;lokaal;;jw;;;document;\n' +
        'K2;Veiligheid;Bron onbekend.;folklore;;jw;;;document;\n' +
        'K3;Veiligheid;"=HYPERLINK(""http://x"")";lokaal;;bijstand;;;gesprek;\n';
    const r = await imp('beleid.regio', bad);
    assert.equal(r.status, 400, r.text);
    assert.deepEqual(r.json.fouten.map((f) => [f.regel, f.kolom]), [[3, 4], [4, 6]]);
    assert.match(r.json.fouten[0].melding, /^proef\.csv, regel 3, kolom 4 \(bronsoort\)/);
    assert.equal((await api('GET', `/kwaliteitskaders/${id}/criteria`, { as: 'beleid.regio' })).json.totaal, 0);
    assert.equal((await api('GET', `/kwaliteitskaders/${id}/versies`, { as: 'beleid.regio' })).json.totaal, 1);
    const cols = await imp('beleid.regio', 'code;thema;criterium;prijs\nK1;T;x;3\n');
    assert.equal(cols.status, 400);
    assert.ok(cols.json.fouten.some((f) => /onbekende kolom/.test(f.melding)));
    assert.ok(cols.json.fouten.some((f) => /"wet" ontbreekt/.test(f.melding)));
    assert.equal((await imp('beleid.regio', 'x', 'application/json')).status, 415);
    assert.equal((await imp('beleid.regio', Buffer.from('PK\x03\x04 no zip'), XLSX, 'kapot.xlsx')).status, 400);
    // Too big: the server answers 413 as soon as it reads the Content-Length and may close
    // before the body is sent, so this goes over a raw socket that keeps what arrived.
    const bigBody = 'x'.repeat(1024 * 1024 + 10);
    const bigHead =
        `POST ${API}/kwaliteitskaders/${id}/import?bestandsnaam=proef.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Cookie: ${who['beleid.regio'].cookie}\r\nX-CSRF-Token: ${who['beleid.regio'].csrf}\r\n` +
        `Accept: application/json\r\nContent-Type: text/csv\r\nContent-Length: ${bigBody.length}\r\n\r\n`;
    const big = parseRawResponse(await rawRequest(new URL(srv.url).port, bigHead, { chunks: [bigHead, bigBody] }));
    assert.equal(big.status, 413);
    assert.equal((await imp('kwaliteit.aanbieder', bad)).status, 403);
    assert.equal((await imp('raad.emmen', bad)).status, 403);
    // A gemeente of the region may import its own local points, not regional criteria.
    const regional = 'code;thema;criterium;bronsoort;wet;verificatie\nE1;Veiligheid;Regionaal.;lokaal;jw;document\n';
    assert.equal((await imp('beleid.emmen', regional)).status, 403);
    const ownLocal = 'code;thema;criterium;bronsoort;wet;verificatie;gemeente\nE1;Veiligheid;Lokaal punt.;lokaal;jw;document;GM0114\n';
    const own = await imp('beleid.emmen', ownLocal);
    assert.equal(own.status, 200, own.text);
    assert.equal((await imp('beleid.hoogeveen', ownLocal.replace('E1;', 'H1;'))).status, 403);
    // The good row alone goes in; the formula text is kept as text.
    const good = await imp('beleid.regio',
        'code;thema;criterium;bronsoort;wet;verificatie\nK1;Veiligheid;"=HYPERLINK(""http://x"")";lokaal;jw;document\n');
    assert.equal(good.status, 200, good.text);
    assert.deepEqual(good.json, { regels: 1, aangemaakt: 1, gewijzigd: 0 });
    assert.equal((await api('GET', `/kwaliteitskaders/${id}/criteria`, { as: 'raad.emmen' })).json.totaal, 2);
    const csv = await api('GET', `/kwaliteitskaders/${id}/export`, { as: 'raad.emmen' });
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    assert.match(csv.text, /'=HYPERLINK/); // neutralised for spreadsheets
});

test('export and import round trip, CSV and XLSX', async () => {
    const csv = await api('GET', `/kwaliteitskaders/${fw.id}/export?formaat=csv`, { as: 'kwaliteit.aanbieder' });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-disposition'), /^attachment; filename="kwaliteitskader-\d+-v\d+\.csv"$/);
    assert.equal(csv.buf.subarray(0, 3).toString('hex'), 'efbbbf');
    assert.ok(csv.text.includes('code;thema;criterium;bronsoort;bron;wet;productcategorieen;bewijs;verificatie;gemeente;samengevoegde_bronnen\r\n'));
    // K2.5 kept K2.2's source when they were merged above.
    assert.match(csv.text, /\r\nK2\.5;[^\r]*;contracteis: Contractstandaarden Wmo, art\. 3\.10\.3\r\n/);
    // An earlier version: version 1 is the empty framework, version 2 the demo import.
    const v1 = await api('GET', `/kwaliteitskaders/${fw.id}/export?versie=1`, { as: 'raad.emmen' });
    assert.equal(v1.status, 200);
    assert.equal(v1.text.trim().split('\r\n').length, 1);
    const v2 = await api('GET', `/kwaliteitskaders/${fw.id}/export?versie=2`, { as: 'raad.emmen' });
    assert.equal(v2.text.trim().split('\r\n').length, 43);
    assert.match(v2.headers.get('content-disposition'), /-v2\.csv"$/);
    assert.match(v2.text, /\r\nK2\.2;/); // merged away since, but part of version 2
    assert.equal((await api('GET', `/kwaliteitskaders/${fw.id}/export?versie=99999`, { as: 'raad.emmen' })).status, 404);
    const xlsx = await api('GET', `/kwaliteitskaders/${fw.id}/export?formaat=xlsx`, { as: 'raad.emmen' });
    assert.equal(xlsx.status, 200);
    assert.equal(xlsx.headers.get('content-type'), XLSX);
    assert.equal(xlsx.buf.subarray(0, 2).toString(), 'PK');
    const active = (await api('GET', `/kwaliteitskaders/${fw.id}/criteria?paginaGrootte=1000`, { as: 'raad.emmen' })).json.items;
    for (const [fmt, body, type] of [['csv', csv.buf, 'text/csv'], ['xlsx', xlsx.buf, XLSX]]) {
        const mk = await api('POST', '/kwaliteitskaders', { as: 'beheerder', body: { naam: `Kopie ${fmt}`, eigenaarId: fw.eigenaarId } });
        assert.equal(mk.status, 201, mk.text);
        // The region alone may not bring in the gemeenten's local points...
        const region = await api('POST', `/kwaliteitskaders/${mk.json.id}/import`, { as: 'beleid.regio', raw: body, contentType: type });
        assert.equal(region.status, 403, region.text);
        // ...the beheerder may bring in the whole framework.
        const r = await api('POST', `/kwaliteitskaders/${mk.json.id}/import?bestandsnaam=kader.${fmt}`, { as: 'beheerder', raw: body, contentType: type });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.aangemaakt, active.length);
        const copy = (await api('GET', `/kwaliteitskaders/${mk.json.id}/criteria?paginaGrootte=1000`, { as: 'raad.emmen' })).json.items;
        assert.equal(copy.length, active.length);
        for (const c of active) {
            const k = copy.find((x) => x.code === c.code);
            assert.ok(k, `${fmt}: ${c.code}`);
            for (const f of ['thema', 'tekst', 'bronsoort', 'wetten', 'verificatie', 'bewijs', 'productcategorieen', 'gemeenteId'])
                assert.deepEqual(k[f], c[f], `${fmt} ${c.code}.${f}`);
        }
        // Importing the same file again changes nothing.
        const again = await api('POST', `/kwaliteitskaders/${mk.json.id}/import`, { as: 'beheerder', raw: body, contentType: type });
        assert.deepEqual([again.json.aangemaakt, again.json.gewijzigd], [0, 0]);
    }
});

/** A page request as a logged-in user; form posts carry the CSRF token unless told not to. */
async function page(method, p, as, { form, csrf = true, body, headers = {} } = {}) {
    const h = { cookie: who[as].cookie, ...headers };
    let payload = body;
    if (form) {
        const f = new URLSearchParams();
        if (csrf) f.append('csrf', who[as].csrf);
        for (const [k, v] of Object.entries(form)) for (const x of [].concat(v)) f.append(k, x);
        payload = f.toString();
        h['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(srv.url + p, { method, headers: h, body: payload, redirect: 'manual' });
    return { status: res.status, headers: res.headers, text: await res.text() };
}

test('pages: framework per theme, criterion form with CSRF and errors, duplicates, versions, import', async () => {
    const list = await page('GET', '/kwaliteitskader', 'raad.emmen');
    assert.equal(list.status, 200);
    assert.match(list.text, /Kwaliteitskader sociaal domein Zuid-Drenthe/);
    assert.doesNotMatch(list.text, /Kwaliteitskader maken/); // raad does not create
    assert.match((await page('GET', '/kwaliteitskader', 'beleid.regio')).text, /Kwaliteitskader maken/);
    const view = await page('GET', `/kwaliteitskader/${fw.id}`, 'kwaliteit.aanbieder');
    assert.equal(view.status, 200);
    assert.match(view.text, /<h2[^>]*>Veiligheid<\/h2>/);
    assert.match(view.text, /lokaal: Emmen/);
    assert.doesNotMatch(view.text, /Criterium toevoegen/);
    // What applies in Hoogeveen: the regional criteria and Hoogeveen's local point, not Emmen's.
    const hv = await page('GET', `/kwaliteitskader/${fw.id}?gemeente=${orgId('Hoogeveen')}`, 'kwaliteit.aanbieder');
    assert.equal(hv.status, 200);
    assert.match(hv.text, /lokaal: Hoogeveen/);
    assert.doesNotMatch(hv.text, /lokaal: Emmen/);
    assert.match(hv.text, /K1\.1/);
    // An id that is not a gemeente of the region shows everything.
    assert.match((await page('GET', `/kwaliteitskader/${fw.id}?gemeente=999999`, 'raad.emmen')).text, /lokaal: Emmen/);
    assert.match((await page('GET', `/kwaliteitskader/${fw.id}`, 'contract.regio')).text, /Criterium toevoegen/);
    assert.equal((await page('GET', `/kwaliteitskader/${fw.id}/criteria/nieuw`, 'raad.emmen')).status, 403);

    const form = { gemeente: '', code: 'P1', thema: 'Veiligheid', tekst: '', bronsoort: 'lokaal', wet: ['jw'], verificatie: ['gesprek'] };
    assert.equal((await page('POST', `/kwaliteitskader/${fw.id}/criteria`, 'contract.regio', { form, csrf: false })).status, 403);
    const bad = await page('POST', `/kwaliteitskader/${fw.id}/criteria`, 'contract.regio', { form });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /Vul de tekst van het criterium in/);
    assert.equal((await page('POST', `/kwaliteitskader/${fw.id}/criteria`, 'raad.emmen', { form: { ...form, tekst: 'x' } })).status, 403);
    const made = await page('POST', `/kwaliteitskader/${fw.id}/criteria`, 'contract.regio', { form: { ...form, tekst: 'Een criterium uit de pagina.' } });
    assert.equal(made.status, 303, made.text);
    const local = await page('POST', `/kwaliteitskader/${fw.id}/criteria`, 'beleid.emmen', { form: { ...form, code: 'P2', gemeente: String(orgId('Emmen')), tekst: 'Lokaal uit de pagina.' } });
    assert.equal(local.status, 303, local.text);
    const all = (await api('GET', `/kwaliteitskaders/${fw.id}/criteria?paginaGrootte=1000`, { as: 'raad.emmen' })).json.items;
    const p2 = all.find((c) => c.code === 'P2');
    assert.equal(p2.gemeenteId, orgId('Emmen'));
    assert.equal((await page('GET', `/kwaliteitskader/${fw.id}/criteria/${p2.id}`, 'beleid.regio')).status, 403);
    const edit = await page('GET', `/kwaliteitskader/${fw.id}/criteria/${p2.id}`, 'beleid.emmen');
    assert.equal(edit.status, 200);
    const upd = await page('POST', `/kwaliteitskader/${fw.id}/criteria/${p2.id}`, 'beleid.emmen', {
        form: { ...form, code: 'P2', tekst: 'Lokaal, gewijzigd.', versie: String(p2.versie) },
    });
    assert.equal(upd.status, 303, upd.text);
    const stale = await page('POST', `/kwaliteitskader/${fw.id}/criteria/${p2.id}`, 'beleid.emmen', {
        form: { ...form, code: 'P2', tekst: 'Nog eens.', versie: String(p2.versie) },
    });
    assert.equal(stale.status, 409);

    const dups = await page('GET', `/kwaliteitskader/${fw.id}/dubbelingen`, 'contract.regio');
    assert.equal(dups.status, 200);
    assert.match(dups.text, /K3\.1/);
    assert.match(dups.text, /Samenvoegen in K3\.1/);
    assert.doesNotMatch((await page('GET', `/kwaliteitskader/${fw.id}/dubbelingen`, 'raad.emmen')).text, /Samenvoegen in/);
    const [k31, k34] = [code('K3.1').id, code('K3.4').id];
    assert.equal((await page('POST', `/kwaliteitskader/${fw.id}/dubbelingen`, 'raad.emmen', { form: { a: k31, b: k34, actie: 'behoud-a' } })).status, 403);
    const merged = await page('POST', `/kwaliteitskader/${fw.id}/dubbelingen`, 'contract.regio', { form: { a: k31, b: k34, actie: 'behoud-a' } });
    assert.equal(merged.status, 303, merged.text);
    const after = (await api('GET', `/kwaliteitscriteria/${k34}`, { as: 'raad.emmen' })).json;
    assert.equal(after.samengevoegdIn, k31);

    const versions = await page('GET', `/kwaliteitskader/${fw.id}/versies`, 'raad.emmen');
    assert.match(versions.text, /Criterium K3\.4 samengevoegd met K3\.1/);
    const csv = await page('GET', `/kwaliteitskader/${fw.id}/export.csv`, 'raad.emmen');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-disposition'), /attachment/);

    // Upload through the page: multipart, CSRF in the query string.
    const mk = await api('POST', '/kwaliteitskaders', { as: 'beleid.regio', body: { naam: 'Paginaproef' } });
    const fd = new FormData();
    fd.append('bestand', new Blob(['code;thema;criterium;bronsoort;wet;verificatie\nX1;T;Tekst.;lokaal;jw;document\nX2;T;;lokaal;jw;document\n'], { type: 'text/csv' }), 'proef.csv');
    const up = (csrf) => fetch(`${srv.url}/kwaliteitskader/${mk.json.id}/importeren?csrf=${encodeURIComponent(csrf)}`, { method: 'POST', headers: { cookie: who['beleid.regio'].cookie }, body: fd, redirect: 'manual' });
    assert.equal((await up('fout')).status, 403);
    const r = await up(who['beleid.regio'].csrf);
    const t = await r.text();
    assert.equal(r.status, 422, t);
    assert.match(t, /proef\.csv, regel 3, kolom 3 \(criterium\)/);
    assert.equal((await api('GET', `/kwaliteitskaders/${mk.json.id}/criteria`, { as: 'beleid.regio' })).json.totaal, 0);
});
