// mirror.test.mjs: the spiegelrapportage (/aanbieders/{id}/spiegelrapportage, .pdf, .csv) over
// HTTP against a real demo server. kwaliteit.aanbieder reads the report of its own aanbieder:
// plain sections, the chart JSON at the provider audience (every shown count a multiple of 5
// resting on at least 10, hidden values null, never 0), a table beside every chart, the print
// stylesheet, no inline script, and no other demo aanbieder named anywhere (HTML, PDF text, CSV).
// The PDF is application/pdf, an attachment, and pdftotext shows the title; the CSV is UTF-8
// with a BOM, ";"-separated, an attachment. Policy: another aanbieder's report is 404 for
// kwaliteit.aanbieder, 404 for raad.emmen, 200 for the contracting region and a gemeente in it
// (the demo contracts of the region), anonymous visitors go to the login. Bad queries get 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { session, get } from './fixtures.mjs';

let srv;
const who = {};
let own; // the aanbieder of kwaliteit.aanbieder: {id, naam}
let other; // another demo aanbieder
let aanbieders = []; // every aanbieder organisation

async function api(p, as) {
    const res = await fetch(`${srv.url}/api/v1${p}`, {
        headers: { accept: 'application/json', cookie: who[as].cookie },
    });
    assert.equal(res.status, 200, `GET ${p} as ${as}`);
    return res.json();
}

const page = (p, as) => get(srv.url, p, as ? who[as].cookie : undefined);
const mirror = (id, tail = '') => `/aanbieders/${id}/spiegelrapportage${tail}`;

async function download(p, as) {
    const res = await fetch(`${srv.url}${p}`, { redirect: 'manual', headers: { cookie: who[as].cookie } });
    return { res, body: Buffer.from(await res.arrayBuffer()) };
}

function chartData(html) {
    const out = new Map();
    for (const m of html.matchAll(/<script type="application\/json" id="([^"]+)">([\s\S]*?)<\/script>/g))
        out.set(m[1], JSON.parse(m[2]));
    return out;
}

const decode = (s) =>
    s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
const text = (html) => decode(html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

function noOtherNames(s, where) {
    for (const a of aanbieders) if (a.id !== own.id) assert.ok(!s.includes(a.naam), `${where} names ${a.naam}`);
}

before(async () => {
    srv = await startServer({ demo: true });
    for (const l of ['kwaliteit.aanbieder', 'raad.emmen', 'beleid.emmen', 'contract.regio', 'beleid.regio'])
        who[l] = await session(srv.url, l);
    const me = await api('/ik', 'kwaliteit.aanbieder');
    own = { id: me.organisatie.id, naam: me.organisatie.naam };
    const orgs = (await api('/organisaties?paginaGrootte=1000', 'beleid.emmen')).items;
    aanbieders = orgs.filter((o) => o.soort === 'aanbieder');
    other = aanbieders.find((o) => o.id !== own.id);
    assert.ok(aanbieders.length >= 3 && other, 'the demo has several aanbieders');
});

after(async () => {
    await srv?.stop();
});

test('kwaliteit.aanbieder reads its own report: sections, disclosed figures, no other names', async () => {
    const { res, text: html } = await page(mirror(own.id), 'kwaliteit.aanbieder');
    assert.equal(res.status, 200, html.slice(0, 300));
    assert.match(html, new RegExp(`<h1[^>]*>Spiegelrapportage ${own.naam.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</h1>`));
    for (const h of ['Resultaten naast de regio', 'Wat cliënten zeggen', 'Toetsing aan het kwaliteitskader', 'Wat we hebben afgesproken'])
        assert.ok(html.includes(h), `section ${h}`);
    assert.match(html, /<link rel="stylesheet" href="\/static\/spiegel.css">/);
    assert.ok(html.includes(`href="/aanbieders/${own.id}/spiegelrapportage.pdf"`));
    assert.ok(html.includes(`href="/aanbieders/${own.id}/spiegelrapportage.csv"`));
    for (const m of html.matchAll(/<script\b([^>]*)>/g))
        assert.ok(/type="application\/json"|src="/.test(m[1]), `no inline script: ${m[0]}`);
    let charts = 0, shown = 0;
    for (const [cid, view] of chartData(html)) {
        if (!cid.startsWith('spiegel-grafiek-')) continue;
        charts++;
        assert.equal(view.publiek, 'aanbieder', `${cid}: provider audience`);
        // Its table scrolls inside a region the keyboard reaches, named like the table.
        const n = cid.slice('spiegel-grafiek-'.length);
        assert.match(html, new RegExp(`<div class="duiding-figure-card__scroll" tabindex="0" role="region" aria-label="Cijfers: [^"]+"><table [^>]*id="spiegel-tabel-${n}"`), `${cid}: its table`);
        assert.deepEqual(view.per, [], `${cid}: totals only`);
        for (const c of view.cellen) {
            if (c.waarde === null || c.waarde === undefined) {
                assert.ok(c.n === null || c.n === undefined, `${cid}: a hidden cell has no count`);
                continue;
            }
            shown++;
            assert.ok(c.n >= 10, `${cid} ${c.periode}: n=${c.n} below the provider minimum`);
            for (const k of ['n', 'teller', 'noemer'])
                if (typeof c[k] === 'number') assert.equal(c[k] % 5, 0, `${cid}: ${k}=${c[k]} not rounded`);
            for (const lbl of c.labels ?? []) noOtherNames(String(lbl), cid);
        }
    }
    assert.ok(charts > 0, 'the report has charts');
    // The demo aanbieders are small: their own figures are hidden on every page (also on
    // /api/v1/indicatoren/{id}/uitkomsten). Then the page must say why and offer years.
    if (shown === 0) {
        assert.ok(html.includes('Er zijn (nog) geen cijfers die we mogen laten zien'), 'why nothing is shown');
        assert.ok(html.includes(`href="/aanbieders/${own.id}/spiegelrapportage?per=jaar"`), 'years offered');
    }
    noOtherNames(text(html), 'the page');
    noOtherNames(html, 'the HTML source');
});

test('the PDF and the CSV: headers, content, no other names', async () => {
    const pdf = await download(mirror(own.id, '.pdf'), 'kwaliteit.aanbieder');
    assert.equal(pdf.res.status, 200);
    assert.equal(pdf.res.headers.get('content-type'), 'application/pdf');
    assert.match(pdf.res.headers.get('content-disposition'), /^attachment; filename="spiegelrapportage-\d+-\d{4}-Q[1-4]\.pdf"$/);
    assert.match(pdf.res.headers.get('cache-control') ?? '', /no-store/);
    assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
    if (existsSync('/usr/bin/pdftotext')) {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'spiegel-'));
        try {
            const f = path.join(dir, 's.pdf');
            writeFileSync(f, pdf.body);
            const t = execFileSync('/usr/bin/pdftotext', ['-enc', 'UTF-8', f, '-']).toString();
            assert.ok(t.includes(`Spiegelrapportage ${own.naam}`), 'title in the PDF');
            assert.ok(t.includes('Resultaten naast de regio'));
            noOtherNames(t, 'the PDF');
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }
    const csv = await download(mirror(own.id, '.csv'), 'kwaliteit.aanbieder');
    assert.equal(csv.res.status, 200);
    assert.equal(csv.res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(csv.res.headers.get('content-disposition'), /^attachment; filename="spiegelrapportage-\d+-\d{4}-Q[1-4]\.csv"$/);
    assert.deepEqual([...csv.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const body = csv.body.toString('utf8');
    assert.match(body, /^\uFEFFOnderdeel;Onderwerp;Detail;Periode;Waarde;Aantal;/);
    assert.match(body, /\nIndicator;/);
    noOtherNames(body, 'the CSV');
    // Every shown count in the CSV is rounded and at least 10; hidden ones are ".".
    for (const line of body.split(/\r?\n/)) {
        if (!line.startsWith('Indicator;')) continue;
        const cols = line.split(';');
        const n = cols[5];
        if (n === '.' || n === '') continue;
        const v = Number(n.replace(/\./g, ''));
        assert.ok(v >= 10 && v % 5 === 0, `CSV count ${n}`);
    }
});

test('policy: another aanbieder 404, raad 404, contracting region and its gemeente 200', async () => {
    let r = await page(mirror(other.id), 'kwaliteit.aanbieder');
    assert.equal(r.res.status, 404);
    for (const tail of ['.pdf', '.csv']) {
        r = await page(mirror(other.id, tail), 'kwaliteit.aanbieder');
        assert.equal(r.res.status, 404, tail);
    }
    r = await page(mirror(own.id), 'raad.emmen');
    assert.equal(r.res.status, 404);
    r = await page(mirror(own.id, '.pdf'), 'raad.emmen');
    assert.equal(r.res.status, 404);
    // The demo region contracts the demo aanbieder (ingest/demo_contracts.c).
    for (const l of ['contract.regio', 'beleid.regio', 'beleid.emmen']) {
        r = await page(mirror(own.id), l);
        assert.equal(r.res.status, 200, `${l}: ${r.text.slice(0, 200)}`);
    }
    // Not an aanbieder, no such id, not a number: 404, nothing echoed.
    const emmen = (await api('/ik', 'beleid.emmen')).organisatie.id;
    for (const id of [emmen, 99999999, 'abc<script>'])
        assert.equal((await page(mirror(encodeURIComponent(id)), 'kwaliteit.aanbieder')).res.status, 404, String(id));
    const anon = await get(srv.url, mirror(own.id));
    assert.ok([302, 303].includes(anon.res.status), `anonymous: ${anon.res.status}`);
    assert.match(anon.res.headers.get('location') ?? '', /^\/inloggen/);
});

test('bad queries: 400 in Dutch without echoing the input', async () => {
    for (const q of ['?kwartalen=0', '?kwartalen=13', '?kwartalen=<b>x</b>', '?tot=2025-13', '?tot=<i>y</i>',
        '?per=maand', '?per=jaar&tot=2025-Q4', '?tot=2025']) {
        const r = await page(mirror(own.id, q), 'kwaliteit.aanbieder');
        assert.equal(r.res.status, 400, q);
        assert.ok(!r.text.includes('<b>x</b>') && !r.text.includes('<i>y</i>'), `${q} echoed`);
    }
    const ok = await page(mirror(own.id, '?kwartalen=8'), 'kwaliteit.aanbieder');
    assert.equal(ok.res.status, 200);
    assert.ok(ok.text.includes(`href="/aanbieders/${own.id}/spiegelrapportage.pdf?kwartalen=8"`));
    const years = await page(mirror(own.id, '?per=jaar&tot=2025'), 'kwaliteit.aanbieder');
    assert.equal(years.res.status, 200);
    assert.ok(years.text.includes('2025'));
});
