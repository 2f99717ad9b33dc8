// conversations-api.test.mjs: /api/v1/gesprekken over HTTP against a real demo server, and the
// voorkant starter questions on the run-sheet. The demo's conversations as the API shows them
// (a held, concluded and approved one per gemeente with its follow-up; visible to the parties'
// people only), then one whole cycle through the API as beleid.emmen and kwaliteit.aanbieder:
// plan (strict body, CSRF, who may plan), preparation notes per side, held, phase notes with
// the drift hint and optimistic locking, conclusions, approval per side, evaluation (averages
// hidden below three); finally the starter answers saved from a voorkant conversation into the
// theory of change (and the conflict when the theory changed meanwhile).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, formField } from '../lib/server.mjs';
import { session, get, postForm } from './fixtures.mjs';

let srv;
const who = {};
const API = '/api/v1';

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
    return { res, status: res.status, text, json };
}

const LOGINS = ['beleid.emmen', 'contract.emmen', 'kwaliteit.aanbieder', 'professional.aanbieder',
    'kwaliteit.hunzedal', 'beleid.hoogeveen', 'raad.emmen', 'beheerder'];

before(async () => {
    srv = await startServer({ demo: true });
    for (const login of LOGINS) who[login] = await session(srv.url, login);
});

after(async () => {
    await srv?.stop();
});

async function emmenConversations(as = 'beleid.emmen') {
    const me = await api('GET', '/ik', { as });
    const r = await api('GET', `/gesprekken?eigenaar=${me.json.organisatie.id}&paginaGrootte=100`, { as });
    assert.equal(r.status, 200, r.text);
    return { me: me.json, items: r.json.items };
}

test('the demo conversations: held and approved, a follow-up, visible to the parties only', async () => {
    const { items } = await emmenConversations();
    const held = items.find((c) => c.soort === 'achterkant' && c.status === 'afgerond');
    const next = items.find((c) => c.vorigeId === held?.id);
    const front = items.find((c) => c.soort === 'voorkant');
    assert.ok(held && next && front, JSON.stringify(items.map((c) => [c.id, c.soort, c.status])));
    assert.equal(held.verslagGoedgekeurd, true);
    assert.equal(held.partijen.length, 3);
    assert.ok(held.partijen.every((p) => p.goedgekeurdOp), 'every side approved');
    // Duos: two people of every party.
    for (const p of held.partijen)
        assert.equal(held.deelnemers.filter((d) => d.organisatieId === p.organisatieId).length, 2, p.naam);
    assert.equal(next.status, 'voorbereid', 'the follow-up has its data pack');
    const one = await api('GET', `/gesprekken/${held.id}`, { as: 'kwaliteit.hunzedal' });
    assert.equal(one.status, 200);
    assert.equal(one.json.fasen.length, 4);
    assert.ok(one.json.fasen.every((f) => f.aantekeningen.length > 100 && f.minuten > 0));
    const ev = await api('GET', `/gesprekken/${held.id}/evaluatie`, { as: 'contract.emmen' });
    assert.equal(ev.status, 200);
    assert.equal(ev.json.samenvatting.aantal, 4);
    assert.equal(ev.json.samenvatting.getoond, true);
    assert.ok(ev.json.eigen && ev.json.eigen.cijfer >= 1);
    // The aanbieder's own unshared note is not the gemeente's to read, and vice versa.
    const gem = await api('GET', `/gesprekken/${held.id}/notities`, { as: 'beleid.emmen' });
    const prov = await api('GET', `/gesprekken/${held.id}/notities`, { as: 'kwaliteit.aanbieder' });
    assert.equal(gem.json.items.length, 3);
    assert.equal(prov.json.items.length, 3);
    assert.ok(gem.json.items.filter((n) => !n.eigen).every((n) => n.gedeeld));
    assert.ok(prov.json.items.filter((n) => !n.eigen).every((n) => n.gedeeld));
    // Not members: another gemeente, the raad member (not invited), the beheerder.
    for (const login of ['beleid.hoogeveen', 'raad.emmen', 'beheerder']) {
        const r = await api('GET', `/gesprekken/${held.id}`, { as: login });
        assert.equal(r.status, 404, `${login}: ${r.status}`);
        assert.match(r.res.headers.get('content-type'), /problem\+json/);
    }
    const raad = await api('GET', '/gesprekken', { as: 'raad.emmen' });
    assert.equal(raad.json.totaal, 0);
    const anon = await api('GET', '/gesprekken');
    assert.equal(anon.status, 401);
});

test('one cycle through the API: plan, prepare, hold, conclude, approve, evaluate', async () => {
    const { me, items } = await emmenConversations();
    const held = items.find((c) => c.soort === 'achterkant' && c.status === 'afgerond');
    const veenstroom = held.partijen.find((p) => p.kant === 'aanbieder' && /Veenstroom/.test(p.naam));
    const kw = (await api('GET', '/ik', { as: 'kwaliteit.aanbieder' })).json;
    const body = {
        eigenaarId: me.organisatie.id,
        soort: 'achterkant',
        titel: 'API: kwaliteitsgesprek',
        periodeVan: '2025-01-01',
        periodeTot: '2025-12-31',
        datum: '2027-03-02',
        resultaatIds: held.resultaatIds,
        partijen: [{ organisatieId: veenstroom.organisatieId }],
        deelnemers: [{ gebruikerId: me.id, rol: 'gespreksleider' }, { gebruikerId: kw.id, rol: 'deelnemer' }],
    };
    // Strict input.
    for (const [bad, name] of [
        [{ ...body, onbekend: 1 }, 'onbekend'],
        [{ ...body, partijen: [{ organisatieId: 'x' }] }, 'partijen'],
        [{ ...body, partijen: [{ organisatieId: 1, extra: true }] }, 'partijen'],
        [{ ...body, deelnemers: [{ gebruikerId: me.id, rol: 'baas' }] }, 'deelnemers'],
        [{ ...body, soort: 'zijkant' }, 'soort'],
        [{ ...body, datum: '02-03-2027' }, 'datum'],
        [{ ...body, titel: '' }, 'titel'],
        [{ ...body, resultaatIds: [] }, 'resultaatIds'],
    ]) {
        const r = await api('POST', '/gesprekken', { as: 'beleid.emmen', body: bad });
        assert.equal(r.status, 400, `${name}: ${r.text}`);
        assert.ok(r.json.invalidParams?.some((p) => p.name === name), `${name}: ${r.text}`);
    }
    assert.equal((await api('POST', '/gesprekken', { as: 'beleid.emmen', body, csrf: false })).status, 403);
    assert.equal((await api('POST', '/gesprekken', { as: 'kwaliteit.aanbieder', body })).status, 403);
    const made = await api('POST', '/gesprekken', { as: 'beleid.emmen', body });
    assert.equal(made.status, 201, made.text);
    const id = made.json.id;
    assert.equal(made.res.headers.get('location'), `${API}/gesprekken/${id}`);
    assert.equal(made.json.status, 'gepland');
    assert.equal(made.json.fasen.length, 4);

    // The plan: merge patch with versie; a stale versie is refused.
    let r = await api('PATCH', `/gesprekken/${id}`, { as: 'beleid.emmen', body: { plaats: 'Raadszaal', versie: made.json.versie } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.plaats, 'Raadszaal');
    assert.equal(r.json.titel, body.titel, 'untouched attributes stay');
    let v = r.json.versie;
    r = await api('PATCH', `/gesprekken/${id}`, { as: 'beleid.emmen', body: { plaats: 'Elders', versie: v - 1 } });
    assert.equal(r.status, 409);
    r = await api('PATCH', `/gesprekken/${id}`, { as: 'beleid.emmen', body: { status: 'afgerond', versie: v } });
    assert.equal(r.status, 400, 'afgerond goes through conclusies');
    r = await api('PATCH', `/gesprekken/${id}`, { as: 'kwaliteit.aanbieder', body: { status: 'geannuleerd', versie: v } });
    assert.equal(r.status, 403, 'only the owner cancels');

    // Preparation notes: invisible to the other side until shared; only the own side edits.
    r = await api('POST', `/gesprekken/${id}/notities`, { as: 'kwaliteit.aanbieder', body: { tekst: 'Onze cijfers over de wachttijd', gedeeld: false } });
    assert.equal(r.status, 201, r.text);
    const note = r.json;
    assert.equal(note.eigen, true);
    r = await api('GET', `/gesprekken/${id}/notities`, { as: 'beleid.emmen' });
    assert.equal(r.json.items.length, 0);
    r = await api('PATCH', `/gesprekken/${id}/notities/${note.id}`, { as: 'kwaliteit.aanbieder', body: { gedeeld: true, versie: note.versie } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.gedeeld, true);
    assert.equal(r.json.tekst, note.tekst, 'merge patch keeps the text');
    r = await api('GET', `/gesprekken/${id}/notities`, { as: 'beleid.emmen' });
    assert.equal(r.json.items.length, 1);
    assert.equal(r.json.items[0].eigen, false);
    r = await api('PATCH', `/gesprekken/${id}/notities/${note.id}`, { as: 'beleid.emmen', body: { tekst: 'overschreven', versie: 2 } });
    assert.equal(r.status, 403, 'the other side may read, not edit');
    r = await api('DELETE', `/gesprekken/${id}/notities/${note.id}`, { as: 'beleid.emmen' });
    assert.equal(r.status, 403);
    r = await api('DELETE', `/gesprekken/${id}/notities/999999`, { as: 'beleid.emmen' });
    assert.equal(r.status, 404);

    // Concluding before holding is a conflict with the state; then it is held.
    r = await api('PUT', `/gesprekken/${id}/conclusies`, { as: 'beleid.emmen', body: { samenvatting: 'Te vroeg', versie: v } });
    assert.equal(r.status, 409, r.text);
    r = await api('PATCH', `/gesprekken/${id}`, { as: 'kwaliteit.aanbieder', body: { status: 'gehouden', versie: v } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'gehouden');

    // Phases: the drift hint for activity talk, none for outcome talk; optimistic locking.
    r = await api('GET', `/gesprekken/${id}/fasen`, { as: 'beleid.emmen' });
    assert.deepEqual(r.json.items.map((f) => f.fase), ['herkennen', 'begrijpen', 'waarderen', 'verbeteren']);
    const pv = r.json.items[0].versie;
    r = await api('PUT', `/gesprekken/${id}/fasen/herkennen`, { as: 'beleid.emmen', body: {
        aantekeningen: 'We hebben dit jaar 14 bijeenkomsten georganiseerd, 120 uur training gegeven en 30 huisbezoeken gedaan. De sessies waren goed bezocht.',
        minuten: 20, versie: pv } });
    assert.equal(r.status, 200, r.text);
    assert.match(r.json.hint, /activiteiten/);
    assert.equal(r.json.minuten, 20);
    r = await api('PUT', `/gesprekken/${id}/fasen/herkennen`, { as: 'kwaliteit.aanbieder', body: { aantekeningen: 'Tweede notulist', versie: pv } });
    assert.equal(r.status, 409, 'the second note-taker saved on a stale version');
    r = await api('PUT', `/gesprekken/${id}/fasen/begrijpen`, { as: 'kwaliteit.aanbieder', body: {
        aantekeningen: 'Het percentage trajecten dat volgens plan eindigt is gedaald; ouders zeggen dat het resultaat van de hulp pas later zichtbaar wordt.',
        versie: 1 } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.hint, null);
    r = await api('PUT', `/gesprekken/${id}/fasen/onzin`, { as: 'beleid.emmen', body: { aantekeningen: 'x', versie: 1 } });
    assert.equal(r.status, 404);
    r = await api('PUT', `/gesprekken/${id}/fasen/waarderen`, { as: 'beleid.emmen', body: { aantekeningen: 'x', minuten: 999, versie: 1 } });
    assert.equal(r.status, 400);

    // Conclude, approve per side; a later phase edit withdraws the approvals.
    v = (await api('GET', `/gesprekken/${id}`, { as: 'beleid.emmen' })).json.versie;
    r = await api('PUT', `/gesprekken/${id}/conclusies`, { as: 'beleid.emmen', body: { samenvatting: '   ', versie: v } });
    assert.equal(r.status, 400);
    r = await api('PUT', `/gesprekken/${id}/conclusies`, { as: 'beleid.emmen', body: { samenvatting: 'De uitval zit in de eerste weken.', conclusies: 'Sneller starten.', versie: v } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'afgerond');
    r = await api('POST', `/gesprekken/${id}/goedkeuring`, { as: 'professional.aanbieder' });
    assert.equal(r.status, 403, 'a professional does not approve for the side');
    r = await api('POST', `/gesprekken/${id}/goedkeuring`, { as: 'beleid.emmen' });
    assert.equal(r.status, 200);
    assert.equal(r.json.verslagGoedgekeurd, false);
    r = await api('POST', `/gesprekken/${id}/goedkeuring`, { as: 'kwaliteit.aanbieder' });
    assert.equal(r.json.verslagGoedgekeurd, true);
    r = await api('DELETE', `/gesprekken/${id}/goedkeuring`, { as: 'kwaliteit.aanbieder' });
    assert.equal(r.json.verslagGoedgekeurd, false);
    r = await api('POST', `/gesprekken/${id}/goedkeuring`, { as: 'kwaliteit.aanbieder' });
    assert.equal(r.json.verslagGoedgekeurd, true);
    const wv = (await api('GET', `/gesprekken/${id}/fasen`, { as: 'beleid.emmen' })).json.items[3].versie;
    r = await api('PUT', `/gesprekken/${id}/fasen/verbeteren`, { as: 'beleid.emmen', body: { aantekeningen: 'Aanvulling na afloop', versie: wv } });
    assert.equal(r.status, 200);
    r = await api('GET', `/gesprekken/${id}`, { as: 'beleid.emmen' });
    assert.equal(r.json.verslagGoedgekeurd, false);
    assert.ok(r.json.partijen.every((p) => !p.goedgekeurdOp), 'every approval withdrawn');

    // Evaluation: own one replaced on save; the aggregate stays hidden below three.
    r = await api('PUT', `/gesprekken/${id}/evaluatie`, { as: 'beleid.emmen', body: { cijfer: 6, doelBereikt: 'ja' } });
    assert.equal(r.status, 400);
    r = await api('PUT', `/gesprekken/${id}/evaluatie`, { as: 'beleid.emmen', body: { cijfer: 4, doelBereikt: 'misschien' } });
    assert.equal(r.status, 400);
    r = await api('PUT', `/gesprekken/${id}/evaluatie`, { as: 'beleid.emmen', body: { cijfer: 4, doelBereikt: 'deels', tips: 'Eerder beginnen' } });
    assert.equal(r.status, 200, r.text);
    r = await api('PUT', `/gesprekken/${id}/evaluatie`, { as: 'kwaliteit.aanbieder', body: { cijfer: 5, doelBereikt: 'ja' } });
    assert.equal(r.json.samenvatting.aantal, 2);
    assert.equal(r.json.samenvatting.getoond, false);
    assert.equal(r.json.samenvatting.gemiddeldCijfer, null);
    assert.equal(r.json.samenvatting.tips, null);
    r = await api('PUT', `/gesprekken/${id}/evaluatie`, { as: 'professional.aanbieder', body: { cijfer: 3, doelBereikt: 'nee' } });
    assert.equal(r.json.samenvatting.getoond, true);
    assert.equal(r.json.samenvatting.gemiddeldCijfer, 4);
    assert.deepEqual(r.json.samenvatting.tips, ['Eerder beginnen']);
    r = await api('PUT', `/gesprekken/${id}/evaluatie`, { as: 'raad.emmen', body: { cijfer: 3, doelBereikt: 'nee' } });
    assert.equal(r.status, 404);
});

test('a voorkant conversation saves the starter answers into the theory of change', async () => {
    const { items } = await emmenConversations();
    const front = items.find((c) => c.soort === 'voorkant');
    const rid = front.resultaatIds[0];
    let page = await get(srv.url, `/gesprekken/${front.id}/houden`, who['beleid.emmen'].cookie);
    assert.equal(page.res.status, 200);
    // The timer's words come from the page (translated), not from the script.
    assert.match(page.text, /data-label-start="Start timer"/);
    assert.match(page.text, /data-label-om="[^"]+"/);
    const field = (q) => `${q}-${rid}`;
    const codes = ['bekendHier', 'bekendWatHelpt', 'aanbiedersDoen', 'metWelkResultaat'];
    for (const c of codes) assert.match(page.text, new RegExp(`name="${field(c)}"`));
    const form = page.text.slice(page.text.indexOf(`/startvragen/${rid}"`));
    const version = form.match(/name="versie" value="(\d+)"/)[1];
    const answers = Object.fromEntries(codes.map((c, i) => [field(c), `Antwoord ${i + 1} uit het voorkantgesprek`]));
    const post = (as, fields) => postForm(srv.url, `/gesprekken/${front.id}/startvragen/${rid}`, who[as].cookie, { csrf: who[as].csrf, ...fields });
    let r = await post('beleid.emmen', { versie: version, ...answers });
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    const theory = await api('GET', `/maatschappelijke-resultaten/${rid}/verandertheorie`, { as: 'beleid.emmen' });
    assert.equal(theory.status, 200, theory.text);
    assert.match(JSON.stringify(theory.json), /Antwoord 1 uit het voorkantgesprek/);
    // The same form again is stale: 409, the saved answers shown, the typed text kept.
    r = await post('beleid.emmen', { versie: version, ...answers, [field('bekendHier')]: 'Mijn eigen tekst' });
    assert.equal(r.res.status, 409);
    assert.match(r.text, /intussen gewijzigd/);
    assert.match(r.text, /Mijn eigen tekst/);
    assert.match(r.text, /Antwoord 1 uit het voorkantgesprek/);
    // An aanbieder may not change the starter questions; it reads them.
    page = await get(srv.url, `/gesprekken/${front.id}/houden`, who['kwaliteit.aanbieder'].cookie);
    assert.equal(page.res.status, 200);
    assert.doesNotMatch(page.text, new RegExp(`name="${field('bekendHier')}"`));
    assert.match(page.text, /Antwoord 2 uit het voorkantgesprek/);
    const newer = formField(await (await fetch(`${srv.url}/gesprekken/${front.id}/houden`, { headers: { cookie: who['beleid.emmen'].cookie } })).text(), 'versie');
    r = await post('kwaliteit.aanbieder', { versie: newer ?? version, ...answers });
    assert.equal(r.res.status, 403);
    // Without CSRF nothing is saved; an achterkant conversation has no starter form.
    r = await postForm(srv.url, `/gesprekken/${front.id}/startvragen/${rid}`, who['beleid.emmen'].cookie, { versie: version, ...answers });
    assert.equal(r.res.status, 403);
    const held = items.find((c) => c.soort === 'achterkant' && c.status === 'afgerond');
    r = await postForm(srv.url, `/gesprekken/${held.id}/startvragen/${held.resultaatIds[0]}`, who['beleid.emmen'].cookie, { csrf: who['beleid.emmen'].csrf, versie: '1' });
    assert.equal(r.res.status, 404);
});
