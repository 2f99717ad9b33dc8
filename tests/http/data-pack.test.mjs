// data-pack.test.mjs: the data pack of a quality conversation (/gesprekken/{id}/datapakket and
// its PDF) over HTTP against a real demo server. beleid.emmen plans a conversation about an
// Emmen result with the aanbieder of kwaliteit.aanbieder; two stories about that result are
// recorded first (consent "gesprek" and "intern"). Then: making a pack needs the CSRF token and
// membership; the page carries the freezing notice, the hash, the linked indicators per quarter
// (hidden values as ".", never 0) and the disclosed survey figures, the "gesprek" story and not
// the "intern" one; both sides see the same pack; the PDF is an attachment that pdftotext reads
// back with the title and the hash; outsiders (another aanbieder, another gemeente, the
// beheerder, a raad member) get 404 for the page, the PDF and the POST; a story recorded later
// does not change the frozen pack; and once the conversation is held no new pack is made (409).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { session, get, postForm } from './fixtures.mjs';

const API = '/api/v1';
const PASSWORD = 'Datapakket-test-2026!';
let srv;
const who = {};
let conv = 0;
let result = 0;
let aanbieder = 0;
const indicatorNames = [];
const TITLE = 'Datapakkettest: kwaliteitsgesprek jeugd';
const STORY_GESPREK = 'Vaste hulpverlener maakte het verschil';
const STORY_INTERN = 'Alleen voor het eigen team bedoeld';
const STORY_LATER = 'Later verteld: de wachttijd viel mee';

async function api(method, p, { as, body } = {}) {
    const h = { accept: 'application/json' };
    if (as) {
        h.cookie = who[as].cookie;
        if (method !== 'GET') h['x-csrf-token'] = who[as].csrf;
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

function post(login, p, fields = {}) {
    return postForm(srv.url, p, who[login].cookie, { csrf: who[login].csrf, ...fields });
}

async function story(titel, toestemming, datum = '2025-05-14') {
    const r = await api('POST', '/verhalen', {
        as: 'beleid.emmen',
        body: {
            soort: 'citaat',
            toestemming,
            titel,
            tekst: 'Doordat we steeds dezelfde hulpverlener zagen, hoefden we ons verhaal niet opnieuw te doen.',
            vertellerRol: 'ouder',
            datum,
            gemeente: 'GM0114',
            resultaatIds: [result],
            anonimiseringBevestigd: true,
        },
    });
    assert.equal(r.res.status, 201, r.text);
    return r.json.id;
}

const packUrl = (suffix = '') => `/gesprekken/${conv}/datapakket${suffix}`;
const hashOf = (html) => html.match(/<code class="duiding-pack-hash">([0-9a-f]{64})<\/code>/)?.[1];

before(async () => {
    srv = await startServer({ demo: true });
    for (const login of ['beleid.emmen', 'beleid.hoogeveen', 'kwaliteit.aanbieder', 'raad.emmen', 'beheerder'])
        who[login] = await session(srv.url, login);
    const kw = (await api('GET', '/ik', { as: 'kwaliteit.aanbieder' })).json;
    aanbieder = kw.organisatie.id;
    const emmen = (await api('GET', '/ik', { as: 'beleid.emmen' })).json.organisatie.id;
    // Another aanbieder with its own quality officer: not at this table.
    const orgs = await api('GET', '/organisaties?soort=aanbieder&paginaGrootte=1000', { as: 'beheerder' });
    const other = orgs.json.items.find((o) => o.id !== aanbieder);
    assert.ok(other, 'a second aanbieder exists');
    const u = await api('POST', '/gebruikers', {
        as: 'beheerder',
        body: {
            inlognaam: 'kwaliteit.andere',
            naam: 'Kwaliteit Andere Aanbieder',
            organisatieId: other.id,
            rollen: ['kwaliteit'],
            wachtwoord: PASSWORD,
        },
    });
    assert.equal(u.res.status, 201, u.text);
    who['kwaliteit.andere'] = await session(srv.url, 'kwaliteit.andere', PASSWORD);

    const rs = await api('GET', '/maatschappelijke-resultaten?paginaGrootte=1000', { as: 'beleid.emmen' });
    const own = rs.json.items.filter((x) => x.eigenaarId === emmen && !x.gearchiveerd);
    result = (own.find((x) => /jongeren|jeugd/i.test(x.titel)) ?? own[0])?.id;
    assert.ok(result, 'Emmen owns a societal result');
    await story(STORY_GESPREK, 'gesprek');
    await story(STORY_INTERN, 'intern');

    const r = await post('beleid.emmen', '/gesprekken', {
        soort: 'achterkant',
        titel: TITLE,
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
    // The result's indicators, as the new-action form offers them.
    const form = await get(srv.url, `/gesprekken/${conv}/acties/nieuw`, who['beleid.emmen'].cookie);
    for (const m of form.text.matchAll(/name="indicator" value="(\d+)"/g)) {
        const ind = await api('GET', `/indicatoren/${m[1]}`, { as: 'beleid.emmen' });
        assert.equal(ind.res.status, 200, ind.text);
        indicatorNames.push(ind.json.definitie.naam);
    }
    assert.ok(indicatorNames.length > 0, 'the result has indicators');
});

after(async () => {
    await srv?.stop();
});

test('before a pack: the page offers to make one; the POST needs the token and membership', async () => {
    const page = await get(srv.url, packUrl(), who['beleid.emmen'].cookie);
    assert.equal(page.res.status, 200);
    assert.match(page.text, /nog geen datapakket/);
    assert.match(page.text, /Datapakket maken/);
    const pdf = await get(srv.url, packUrl('.pdf'), who['beleid.emmen'].cookie);
    assert.equal(pdf.res.status, 404);
    // Without the CSRF token nothing is made.
    const nocsrf = await postForm(srv.url, packUrl(), who['beleid.emmen'].cookie, {});
    assert.equal(nocsrf.res.status, 403);
    const wrong = await postForm(srv.url, packUrl(), who['beleid.emmen'].cookie, { csrf: who['beleid.hoogeveen'].csrf });
    assert.equal(wrong.res.status, 403);
    for (const login of ['kwaliteit.andere', 'beleid.hoogeveen', 'raad.emmen', 'beheerder']) {
        const r = await post(login, packUrl());
        assert.equal(r.res.status, 404, `${login}: ${r.res.status}`);
    }
    const anon = await postForm(srv.url, packUrl(), undefined, {});
    assert.ok([303, 401, 403].includes(anon.res.status), `anonymous: ${anon.res.status}`);
    if (anon.res.status === 303) assert.match(anon.res.headers.get('location'), /^\/inloggen/);
    const still = await get(srv.url, packUrl(), who['beleid.emmen'].cookie);
    assert.match(still.text, /nog geen datapakket/);
});

test('a member makes the pack: notice, hash, figures, the right stories, the same for both sides', async () => {
    const r = await post('kwaliteit.aanbieder', packUrl());
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    assert.equal(r.res.headers.get('location'), packUrl('?melding=aangemaakt'));
    const page = await get(srv.url, packUrl(), who['beleid.emmen'].cookie);
    assert.equal(page.res.status, 200);
    const t = page.text;
    assert.match(t, /Momentopname gemaakt op [^<]+, met gegevens tot en met \d{2}-\d{2}-\d{4}; latere correcties staan hier niet in\./);
    assert.doesNotMatch(t, /Sinds deze momentopname zijn gegevens gewijzigd/);
    const hash = hashOf(t);
    assert.ok(hash, 'the hash is on the page');
    assert.ok(t.includes(TITLE), 'the title');
    // Every linked indicator with a row per quarter of 2024 and 2025; hidden values are ".",
    // never 0, and the page says so.
    for (const name of indicatorNames) assert.ok(t.includes(name.replace(/'/g, '&#39;')), `indicator ${name}`);
    for (const y of [2024, 2025])
        for (let q = 1; q <= 4; q++) assert.match(t, new RegExp(`<td[^>]*>${y}-Q${q}</td>`), `${y}-Q${q}`);
    assert.match(t, /Een verborgen waarde is geen nul/);
    // A value cell holds a figure or a "." explained in its title; never an empty or 0 stand-in.
    const cells = [...t.matchAll(/<td[^>]*>20\d\d-Q\d<\/td><td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]);
    assert.equal(cells.length, 8 * indicatorNames.length, 'one row per quarter per indicator');
    for (const c of cells) assert.match(c, /^(<abbr title="[^"]+">\.<\/abbr>|\d[\d.,]*\s?%?)$/, c);
    // Disclosed survey figures of the gemeente's round in the period: a count and a percentage.
    assert.match(t, /Enquêteresultaten/);
    assert.match(t, /<td[^>]*>\d+<\/td><td[^>]*>\d+(,\d)?\s?%<\/td>/);
    // The "gesprek" story is in, the "intern" one is not, anywhere.
    assert.ok(t.includes(STORY_GESPREK), 'the gesprek story');
    assert.ok(!t.includes(STORY_INTERN), 'no intern story');
    // The conversation is prepared now.
    const overview = await get(srv.url, `/gesprekken/${conv}`, who['beleid.emmen'].cookie);
    assert.match(overview.text, /[Vv]oorbereid/);
    // The other side sees exactly the same frozen pack.
    const theirs = await get(srv.url, packUrl(), who['kwaliteit.aanbieder'].cookie);
    assert.equal(theirs.res.status, 200);
    assert.equal(hashOf(theirs.text), hash);
    assert.ok(!theirs.text.includes(STORY_INTERN));
});

test('the PDF is an attachment, a real PDF with the title and the hash', async () => {
    const page = await get(srv.url, packUrl(), who['beleid.emmen'].cookie);
    const hash = hashOf(page.text);
    const res = await fetch(srv.url + packUrl('.pdf'), { headers: { cookie: who['kwaliteit.aanbieder'].cookie } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="datapakket-\d+-\d+\.pdf"$/);
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(body.length > 2000, `${body.length} bytes`);
    if (!existsSync('/usr/bin/pdftotext')) return; // poppler-utils is in scripts/deps.sh
    const dir = await mkdtemp(path.join(os.tmpdir(), 'duiding-datapakket-'));
    try {
        const file = path.join(dir, 'pakket.pdf');
        await writeFile(file, body);
        execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', file, path.join(dir, 'pakket.txt')]);
        const text = await readFile(path.join(dir, 'pakket.txt'), 'utf8');
        assert.ok(text.includes(TITLE), 'title in the PDF text');
        assert.ok(text.replace(/\s+/g, '').includes(hash), 'hash in the PDF text');
        assert.match(text.replace(/\s+/g, ' '), /Momentopname gemaakt op .* latere correcties staan hier niet in/);
        assert.ok(text.includes(STORY_GESPREK));
        assert.ok(!text.includes(STORY_INTERN), 'no intern story in the PDF');
        assert.match(text, /pagina 1 van \d+/);
    } finally {
        await rm(dir, { recursive: true, force: true });
    }
});

test('outsiders get 404 for the page and the PDF', async () => {
    for (const login of ['kwaliteit.andere', 'beleid.hoogeveen', 'raad.emmen', 'beheerder']) {
        for (const p of [packUrl(), packUrl('.pdf')]) {
            const r = await get(srv.url, p, who[login].cookie);
            assert.equal(r.res.status, 404, `${login} ${p}: ${r.res.status}`);
            assert.ok(!r.text.includes(STORY_GESPREK), `${login} ${p}: no content`);
        }
    }
    const anon = await get(srv.url, packUrl('.pdf'));
    assert.equal(anon.res.status, 303, 'anonymous visitors are sent to the login page');
    const bad = await get(srv.url, '/gesprekken/999999/datapakket.pdf', who['beleid.emmen'].cookie);
    assert.equal(bad.res.status, 404);
});

test('the pack stays frozen when data changes; a new pack is a new snapshot', async () => {
    const before = await get(srv.url, packUrl(), who['beleid.emmen'].cookie);
    const hash = hashOf(before.text);
    await story(STORY_LATER, 'gesprek', '2025-11-20');
    const again = await get(srv.url, packUrl(), who['beleid.emmen'].cookie);
    assert.equal(hashOf(again.text), hash, 'same snapshot');
    assert.ok(!again.text.includes(STORY_LATER), 'the later story is not in the frozen pack');
    const r = await post('beleid.emmen', packUrl());
    assert.equal(r.res.status, 303);
    const fresh = await get(srv.url, packUrl(), who['beleid.emmen'].cookie);
    assert.notEqual(hashOf(fresh.text), hash, 'a new snapshot');
    assert.ok(fresh.text.includes(STORY_LATER), 'the new pack has the later story');
    assert.match(fresh.text, /Eerdere datapakketten/);
    assert.ok(fresh.text.includes(hash.slice(0, 16)), 'the earlier pack is listed');
});

test('once the conversation is held no new pack is made (409); the last one stays', async () => {
    const before = await get(srv.url, packUrl(), who['beleid.emmen'].cookie);
    const hash = hashOf(before.text);
    const hold = await get(srv.url, `/gesprekken/${conv}/houden`, who['beleid.emmen'].cookie);
    assert.equal(hold.res.status, 200);
    const m = hold.text.match(/action="\/gesprekken\/\d+\/gehouden">(?:(?!<\/form>)[\s\S])*?name="versie" value="(\d+)"/);
    assert.ok(m, 'the "gehouden" form with its version');
    const held = await post('beleid.emmen', `/gesprekken/${conv}/gehouden`, { versie: m[1] });
    assert.equal(held.res.status, 303, held.text.slice(0, 500));
    const r = await post('beleid.emmen', packUrl());
    assert.equal(r.res.status, 409);
    assert.match(r.text, /al gehouden/);
    const after = await get(srv.url, packUrl(), who['kwaliteit.aanbieder'].cookie);
    assert.equal(after.res.status, 200);
    assert.equal(hashOf(after.text), hash);
    assert.doesNotMatch(after.text, /Nieuw datapakket maken/);
    const pdf = await fetch(srv.url + packUrl('.pdf'), { headers: { cookie: who['beleid.emmen'].cookie } });
    assert.equal(pdf.status, 200);
});
