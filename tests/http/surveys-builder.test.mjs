// surveys-builder.test.mjs: questionnaires, rounds, codes and letters over HTTP against a real
// demo server (web/page_survey.c, web/page_round.c): the demo's questionnaire per gemeente and
// its completed round (response rate from used codes), the builder (new from a template and
// empty, add/edit/move/delete questions and sections, conditions, validation errors naming the
// question, stale versions), the preview through the residents' renderer, rounds (create,
// validation, open/close), making codes, letters (one A4 per page, a QR code as SVG per letter,
// codes grouped) and the CSV; and authorisation: the round's aanbieder sees the response rate
// but never the codes, other gemeenten cannot edit, CSRF is required.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { session, get, postForm, cliOrgs } from './fixtures.mjs';

let srv;
const s = {};
let orgs = [];
let emmen;
let emmenSurvey; // id of the demo questionnaire of Emmen
let emmenRound; // its completed 2025 round

const field = (html, name) => html.match(new RegExp(`name="${name}"[^>]*value="([^"]*)"`))?.[1];
const versionOf = (html) => field(html, 'versie');

async function page(path, who) {
    return get(srv.url, path, who?.cookie);
}
async function post(path, who, fields) {
    return postForm(srv.url, path, who?.cookie, { csrf: who?.csrf, ...fields });
}

before(async () => {
    srv = await startServer({ demo: true });
    for (const login of ['beheerder', 'beleid.emmen', 'beleid.hoogeveen', 'beleid.regio', 'kwaliteit.aanbieder', 'raad.emmen'])
        s[login] = await session(srv.url, login);
    orgs = await cliOrgs(srv.dataDir);
    emmen = orgs.find((o) => o.kind === 'gemeente' && /Emmen/.test(o.name));
    assert.ok(emmen, 'demo gemeente Emmen');
});

after(async () => {
    await srv?.stop();
});

test('the demo has a questionnaire and a completed round per gemeente with its response rate', async () => {
    const list = await page('/enquetes', s['beleid.emmen']);
    assert.equal(list.res.status, 200, list.text.slice(0, 300));
    assert.match(list.text, /Uw ervaring met de Wmo-ondersteuning/);
    assert.match(list.text, /href="\/enquetes\/nieuw"/, 'beleid may make a questionnaire');
    const gemeenten = orgs.filter((o) => o.kind === 'gemeente');
    const ids = [...new Set([...list.text.matchAll(/href="\/enquetes\/(\d+)"/g)].map((m) => Number(m[1])))];
    assert.equal(ids.length, gemeenten.length, 'one demo questionnaire per gemeente');
    for (const row of list.text.split('<tr').slice(1)) {
        const m = row.match(/href="\/enquetes\/(\d+)"/);
        if (m && row.includes(`>${emmen.name}<`)) emmenSurvey = Number(m[1]);
    }
    assert.ok(emmenSurvey, 'Emmen has a questionnaire');
    const rounds = await page(`/enquetes/${emmenSurvey}/rondes`, s['beleid.emmen']);
    assert.equal(rounds.res.status, 200);
    const m = rounds.text.match(/href="\/enquetes\/\d+\/rondes\/(\d+)">Cliëntervaring Wmo 2025/);
    assert.ok(m, 'the completed 2025 round is listed');
    emmenRound = Number(m[1]);
    const r = await page(`/enquetes/${emmenSurvey}/rondes/${emmenRound}`, s['beleid.emmen']);
    assert.equal(r.res.status, 200);
    const num = (label) => Number(r.text.match(new RegExp(`${label}</dt><dd[^>]*>(\\d+)`))?.[1]);
    const inv = num('Uitnodigingen'), used = num('Codes gebruikt'), resp = num('Reacties');
    assert.ok(inv > 0 && resp > 0, `invitations ${inv}, responses ${resp}`);
    assert.equal(used, resp, 'used codes match the responses');
    const rate = resp / inv;
    assert.ok(rate >= 0.28 && rate <= 0.47, `realistic response rate ${rate}`);
    assert.match(r.text, /Gesloten/);
    const pct = r.text.match(/Respons<\/dt><dd[^>]*>(\d+),(\d)%/);
    assert.ok(pct, 'the response rate is shown');
    assert.ok(Math.abs(Number(`${pct[1]}.${pct[2]}`) - 100 * rate) < 0.06);
});

test('the round\'s aanbieder and other readers see the rate, never the codes', async () => {
    // The demo rounds have no aanbieder: make one for the provider of kwaliteit.aanbieder.
    const me = await get(srv.url, '/api/v1/ik', s['kwaliteit.aanbieder'].cookie);
    const provider = JSON.parse(me.text).organisatie.id;
    const made = await post(`/enquetes/${emmenSurvey}/rondes`, s['beleid.emmen'], {
        naam: 'Over één aanbieder',
        gemeente: emmen.code.replace(/^GM/, ''),
        aanbieder: String(provider),
        wet: '2',
        van: '2026-11-01',
        tot: '2026-12-31',
    });
    assert.equal(made.res.status, 303, made.text.slice(0, 2000));
    const loc = made.res.headers.get('location');
    const rid = Number(loc.match(/rondes\/(\d+)/)[1]);
    const codes = await post(`/enquetes/${emmenSurvey}/rondes/${rid}/codes`, s['beleid.emmen'], { aantal: '25' });
    assert.equal(codes.res.status, 303);
    const asProvider = await page(`/enquetes/${emmenSurvey}/rondes/${rid}`, s['kwaliteit.aanbieder']);
    assert.equal(asProvider.res.status, 200);
    assert.match(asProvider.text, /Uitnodigingen<\/dt><dd[^>]*>25/);
    assert.doesNotMatch(asProvider.text, /brieven|codes\.csv|Codes maken/);
    for (const p of ['brieven', 'codes.csv'])
        assert.equal((await page(`/enquetes/${emmenSurvey}/rondes/${rid}/${p}`, s['kwaliteit.aanbieder'])).res.status, 403);
    assert.equal((await post(`/enquetes/${emmenSurvey}/rondes/${rid}/codes`, s['kwaliteit.aanbieder'], { aantal: '5' })).res.status, 403);
    assert.equal((await post(`/enquetes/${emmenSurvey}/rondes/${rid}/sluiten`, s['kwaliteit.aanbieder'], {})).res.status, 403);
    // Another gemeente's beleid: not a party, so not even the round.
    assert.equal((await page(`/enquetes/${emmenSurvey}/rondes/${rid}`, s['beleid.hoogeveen'])).res.status, 403);
    assert.equal((await page(`/enquetes/${emmenSurvey}/rondes/${rid}/codes.csv`, s['beleid.hoogeveen'])).res.status, 403);
    // The raad of Emmen sees the round of its own gemeente's owner? Only owner org users: raad is
    // of the owner organisation, so it may view, but not print codes.
    const raad = await page(`/enquetes/${emmenSurvey}/rondes/${rid}/brieven`, s['raad.emmen']);
    assert.equal(raad.res.status, 403);
    // Without CSRF nothing changes.
    const nocsrf = await postForm(srv.url, `/enquetes/${emmenSurvey}/rondes/${rid}/codes`, s['beleid.emmen'].cookie, { aantal: '5' });
    assert.equal(nocsrf.res.status, 403);
    // Anonymous: login.
    const anon = await page(`/enquetes/${emmenSurvey}/rondes/${rid}/codes.csv`, null);
    assert.equal(anon.res.status, 303);
    assert.match(anon.res.headers.get('location'), /inloggen/);
});

test('letters: one A4 letter per unused code with the grouped code and a QR code; CSV for mail-merge', async () => {
    const html = (await page(`/enquetes/${emmenSurvey}/rondes/${emmenRound}/brieven`, s['beleid.emmen']));
    assert.equal(html.res.status, 200);
    assert.equal(html.res.headers.get('cache-control'), 'no-store');
    const letters = html.text.match(/<article class="brief"/g) ?? [];
    const csv = await page(`/enquetes/${emmenSurvey}/rondes/${emmenRound}/codes.csv`, s['beleid.emmen']);
    assert.equal(csv.res.status, 200);
    assert.match(csv.res.headers.get('content-type'), /text\/csv/);
    assert.match(csv.res.headers.get('content-disposition'), /attachment; filename="codes-uitvraag-\d+\.csv"/);
    const rows = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    // never which code was used: that would link an answer to an address
    assert.equal(rows[0], 'code;link');
    const unused = rows.slice(1);
    assert.equal(letters.length, unused.length, 'a letter for every code');
    assert.doesNotMatch(csv.text, /;(ja|nee)\r\n/);
    assert.ok(letters.length > 10);
    const svgs = html.text.match(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img"[^>]*>.*?<\/svg>/gs) ?? [];
    assert.equal(svgs.length, letters.length, 'a QR code on every letter');
    for (const row of unused.slice(0, 5)) {
        const [code, link] = row.split(';');
        assert.match(code, /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}$/);
        assert.equal(link, `http://localhost:8080/enquete?code=${code}`);
        assert.ok(html.text.includes(`<strong class="code">${code}</strong>`), `letter for ${code}`);
    }
    assert.match(html.text, /<link rel="stylesheet" href="\/static\/brieven.css">/);
    const css = await page('/static/brieven.css', null);
    assert.equal(css.res.status, 200);
    assert.match(css.text, /page-break-after: always/);
    assert.match(css.text, /size: A4/);
    // Printing codes is audited.
    const audit = await get(srv.url, '/api/v1/audit?actie=round.codes_read', s['beheerder'].cookie);
    if (audit.res.status === 200) assert.match(audit.text, /round\.codes_read/);
});

test('builder: new from a template and empty, edit questions and sections, validation names the question', async () => {
    const who = s['beleid.hoogeveen'];
    const hoogeveen = orgs.find((o) => o.kind === 'gemeente' && /Hoogeveen/.test(o.name));
    const form = await page('/enquetes/nieuw', who);
    assert.equal(form.res.status, 200);
    assert.match(form.text, /jeugd-uitkomst/);
    // Another gemeente as owner: refused before validation.
    assert.equal((await post('/enquetes', who, { eigenaar: String(emmen.id), sjabloon: 'jeugd-uitkomst' })).res.status, 403);
    const made = await post('/enquetes', who, { eigenaar: String(hoogeveen.id), sjabloon: 'jeugd-uitkomst' });
    assert.equal(made.res.status, 303, made.text.slice(0, 1500));
    const id = Number(made.res.headers.get('location').match(/enquetes\/(\d+)/)[1]);
    const again = await post('/enquetes', who, { eigenaar: String(hoogeveen.id), sjabloon: 'jeugd-uitkomst' });
    assert.equal(again.res.status, 409, again.text.match(/<li>.*?<\/li>/s)?.[0]);
    let view = await page(`/enquetes/${id}`, who);
    assert.equal(view.res.status, 200);
    assert.match(view.text, /jeugd_zonder_hulp/);
    assert.match(view.text, /Alleen als het antwoord op/);
    let v = versionOf(view.text);
    // Add a question to step 2 (a grade), then one with a condition on it.
    let r = await post(`/enquetes/${id}/secties/2/vragen`, who, {
        versie: v, item: 'jeugd_cijfer_school', soort: 'cijfer', tekst: 'Welk cijfer geef je school?', tekst_en: 'Grade for school?',
    });
    assert.equal(r.res.status, 303, r.text.slice(0, 2000));
    view = await page(`/enquetes/${id}`, who);
    assert.match(view.text, /Welk cijfer geef je school\?/);
    v = versionOf(view.text);
    // A condition pointing at a later/unknown item is refused, naming the question.
    r = await post(`/enquetes/${id}/secties/1/vragen`, who, {
        versie: v, item: 'te_vroeg', soort: 'open', tekst: 'Waarom?', als_item: 'jeugd_cijfer_school', als_waarden: '1,2',
    });
    assert.equal(r.res.status, 422);
    assert.match(r.text, /vraag 2 \(te_vroeg\): de voorwaarde verwijst naar &quot;jeugd_cijfer_school&quot;, dat niet eerder/);
    // Options: a choice without options is refused.
    r = await post(`/enquetes/${id}/secties/2/vragen`, who, { versie: v, item: 'k', soort: 'keuze', tekst: 'Welke?', opties: 'a | A' });
    assert.equal(r.res.status, 422);
    assert.match(r.text, /een keuzevraag heeft 2 tot 20 opties nodig/);
    r = await post(`/enquetes/${id}/secties/2/vragen`, who, {
        versie: v, item: 'school_hulp', soort: 'keuze', tekst: 'Hielp school mee?', opties: 'ja | Ja | Yes\nnee | Nee | No',
        als_item: 'jeugd_cijfer_school', als_waarden: '1, 2, 3',
    });
    assert.equal(r.res.status, 303, r.text.slice(0, 1500));
    view = await page(`/enquetes/${id}`, who);
    v = versionOf(view.text);
    // A stale version: 409 and nothing saved.
    r = await post(`/enquetes/${id}/vragen/2/omlaag`, who, { versie: '1' });
    assert.equal(r.res.status, 409);
    // Move the last question up, delete it, add a section.
    const n = (view.text.match(/class="duiding-builder-question"/g) ?? []).length;
    // Moving the conditional question above the one it depends on is refused.
    r = await post(`/enquetes/${id}/vragen/${n}/omhoog`, who, { versie: v });
    assert.equal(r.res.status, 422);
    assert.match(r.text, /\(school_hulp\): de voorwaarde verwijst naar &quot;jeugd_cijfer_school&quot;, dat niet eerder/);
    r = await post(`/enquetes/${id}/vragen/${n - 1}/omhoog`, who, { versie: v });
    assert.equal(r.res.status, 303);
    view = await page(`/enquetes/${id}`, who);
    v = versionOf(view.text);
    r = await post(`/enquetes/${id}/vragen/${n}/verwijderen`, who, { versie: v });
    assert.equal(r.res.status, 303);
    view = await page(`/enquetes/${id}`, who);
    assert.doesNotMatch(view.text, /Hielp school mee\?/);
    v = versionOf(view.text);
    r = await post(`/enquetes/${id}/secties`, who, { versie: v, code: 'slot', titel: 'Tot slot', item: 'slot_open', soort: 'open', tekst: 'Nog iets?' });
    assert.equal(r.res.status, 303, r.text.slice(0, 1500));
    view = await page(`/enquetes/${id}`, who);
    assert.match(view.text, /Stap 3: Tot slot/);
    // Deleting a question of a one-question section leaves it empty: refused with the section named.
    v = versionOf(view.text);
    const last = (view.text.match(/class="duiding-builder-question"/g) ?? []).length;
    r = await post(`/enquetes/${id}/vragen/${last}/verwijderen`, who, { versie: v });
    assert.equal(r.res.status, 422);
    assert.match(r.text, /sectie 3 \(slot\): een sectie heeft minstens één vraag nodig/);
    r = await post(`/enquetes/${id}/secties/3/verwijderen`, who, { versie: v });
    assert.equal(r.res.status, 303);
    // JSON editing: an invalid document names the element.
    const js = await page(`/enquetes/${id}/json`, who);
    assert.equal(js.res.status, 200);
    v = versionOf(js.text);
    r = await post(`/enquetes/${id}/json`, who, { versie: v, document: '{"versie":1,"code":"x","titel":"T","secties":[]}' });
    assert.equal(r.res.status, 422);
    assert.match(r.text, /&quot;code&quot; moet 2 tot 48/);
    // Others cannot edit: another gemeente, the raad, the aanbieder.
    for (const other of ['beleid.emmen', 'raad.emmen', 'kwaliteit.aanbieder']) {
        assert.equal((await post(`/enquetes/${id}/vragen/1/omlaag`, s[other], { versie: v })).res.status, 403, other);
        assert.equal((await page(`/enquetes/${id}/vragen/1`, s[other])).res.status, 403, other);
        const ro = await page(`/enquetes/${id}`, s[other]);
        assert.equal(ro.res.status, 200, `${other} reads`);
        assert.doesNotMatch(ro.text, /\/vragen\/1\/omlaag/, `${other} sees no edit buttons`);
    }
    // An empty start.
    const empty = await post('/enquetes', who, { eigenaar: String(hoogeveen.id), sjabloon: 'leeg', code: 'eigen_lijst', titel: 'Eigen lijst' });
    assert.equal(empty.res.status, 303, empty.text.slice(0, 1500));
    const bad = await post('/enquetes', who, { eigenaar: String(hoogeveen.id), sjabloon: 'leeg', code: 'Fout Code', titel: 'X' });
    assert.equal(bad.res.status, 422);
});

test('preview: every step through the residents\' renderer, in Dutch and English', async () => {
    const who = s['raad.emmen'];
    const p1 = await page(`/enquetes/${emmenSurvey}/voorbeeld`, who);
    assert.equal(p1.res.status, 200);
    assert.match(p1.text, /Stap 1 van 3/);
    assert.match(p1.text, /<fieldset/);
    assert.match(p1.text, /Ik wist waar ik moest zijn met mijn hulpvraag\./);
    const en = await page(`/enquetes/${emmenSurvey}/voorbeeld?stap=3&taal=en`, who);
    assert.equal(en.res.status, 200);
    assert.match(en.text, /Stap 3 van 3/);
    assert.match(en.text, /I have a better quality of life/);
    for (const q of ['stap=0', 'stap=99', 'stap=abc', 'taal=%3Cscript%3E'])
        assert.equal((await page(`/enquetes/${emmenSurvey}/voorbeeld?${q}`, who)).res.status, 200, q);
    assert.equal((await page('/enquetes/987654/voorbeeld', who)).res.status, 404);
});

test('rounds: validation, status order, code counts', async () => {
    const who = s['beleid.emmen'];
    const gm = emmen.code.replace(/^GM/, '');
    let r = await post(`/enquetes/${emmenSurvey}/rondes`, who, { naam: 'X', gemeente: '0106', van: '2026-01-01', tot: '2026-02-01' });
    assert.equal(r.res.status, 422);
    r = await post(`/enquetes/${emmenSurvey}/rondes`, who, { naam: 'X', gemeente: gm, van: '2026-03-01', tot: '2026-02-01' });
    assert.equal(r.res.status, 422);
    assert.match(r.text, /De einddatum mag niet voor de begindatum liggen/);
    r = await post(`/enquetes/${emmenSurvey}/rondes`, who, { naam: 'X', gemeente: gm, van: 'gisteren', tot: '2026-02-01' });
    assert.equal(r.res.status, 422);
    r = await post(`/enquetes/${emmenSurvey}/rondes`, s['beleid.hoogeveen'], { naam: 'X', gemeente: gm, van: '2026-01-01', tot: '2026-02-01' });
    assert.equal(r.res.status, 403);
    r = await post(`/enquetes/${emmenSurvey}/rondes`, who, { naam: 'Statustest', gemeente: gm, van: '2026-11-01', tot: '2026-12-31', open_link: '1' });
    assert.equal(r.res.status, 303);
    const rid = Number(r.res.headers.get('location').match(/rondes\/(\d+)/)[1]);
    let v = await page(`/enquetes/${emmenSurvey}/rondes/${rid}`, who);
    assert.match(v.text, /Concept/);
    assert.match(v.text, /http:\/\/localhost:8080\/enquete\/open\/[a-z2-9]{24}/);
    for (const bad of ['0', '-1', '20001', 'veel', ''])
        assert.equal((await post(`/enquetes/${emmenSurvey}/rondes/${rid}/codes`, who, { aantal: bad })).res.status, 422, bad);
    assert.equal((await post(`/enquetes/${emmenSurvey}/rondes/${rid}/openen`, who, {})).res.status, 303);
    assert.equal((await post(`/enquetes/${emmenSurvey}/rondes/${rid}/sluiten`, who, {})).res.status, 303);
    assert.equal((await post(`/enquetes/${emmenSurvey}/rondes/${rid}/openen`, who, {})).res.status, 422);
    assert.equal((await post(`/enquetes/${emmenSurvey}/rondes/${rid}/codes`, who, { aantal: '3' })).res.status, 422);
    // A round under another survey's path is not found.
    const other = Number((await page('/enquetes', who)).text.match(/href="\/enquetes\/(\d+)"/g).map((m) => m.match(/\d+/)[0]).find((x) => Number(x) !== emmenSurvey));
    assert.equal((await page(`/enquetes/${other}/rondes/${rid}`, who)).res.status, 404);
});

test('hostile input to the builder: oversized texts, invalid UTF-8, too many options, forged ids', async () => {
    const who = s['beleid.emmen'];
    const view = await page(`/enquetes/${emmenSurvey}`, who);
    const v = versionOf(view.text);
    const base = { versie: v, item: 'vijandig', soort: 'open' };
    let r = await post(`/enquetes/${emmenSurvey}/secties/1/vragen`, who, { ...base, tekst: 'é'.repeat(1001) });
    assert.equal(r.res.status, 422);
    assert.match(r.text, /&quot;tekst&quot; is te lang \(hoogstens 1000 tekens\)/);
    r = await post(`/enquetes/${emmenSurvey}/secties/1/vragen`, who, { ...base, tekst: 'regel\nregel' });
    assert.equal(r.res.status, 422);
    // Invalid UTF-8 never reaches the builder.
    const raw = await fetch(`${srv.url}/enquetes/${emmenSurvey}/secties/1/vragen`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `csrf=${encodeURIComponent(who.csrf)}&versie=${v}&item=x&soort=open&tekst=%FF%FE`,
    });
    assert.ok([400, 422].includes(raw.status), `invalid UTF-8: ${raw.status}`);
    const opts = Array.from({ length: 25 }, (_, i) => `o${i} | Optie ${i}`).join('\n');
    r = await post(`/enquetes/${emmenSurvey}/secties/1/vragen`, who, { ...base, soort: 'keuze', tekst: 'Welke?', opties: opts });
    assert.equal(r.res.status, 422);
    r = await post(`/enquetes/${emmenSurvey}/secties/1/vragen`, who, { ...base, tekst: 'Goed', als_item: 'wmo_ceo_1', als_waarden: '9' });
    assert.equal(r.res.status, 422);
    assert.match(r.text, /geen mogelijk antwoord op/);
    for (const p of ['/vragen/0', '/vragen/-1', '/vragen/99999999999999999999', '/secties/abc', '/vragen/1%2F..'])
        assert.equal((await page(`/enquetes/${emmenSurvey}${p}`, who)).res.status, 404, p);
    // The JSON editor: a document of more than 256 kB (the form layer already refuses fields
    // over 64 kB with 400; the domain would say 422).
    r = await post(`/enquetes/${emmenSurvey}/json`, who, { versie: v, document: ' '.repeat(262145) });
    assert.ok([400, 413, 422].includes(r.res.status), String(r.res.status));
    // Nothing of the above was saved.
    const after = await page(`/enquetes/${emmenSurvey}`, who);
    assert.equal(versionOf(after.text), v);
});
