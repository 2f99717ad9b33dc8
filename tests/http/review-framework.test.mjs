// review-framework.test.mjs: the framework's guiding principles (leidende principes) and the
// criterion -> outcome indicator links, as edited on the framework pages and through the
// framework API, against a real demo server: who may edit (beleid/contract of the owning
// region and the beheerder; a gemeente's beleid only its local points' links), CSRF, Dutch
// errors at the field (422 on the pages, 400 in the API), the length limit, 409 on a stale
// framework version, the new framework version in the history, and the links shown read-only
// under the criterion on the framework page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, formField } from '../lib/server.mjs';
import { session, get, postForm } from './fixtures.mjs';

const API = '/api/v1';
let srv;
const who = {};
let fw; // the demo framework (API representation)
let crit; // a regional criterion (K1.1) and a local point of Emmen
let local;

const LOGINS = ['beleid.regio', 'contract.regio', 'beleid.emmen', 'raad.emmen', 'kwaliteit.aanbieder', 'beheerder'];

async function api(method, p, { as, body, csrf = true } = {}) {
    const h = { accept: 'application/json', cookie: who[as].cookie };
    if (method !== 'GET' && csrf) h['x-csrf-token'] = who[as].csrf;
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(srv.url + API + p, { method, headers: h, body: body !== undefined ? JSON.stringify(body) : undefined });
    const text = await res.text();
    return { status: res.status, json: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined, text };
}

const page = (as, p) => get(srv.url, p, who[as].cookie);
const post = (as, p, fields, { csrf = true } = {}) => {
    const f = new URLSearchParams(fields);
    if (csrf) f.set('csrf', who[as].csrf);
    return postForm(srv.url, p, who[as].cookie, f);
};

before(async () => {
    srv = await startServer({ demo: true });
    for (const l of LOGINS) who[l] = await session(srv.url, l);
    const list = await api('GET', '/kwaliteitskaders', { as: 'raad.emmen' });
    assert.equal(list.status, 200);
    fw = (await api('GET', `/kwaliteitskaders/${list.json.items[0].id}`, { as: 'raad.emmen' })).json;
    const cs = (await api('GET', `/kwaliteitskaders/${fw.id}/criteria`, { as: 'raad.emmen' })).json.items;
    crit = cs.find((c) => c.code === 'K1.1');
    local = cs.find((c) => c.gemeenteNaam === 'Emmen');
    assert.ok(crit && local);
});

after(async () => {
    await srv?.stop();
});

test('the principles: shown to every viewer, a form for the framework editors only', async () => {
    assert.equal(typeof fw.leidendePrincipes, 'string');
    assert.ok(fw.leidendePrincipes.length > 20, 'the demo sets guiding principles');
    const raad = await page('raad.emmen', `/kwaliteitskader/${fw.id}`);
    assert.equal(raad.res.status, 200);
    assert.match(raad.text, /<h2[^>]*id="leidende-principes"[^>]*>Leidende principes<\/h2>/);
    const first = fw.leidendePrincipes.split('\n')[0].trim().replaceAll('&', '&amp;').slice(0, 30);
    assert.ok(raad.text.includes(first), 'the text is on the page');
    assert.doesNotMatch(raad.text, /action="\/kwaliteitskader\/\d+\/principes"/);
    for (const l of ['beleid.emmen', 'kwaliteit.aanbieder'])
        assert.doesNotMatch((await page(l, `/kwaliteitskader/${fw.id}`)).text, /\/principes"/, l);
    for (const l of ['beleid.regio', 'contract.regio', 'beheerder']) {
        const r = await page(l, `/kwaliteitskader/${fw.id}`);
        assert.match(r.text, new RegExp(`action="/kwaliteitskader/${fw.id}/principes"`), l);
        assert.equal(Number(formField(r.text.slice(r.text.indexOf('/principes"')), 'versie')), fw.versie, l);
    }
});

test('saving the principles on the page: CSRF, rights, limit, 409 when stale, new version', async () => {
    const url = `/kwaliteitskader/${fw.id}/principes`;
    const text = 'Wij werken vanuit de leefwereld van de jeugdige.\nResultaat boven regels.';
    assert.equal((await post('beleid.regio', url, { versie: fw.versie, principes: text }, { csrf: false })).res.status, 403);
    for (const l of ['raad.emmen', 'beleid.emmen', 'kwaliteit.aanbieder'])
        assert.equal((await post(l, url, { versie: fw.versie, principes: text })).res.status, 403, l);
    const long = await post('beleid.regio', url, { versie: fw.versie, principes: 'a'.repeat(8001) });
    assert.equal(long.res.status, 422);
    assert.match(long.text, /id="fout-principes"/);
    assert.match(long.text, /korter \(maximaal 8000 tekens\)/);
    const stale = await post('beleid.regio', url, { versie: fw.versie - 1, principes: text });
    assert.equal(stale.res.status, 409);
    assert.match(stale.text, /intussen gewijzigd/);
    assert.ok(stale.text.includes('Resultaat boven regels.'), 'the typed text is kept');
    const ok = await post('contract.regio', url, { versie: fw.versie, principes: text });
    assert.equal(ok.res.status, 303, ok.text.slice(0, 300));
    const now = (await api('GET', `/kwaliteitskaders/${fw.id}`, { as: 'raad.emmen' })).json;
    assert.equal(now.leidendePrincipes, text);
    assert.equal(now.versie, fw.versie + 1);
    const hist = (await api('GET', `/kwaliteitskaders/${fw.id}/versies`, { as: 'raad.emmen' })).json.items;
    assert.equal(hist[0].samenvatting, 'Leidende principes gewijzigd');
    const view = await page('kwaliteit.aanbieder', `/kwaliteitskader/${fw.id}`);
    assert.match(view.text, /<p[^>]*>Wij werken vanuit de leefwereld van de jeugdige.<\/p>/);
    fw = now;
});

test('PATCH leidendePrincipes through the API: 403, 400 at the attribute, 409, all or nothing', async () => {
    const url = `/kwaliteitskaders/${fw.id}`;
    assert.equal((await api('PATCH', url, { as: 'raad.emmen', body: { versie: fw.versie, leidendePrincipes: 'x' } })).status, 403);
    assert.equal((await api('PATCH', url, { as: 'beleid.emmen', body: { versie: fw.versie, leidendePrincipes: 'x' } })).status, 403);
    const long = await api('PATCH', url, { as: 'beleid.regio', body: { versie: fw.versie, leidendePrincipes: 'b'.repeat(8001) } });
    assert.equal(long.status, 400);
    assert.ok(long.json.invalidParams.find((p) => p.name === 'leidendePrincipes'));
    // With a name change too: the bad text is refused before anything is written.
    const both = await api('PATCH', url, { as: 'beleid.regio', body: { versie: fw.versie, naam: 'Andere naam', leidendePrincipes: 'b'.repeat(8001) } });
    assert.equal(both.status, 400);
    const unchanged = (await api('GET', url, { as: 'raad.emmen' })).json;
    assert.equal(unchanged.naam, fw.naam);
    assert.equal(unchanged.versie, fw.versie);
    assert.equal((await api('PATCH', url, { as: 'beleid.regio', body: { versie: fw.versie - 1, leidendePrincipes: 'x' } })).status, 409);
    const ok = await api('PATCH', url, { as: 'beleid.regio', body: { versie: fw.versie, leidendePrincipes: 'De jeugdige staat centraal.' } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.leidendePrincipes, 'De jeugdige staat centraal.');
    assert.equal(ok.json.versie, fw.versie + 1);
    const two = await api('PATCH', url, { as: 'beheerder', body: { versie: ok.json.versie, omschrijving: 'Bijgewerkt.', leidendePrincipes: 'Samen leren.' } });
    assert.equal(two.status, 200, two.text);
    assert.equal(two.json.omschrijving, 'Bijgewerkt.');
    assert.equal(two.json.leidendePrincipes, 'Samen leren.');
    assert.equal(two.json.versie, ok.json.versie + 2); // one version per part that changed
    fw = two.json;
});

test('criterion indicator links: editors save them, others 403/404, a bogus id 422, shown read-only', async () => {
    const form = `/kwaliteitskader/${fw.id}/criteria/${crit.id}`;
    const edit = await page('contract.regio', form);
    assert.equal(edit.res.status, 200);
    assert.match(edit.text, /<legend[^>]*>Uitkomstindicatoren bij dit criterium<\/legend>/);
    assert.match(edit.text, new RegExp(`action="${form}/indicatoren"`));
    const boxes = [...edit.text.matchAll(/<input[^>]*type="checkbox"[^>]*name="indicator"[^>]*>/g)].map((m) => m[0]);
    assert.ok(boxes.length >= 5, `one checkbox per active indicator (${boxes.length})`);
    const values = boxes.map((b) => Number(b.match(/value="(\d+)"/)[1]));
    const labels = [...edit.text.matchAll(/<label[^>]*for="veld-indicator-\d+"[^>]*>([^<]*)<\/label>/g)].map((m) => m[1]);
    assert.equal(labels.length, boxes.length);
    const initials = labels.map((l) => l[0]);
    assert.deepEqual(initials, [...initials].sort(), 'sorted by name');
    const pick = [values[0], values[1]];
    const fields = () => {
        const f = new URLSearchParams();
        for (const v of pick) f.append('indicator', String(v));
        return f;
    };
    assert.equal((await post('contract.regio', `${form}/indicatoren`, fields(), { csrf: false })).res.status, 403);
    for (const l of ['raad.emmen', 'beleid.emmen', 'kwaliteit.aanbieder'])
        assert.equal((await post(l, `${form}/indicatoren`, fields())).res.status, 403, l);
    assert.equal((await page('raad.emmen', form)).res.status, 403);
    assert.equal((await post('contract.regio', `/kwaliteitskader/${fw.id}/criteria/987654321/indicatoren`, fields())).res.status, 404);
    const bogus = fields();
    bogus.append('indicator', '987654321');
    const bad = await post('contract.regio', `${form}/indicatoren`, bogus);
    assert.equal(bad.res.status, 422);
    assert.match(bad.text, /utrecht-form-fieldset--invalid" id="veld-indicator"/);
    assert.match(bad.text, /href="#veld-indicator"/);
    assert.match(bad.text, /bestaat niet/);
    const ok = await post('contract.regio', `${form}/indicatoren`, fields());
    assert.equal(ok.res.status, 303, ok.text.slice(0, 300));
    const after = await page('beleid.regio', form);
    for (const v of pick) assert.match(after.text, new RegExp(`value="${v}"[^>]*checked|checked[^>]*value="${v}"`));
    // Read-only under the criterion on the framework page, for every viewer.
    const view = await page('raad.emmen', `/kwaliteitskader/${fw.id}`);
    const row = view.text.split('</tr>').find((r) => r.includes(crit.tekst.slice(0, 40).replaceAll("'", '&#39;')) || r.includes('>K1.1<'));
    assert.ok(row, 'the criterion row');
    assert.match(row, /Uitkomstindicatoren: /);
    assert.doesNotMatch(view.text, /name="indicator"/);
    // Clearing; a local point of Emmen: Emmen's beleid, not the region's.
    assert.equal((await post('beleid.regio', `${form}/indicatoren`, {})).res.status, 303);
    const cleared = (await page('raad.emmen', `/kwaliteitskader/${fw.id}`)).text.split('</tr>').find((r) => r.includes('>K1.1<'));
    assert.doesNotMatch(cleared ?? '', /Uitkomstindicatoren: /);
    const lform = `/kwaliteitskader/${fw.id}/criteria/${local.id}/indicatoren`;
    assert.equal((await post('beleid.regio', lform, fields())).res.status, 403);
    assert.equal((await post('beleid.emmen', lform, fields())).res.status, 303);
});
