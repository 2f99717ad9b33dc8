// council.test.mjs: the council report (raadsrapportage) over HTTP against a real demo server.
// raad.emmen reads the choice page and the report of each Emmen result; the report shows the
// figures at the published strictness (the chart JSON says "publiek", every shown count is a
// multiple of 5 and rests on at least 10, hidden values are null, never 0), the table beside
// each chart, the print stylesheet, only stories with publication consent (the intern and
// gesprek stories of Emmen never appear) and only conversations approved by every side. The PDF
// is application/pdf and pdftotext shows the title. Other readers: beleid.emmen gets the same
// published strictness, beleid.hoogeveen cannot read Emmen's report (403), anonymous visitors
// are sent to the login. Bad and hostile queries get 400/403/404 without echoing the input.
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
let emmenResults = []; // [{id, titel}]
let reports = new Map(); // result id -> html as raad.emmen

async function api(p, as) {
    const res = await fetch(`${srv.url}/api/v1${p}`, {
        headers: { accept: 'application/json', cookie: who[as].cookie },
    });
    assert.equal(res.status, 200, `GET ${p} as ${as}`);
    return res.json();
}

const page = (p, as) => get(srv.url, p, as ? who[as].cookie : undefined);
const reportPath = (id, extra = '') => `/raadsrapportage?onderwerp=resultaat-${id}${extra}`;

/** The JSON documents embedded for static/charts.js: id -> parsed view. */
function chartData(html) {
    const out = new Map();
    for (const m of html.matchAll(/<script type="application\/json" id="([^"]+)">([\s\S]*?)<\/script>/g))
        out.set(m[1], JSON.parse(m[2]));
    return out;
}

const decode = (s) =>
    s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
const text = (html) => decode(html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

before(async () => {
    srv = await startServer({ demo: true });
    for (const l of ['raad.emmen', 'beleid.emmen', 'beleid.hoogeveen', 'beleid.regio', 'kwaliteit.aanbieder'])
        who[l] = await session(srv.url, l);
    const orgs = (await api('/organisaties?paginaGrootte=1000', 'beleid.emmen')).items;
    const emmen = orgs.find((o) => o.naam === 'Emmen');
    emmenResults = (await api(`/maatschappelijke-resultaten?eigenaar=${emmen.id}`, 'beleid.emmen')).items;
    assert.ok(emmenResults.length >= 2, 'the demo has results of Emmen');
    for (const r of emmenResults) {
        const { res, text: html } = await page(reportPath(r.id), 'raad.emmen');
        assert.equal(res.status, 200, `report of result ${r.id}`);
        reports.set(r.id, html);
    }
});

after(async () => {
    await srv?.stop();
});

test('raad.emmen chooses a theme or result; Emmen is its only area', async () => {
    const { res, text: html } = await page('/raadsrapportage', 'raad.emmen');
    assert.equal(res.status, 200);
    assert.match(html, /<h1[^>]*>Raadsrapportage<\/h1>/);
    assert.match(html, /<select[^>]*name="onderwerp"/);
    assert.match(html, /<option value="thema-opgroeien">/);
    for (const r of emmenResults) assert.ok(html.includes(`value="resultaat-${r.id}"`), `result ${r.id} offered`);
    // One gemeente in scope: no menu, the code travels as a hidden field.
    assert.match(html, /<input type="hidden" name="gemeente" value="0114">/);
    assert.doesNotMatch(html, /<select[^>]*name="gemeente"/);
    // beleid.regio may choose among the region's gemeenten and the region as a whole.
    const regio = await page('/raadsrapportage', 'beleid.regio');
    assert.match(regio.text, /<select[^>]*name="gemeente"/);
    assert.match(regio.text, /<option value="alle"/);
    assert.match(regio.text, /<option value="0114"/);
});

test('the report: plain-language parts, figures at published strictness with a table beside each chart', async () => {
    let charts = 0;
    let shown = 0;
    let hidden = 0;
    for (const [id, html] of reports) {
        const t = text(html);
        assert.match(html, /<h1[^>]*>Raadsrapportage: /);
        assert.match(html, /<link rel="stylesheet" href="\/static\/raad.css">/);
        for (const part of ['De cijfers', 'Verhalen', 'Wat we leerden in gesprekken', 'Wat we doen'])
            assert.ok(t.includes(part), `result ${id}: part "${part}"`);
        assert.ok(t.includes('In deze rapportage leest u hoe het gaat met het doel'), 'B1 introduction');
        assert.match(html, /href="\/raadsrapportage\.pdf\?onderwerp=resultaat-\d+&amp;gemeente=0114"/);
        // No inline script: only JSON data blocks (CSP).
        for (const m of html.matchAll(/<script\b([^>]*)>/g))
            assert.ok(/type="application\/json"|src="/.test(m[1]), `no inline script: ${m[0]}`);
        for (const [cid, view] of chartData(html)) {
            if (!cid.startsWith('raad-grafiek-')) continue;
            charts++;
            assert.equal(view.publiek, 'publiek', `${cid}: published audience`);
            // The chart's figure and the table of the same figures sit side by side.
            const n = cid.slice('raad-grafiek-'.length);
            assert.ok(html.includes(`data-bron="${cid}"`), `${cid}: a chart reads it`);
            assert.match(html, new RegExp(`id="raad-tabel-${n}[^"]*"|raad-tabel-${n}`), `${cid}: its table`);
            for (const c of view.cellen) {
                if (c.waarde === null || c.waarde === undefined) {
                    hidden++;
                    assert.ok(c.n === null || c.n === undefined, `${cid}: a hidden cell has no count`);
                    continue;
                }
                shown++;
                assert.ok(c.n >= 10, `${cid} ${c.periode}: n=${c.n} below the published minimum`);
                // A rate per 1,000 divides by the population (a public CBS number), not a count.
                const counts = view.indicator?.aggregatie === 'per_1000' ? ['n', 'teller'] : ['n', 'teller', 'noemer'];
                for (const k of counts)
                    if (typeof c[k] === 'number') assert.equal(c[k] % 5, 0, `${cid} ${c.periode}: ${k}=${c[k]} not rounded to 5`);
            }
        }
        assert.match(html, /class="duiding-figure-card__table"/);
    }
    assert.ok(charts > 0, 'at least one chart');
    assert.ok(shown > 0, 'at least one shown figure');
    const css = await page('/static/raad.css');
    assert.equal(css.res.status, 200);
    assert.match(css.text, /@media print/);
    assert.match(css.text, /break-before: page/);
});

test('beleid.emmen gets the same published strictness, not its own internal figures', async () => {
    const id = emmenResults[0].id;
    const { res, text: html } = await page(reportPath(id), 'beleid.emmen');
    assert.equal(res.status, 200);
    const views = [...chartData(html).entries()].filter(([k]) => k.startsWith('raad-grafiek-'));
    assert.ok(views.length > 0);
    for (const [, v] of views) assert.equal(v.publiek, 'publiek');
});

test('only stories with publication consent reach the report', async () => {
    const all = (await api('/verhalen?paginaGrootte=500', 'beleid.emmen')).items;
    const closed = all.filter((s) => s.toestemming !== 'publicatie');
    const open = all.filter((s) => s.toestemming === 'publicatie');
    assert.ok(closed.length > 0 && open.length > 0, 'the demo has stories of each kind of consent');
    const shownAll = [...reports.values()].map(text).join('\n');
    for (const s of closed) assert.ok(!shownAll.includes(s.titel), `story "${s.titel}" (${s.toestemming}) must not appear`);
    assert.ok(open.some((s) => shownAll.includes(s.titel)), 'some publication story appears');
});

test('only conversations approved by every side reach the report', async () => {
    const shownAll = [...reports.values()].join('\n');
    const titles = [...shownAll.matchAll(/<article class="duiding-council-conversation"><h4[^>]*>([^<]+)<\/h4>/g)].map((m) => decode(m[1]));
    assert.ok(titles.length > 0, 'the demo has an approved conversation of Emmen');
    // The planned follow-up and the unapproved front conversation never appear.
    for (const t of titles) assert.doesNotMatch(t, /^Vervolggesprek|^Voorkantgesprek/, t);
    assert.ok(!text(shownAll).includes('Vervolggesprek'), 'no planned conversation');
    // An approved conversation brings its actions with a status.
    assert.match(shownAll, /<caption[^>]*>Afspraken per status<\/caption>/);
    assert.match(shownAll, /<caption[^>]*>Alle afspraken<\/caption>/);
});

test('the PDF: application/pdf, the title in pdftotext', async () => {
    const id = [...reports.entries()].find(([, h]) => h.includes('duiding-council-conversation'))?.[0] ?? emmenResults[0].id;
    const res = await fetch(`${srv.url}/raadsrapportage.pdf?onderwerp=resultaat-${id}&gemeente=0114`, {
        headers: { cookie: who['raad.emmen'].cookie },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="raadsrapportage-0114-resultaat-\d+\.pdf"$/);
    const pdf = Buffer.from(await res.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const title = emmenResults.find((r) => r.id === id).titel;
    if (existsSync('/usr/bin/pdftotext')) {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'duiding-raad-'));
        try {
            writeFileSync(path.join(dir, 'r.pdf'), pdf);
            const out = execFileSync('/usr/bin/pdftotext', [path.join(dir, 'r.pdf'), '-']).toString().replace(/\s+/g, ' ');
            assert.ok(out.includes('Raadsrapportage:'), 'the title');
            assert.ok(out.includes(title.slice(0, 30)), `the result title "${title}"`);
            assert.match(out, /pagina 1 van \d+/);
            assert.ok(out.includes('Wat we leerden in gesprekken'));
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }
    // A theme report as PDF too.
    const theme = await fetch(`${srv.url}/raadsrapportage.pdf?onderwerp=thema-opgroeien`, { headers: { cookie: who['raad.emmen'].cookie } });
    assert.equal(theme.status, 200);
    assert.equal(theme.headers.get('content-type'), 'application/pdf');
});

test('who may read which area; bad and hostile queries', async () => {
    const id = emmenResults[0].id;
    // Anonymous: to the login.
    const anon = await page(reportPath(id));
    assert.equal(anon.res.status, 303);
    assert.match(anon.res.headers.get('location'), /^\/inloggen/);
    // Hoogeveen's figure scope does not include Emmen.
    assert.equal((await page(reportPath(id, '&gemeente=0114'), 'beleid.hoogeveen')).res.status, 403);
    assert.equal((await page(`/raadsrapportage.pdf?onderwerp=resultaat-${id}&gemeente=GM0114`, 'beleid.hoogeveen')).res.status, 403);
    // raad.emmen asks for another gemeente: refused, not widened.
    assert.equal((await page(reportPath(id, '&gemeente=0118'), 'raad.emmen')).res.status, 403);
    // The region may look at Emmen and at the whole region.
    assert.equal((await page(reportPath(id, '&gemeente=0114'), 'beleid.regio')).res.status, 200);
    const whole = await page('/raadsrapportage?onderwerp=thema-opgroeien&gemeente=alle', 'beleid.regio');
    assert.equal(whole.res.status, 200);
    // A provider reads it for a gemeente, and is told the figures are about its own clients.
    const prov = await page(reportPath(id, '&gemeente=0114'), 'kwaliteit.aanbieder');
    assert.equal(prov.res.status, 200);
    assert.ok(text(prov.text).includes('eigen organisatie'));
    // Bad input.
    for (const q of ['onderwerp=iets', 'onderwerp=resultaat-abc', 'onderwerp=thema-onbekend', 'thema=x', 'resultaat=-1'])
        assert.equal((await page(`/raadsrapportage?${q}`, 'raad.emmen')).res.status, 400, q);
    assert.equal((await page('/raadsrapportage?onderwerp=resultaat-987654321', 'raad.emmen')).res.status, 404);
    assert.equal((await page('/raadsrapportage.pdf', 'raad.emmen')).res.status, 400);
    const hostile = '<script>alert(1)</script>';
    const h = await page(`/raadsrapportage?onderwerp=${encodeURIComponent(hostile)}`, 'raad.emmen');
    assert.equal(h.res.status, 400);
    assert.ok(!h.text.includes(hostile));
    const g = await page(`/raadsrapportage?onderwerp=thema-opgroeien&gemeente=${encodeURIComponent(hostile)}`, 'raad.emmen');
    assert.equal(g.res.status, 403);
    assert.ok(!g.text.includes(hostile));
});
