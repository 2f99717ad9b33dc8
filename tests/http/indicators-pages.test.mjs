// indicators-pages.test.mjs: the indicator pages and the dashboard over HTTP against a real demo
// server (`duiding demo`, small): status codes for every role kind and for nonsense input, the
// JSON of /indicatoren/{id}.json (the same document as the API's /uitkomsten and as the JSON
// embedded in the page for the charts), hidden figures as null and "." — never 0 —, the
// audience (raad sees the publication version, nobody can ask for a looser one), and scope:
// a provider cannot reach another provider's figures by URL manipulation (?aanbieder=other):
// it gets 403, never the other's figures; a gemeente cannot ask for another gemeente.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { session, get, cliOrgs } from './fixtures.mjs';

let srv;
const s = {}; // login -> session
let orgs = [];
let ownAanbieder; // org id of kwaliteit.aanbieder's organisation
let otherAanbieder; // another aanbieder
let emmen; // {id, code, name}
let hoogeveen;
let indicatorIds = []; // from the list page, in page order
let proportionId; // an indicator computed as a proportion (has intervals)

const bare = (code) => String(code || '').replace(/^GM/i, '');

async function json(path, who) {
    const { res, text } = await get(srv.url, path, who?.cookie);
    let body = null;
    try {
        body = JSON.parse(text);
    } catch {
        /* not JSON: body stays null, the status tells */
    }
    return { res, text, body };
}

async function page(path, who) {
    return get(srv.url, path, who?.cookie);
}

// The JSON scripts of a page: id -> parsed document.
function embedded(html) {
    const out = {};
    for (const m of html.matchAll(/<script type="application\/json" id="([^"]+)">([\s\S]*?)<\/script>/g))
        out[m[1]] = JSON.parse(m[2]);
    return out;
}

// Every hidden cell is null in every figure, and says why.
function assertHiddenAreNull(view, what) {
    for (const c of view.cellen) {
        if (c.verborgen === null) continue;
        assert.equal(c.waarde, null, `${what}: hidden cell ${JSON.stringify(c)} has a value`);
        for (const k of ['n', 'teller', 'noemer', 'ondergrens', 'bovengrens'])
            assert.equal(c[k], null, `${what}: hidden cell has ${k} = ${c[k]}`);
        assert.ok(c.verborgen.reden && c.verborgen.uitleg, `${what}: hidden cell without a reason`);
    }
}

before(async () => {
    srv = await startServer({ demo: true });
    for (const login of ['beheerder', 'beleid.emmen', 'beleid.regio', 'kwaliteit.aanbieder', 'raad.emmen'])
        s[login] = await session(srv.url, login);
    orgs = await cliOrgs(srv.dataDir);
    const me = await json('/api/v1/ik', s['kwaliteit.aanbieder']);
    assert.equal(me.res.status, 200, me.text);
    ownAanbieder = me.body.organisatie.id;
    otherAanbieder = orgs.find((o) => o.kind === 'aanbieder' && o.id !== ownAanbieder);
    assert.ok(otherAanbieder, 'the demo has a second aanbieder');
    emmen = orgs.find((o) => o.kind === 'gemeente' && /Emmen/.test(o.name));
    hoogeveen = orgs.find((o) => o.kind === 'gemeente' && /Hoogeveen/.test(o.name));
    assert.ok(emmen && hoogeveen, 'demo gemeenten Emmen and Hoogeveen');

    const list = await page('/indicatoren', s['beleid.emmen']);
    assert.equal(list.res.status, 200, list.text.slice(0, 500));
    indicatorIds = [...new Set([...list.text.matchAll(/href="\/indicatoren\/(\d+)"/g)].map((m) => Number(m[1])))];
    assert.ok(indicatorIds.length >= 10, `the standard set is listed (${indicatorIds.length})`);
    for (const id of indicatorIds) {
        const { body } = await json(`/indicatoren/${id}.json`, s['beleid.emmen']);
        if (body?.indicator?.aggregatie === 'aandeel') {
            proportionId = id;
            break;
        }
    }
    assert.ok(proportionId, 'a proportion indicator exists');
});

after(async () => {
    await srv?.stop();
});

test('anonymous visitors are sent to the login page', async () => {
    for (const p of ['/indicatoren', '/dashboard', `/indicatoren/${indicatorIds[0]}`, `/indicatoren/${indicatorIds[0]}.json`]) {
        const { res } = await page(p, null);
        assert.equal(res.status, 303, p);
        assert.match(res.headers.get('location') || '', /^\/inloggen/, p);
    }
});

test('the list groups the indicators by the three questions', async () => {
    for (const login of ['beleid.emmen', 'kwaliteit.aanbieder', 'raad.emmen', 'beleid.regio', 'beheerder']) {
        const { res, text } = await page('/indicatoren', s[login]);
        assert.equal(res.status, 200, login);
        for (const q of [/Hoeveel doen we\?/, /Hoe goed doen we het\?/, /Is iemand .*\?/])
            assert.ok(q.test(text), `${login}: quadrant heading ${q}`);
        assert.ok(/Jeugdwet/.test(text), 'grouped by law');
        assert.ok(text.includes('<script src="/static/charts.js" defer></script>'), 'chart script');
    }
});

test('assets are served: Plot, d3, charts.js and dashboard.css', async () => {
    for (const [p, type, marker] of [
        ['/static/plot.umd.min.js', /javascript/, /Observable/],
        ['/static/d3.min.js', /javascript/, /d3js\.org/],
        ['/static/charts.js', /javascript/, /Observable Plot/],
        ['/static/dashboard.css', /text\/css/, /duiding-chart/],
    ]) {
        const { res, text } = await page(p, null);
        assert.equal(res.status, 200, p);
        assert.match(res.headers.get('content-type'), type, p);
        assert.ok(marker.test(text), `${p}: ${marker}`);
    }
});

test('one indicator: page, JSON and embedded JSON are the same view', async () => {
    const who = s['beleid.emmen'];
    const q = 'periode=kwartaal&per=aanbieder';
    const p = await page(`/indicatoren/${proportionId}?${q}`, who);
    assert.equal(p.res.status, 200, p.text.slice(0, 800));
    // Definition, choices, charts, tables, exports.
    for (const re of [/Wat deze indicator laat zien/, /name="per"/, /name="publiek"/, /data-grafiek="trend"/, /<table[^>]*id="tabel-totaal"/, /<table[^>]*id="tabel-verdeling"/])
        assert.ok(re.test(p.text), `indicator page has ${re}`);
    const qa = q.replace(/&/g, '&amp;'); // as written in an HTML attribute
    assert.ok(p.text.includes(`href="/indicatoren/${proportionId}/export.csv?${qa}"`), 'CSV link with the query');
    assert.ok(p.text.includes(`href="/indicatoren/${proportionId}/export.xlsx?${qa}"`), 'XLSX link with the query');
    assert.ok(p.text.includes(`href="/indicatoren/${proportionId}.json?${qa}"`), 'JSON link with the query');

    const j = await json(`/indicatoren/${proportionId}.json?${q}`, who);
    assert.equal(j.res.status, 200, j.text);
    assert.match(j.res.headers.get('content-type'), /application\/json/);
    const v = j.body;
    assert.equal(v.indicator.id, proportionId);
    assert.equal(typeof v.indicator.naam, 'string');
    assert.deepEqual(v.per.map((d) => d.code), ['aanbieder']);
    assert.ok(Array.isArray(v.perioden) && v.perioden.length >= 1);
    assert.ok(v.perioden.every((x) => /^\d{4}-Q[1-4]$/.test(x.code)), 'quarters');
    assert.ok(Array.isArray(v.cellen) && v.cellen.length > 0, 'cells');
    for (const c of v.cellen) {
        assert.ok(v.perioden.some((x) => x.code === c.periode));
        assert.equal(c.sleutel.length, 1);
        assert.ok(c.waarde === null || typeof c.waarde === 'number');
    }
    assertHiddenAreNull(v, 'per aanbieder');
    // Bars when some group is shown, else the explanation why there are none.
    const groupShown = v.cellen.some((c) => c.sleutel[0] !== null && c.verborgen === null);
    if (groupShown) assert.ok(p.text.includes('data-grafiek="verdeling"'), 'breakdown chart');
    else assert.ok(p.text.includes('Er zijn geen cijfers per groep die we mogen tonen'), 'why no bars');
    // The page embeds exactly this document for the charts.
    const e = embedded(p.text);
    assert.deepEqual(e[`cijfers-${proportionId}`], v, 'embedded JSON = .json');
    // And the API answers the same document.
    const api = await json(`/api/v1/indicatoren/${proportionId}/uitkomsten?${q}`, who);
    assert.equal(api.res.status, 200, api.text);
    assert.deepEqual(api.body, v, 'API /uitkomsten = .json');
});

// "12,5%" as a Dutch reader writes it, from a JSON value: one decimal, thousands with a dot.
function dutch(x, decimals) {
    const [int, frac] = Math.abs(x).toFixed(decimals).split('.');
    const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    return (x < 0 && Number(x.toFixed(decimals)) !== 0 ? '-' : '') + grouped + (frac ? `,${frac}` : '');
}

test('numbers on the page are written the Dutch way, whatever the server locale', async () => {
    // The server formats in the reader's locale (nl_NL writes a decimal comma itself): values
    // like 11,8% must never come out as "1.1,8%".
    const who = s['beleid.emmen'];
    const j = await json(`/indicatoren/${proportionId}.json?periode=jaar`, who);
    assert.equal(j.res.status, 200, j.text);
    const p = await page(`/indicatoren/${proportionId}?periode=jaar`, who);
    assert.equal(p.res.status, 200);
    const tableStart = p.text.indexOf('id="tabel-totaal"');
    const table = p.text.slice(tableStart, p.text.indexOf('</table>', tableStart));
    const cells = [...table.matchAll(/<td class="utrecht-table__cell duiding-num">([^<]*)<\/td>/g)].map((m) => m[1]);
    assert.ok(cells.length > 0, 'number cells in the table');
    for (const text of cells)
        for (const num of text.match(/\d[\d.,]*/g) || [])
            assert.match(num, /^\d{1,3}(\.\d{3})*(,\d+)?$/, `"${num}" in "${text}" is not a Dutch number`);
    let matched = 0;
    for (const c of j.body.cellen) {
        if (c.verborgen !== null || c.waarde === null) continue;
        assert.ok(table.includes(`>${dutch(c.waarde, 1)}%<`), `${c.periode}: ${dutch(c.waarde, 1)}% in the table`);
        matched++;
    }
    assert.ok(matched >= 1, 'at least one shown percentage to compare');
});

test('hidden figures are "." in the table and null in the JSON, never 0', async () => {
    // A fine breakdown on small demo data hides many cells.
    const who = s['beleid.regio'];
    let checked = 0;
    for (const id of indicatorIds.slice(0, 12)) {
        const q = 'periode=maand&per=leeftijd&per2=geslacht';
        const j = await json(`/indicatoren/${id}.json?${q}`, who);
        if (j.res.status === 400) continue; // e.g. a rate per 1,000 cannot be split by age
        assert.equal(j.res.status, 200, j.text);
        assertHiddenAreNull(j.body, `indicator ${id}`);
        const hidden = j.body.cellen.filter((c) => c.verborgen !== null).length;
        const p = await page(`/indicatoren/${id}?${q}`, who);
        assert.equal(p.res.status, 200);
        const tableStart = p.text.indexOf('id="tabel-verdeling"');
        const table = p.text.slice(tableStart, p.text.indexOf('</table>', tableStart));
        const dots = (table.match(/duiding-verborgen/g) || []).length;
        assert.equal(dots, hidden, `indicator ${id}: every hidden cell is a "." in the table`);
        if (hidden > 0) {
            assert.ok(p.text.includes('Een punt (.) betekent'), 'the note under the table explains');
            checked++;
        }
    }
    assert.ok(checked >= 1, 'at least one view had hidden cells to check');
});

test('the publication version: raad always, others on request, never looser', async () => {
    const id = indicatorIds[0];
    const raad = await json(`/indicatoren/${id}.json`, s['raad.emmen']);
    assert.equal(raad.res.status, 200);
    assert.equal(raad.body.publiek, 'publiek');
    const round = raad.body.regels.afronding;
    assert.ok(round >= 5, `published counts are rounded (to ${round})`);
    for (const c of raad.body.cellen)
        if (c.n !== null) assert.equal(c.n % round, 0, `n ${c.n} rounded to ${round}`);
    const looser = await json(`/indicatoren/${id}.json?publiek=intern`, s['raad.emmen']);
    assert.equal(looser.res.status, 200);
    assert.equal(looser.body.publiek, 'publiek', 'raad cannot ask for the internal version');
    const internal = await json(`/indicatoren/${id}.json`, s['beleid.emmen']);
    assert.equal(internal.body.publiek, 'intern');
    const pub = await json(`/indicatoren/${id}.json?publiek=publiek`, s['beleid.emmen']);
    assert.equal(pub.body.publiek, 'publiek');
    const rp = await page(`/indicatoren/${id}`, s['raad.emmen']);
    assert.equal(rp.res.status, 200);
    assert.ok(!rp.text.includes('name="publiek"'), 'nothing stricter to choose for raad');
});

test('bad input: 400 with the reason, unknown indicators 404', async () => {
    const who = s['beleid.emmen'];
    const id = indicatorIds[0];
    const bad = await page(`/indicatoren/${id}?periode=eeuw`, who);
    assert.equal(bad.res.status, 400);
    assert.ok(/periode/.test(bad.text), 'names the parameter');
    const badJson = await json(`/indicatoren/${id}.json?per=schoenmaat`, who);
    assert.equal(badJson.res.status, 400);
    assert.match(badJson.res.headers.get('content-type'), /problem\+json/);
    assert.match(badJson.body.detail, /per/);
    const range = await json(`/indicatoren/${id}.json?periode=jaar&van=2030&tot=2020`, who);
    assert.equal(range.res.status, 400);
    // A repeated parameter is refused, not read as its first value (page, JSON and export).
    const twice = await page(`/indicatoren/${id}?wet=jw&wet=wmo`, who);
    assert.equal(twice.res.status, 400);
    assert.ok(twice.text.includes('&#39;wet&#39; staat meer dan eens in de vraag') || twice.text.includes("'wet' staat meer dan eens in de vraag"), 'names the parameter');
    const twiceJson = await json(`/indicatoren/${id}.json?per=gemeente&per=aanbieder`, who);
    assert.equal(twiceJson.res.status, 400);
    assert.match(twiceJson.body.detail, /per/);
    const twiceCsv = await page(`/indicatoren/${id}/export.csv?van=2024-Q1&van=2024-Q2`, who);
    assert.equal(twiceCsv.res.status, 400);
    for (const p of ['/indicatoren/999999', '/indicatoren/abc', '/indicatoren/0', '/indicatoren/-1.json', '/indicatoren/999999.json']) {
        const r = await page(p, who);
        assert.equal(r.res.status, 404, p);
    }
    const dash = await page('/dashboard?periode=eeuw', who);
    assert.equal(dash.res.status, 400);
    const hostile = await page(`/indicatoren/${id}?gemeente=%3Cscript%3E`, who);
    assert.equal(hostile.res.status, 400);
    assert.ok(!hostile.text.includes('<script>'), 'no markup from the query');
});

test('a provider cannot see another provider by changing the URL', async () => {
    const who = s['kwaliteit.aanbieder'];
    const own = await page(`/dashboard?aanbieder=${ownAanbieder}`, who);
    assert.equal(own.res.status, 200, own.text.slice(0, 500));
    const other = await page(`/dashboard?aanbieder=${otherAanbieder.id}`, who);
    assert.equal(other.res.status, 403);
    assert.ok(!other.text.includes(otherAanbieder.name), 'no trace of the other provider');
    for (const id of indicatorIds.slice(0, 5)) {
        for (const p of [`/indicatoren/${id}.json?aanbieder=${otherAanbieder.id}`, `/indicatoren/${id}?aanbieder=${otherAanbieder.id}`, `/indicatoren/${id}.json?aanbieder=${ownAanbieder},${otherAanbieder.id}`]) {
            const r = await page(p, who);
            assert.equal(r.res.status, 403, p);
        }
        // A breakdown per aanbieder shows only its own organisation (and the total).
        const j = await json(`/indicatoren/${id}.json?per=aanbieder`, who);
        if (j.res.status !== 200) continue;
        for (const c of j.body.cellen)
            assert.ok(c.sleutel[0] === null || c.sleutel[0] === String(ownAanbieder), `cell of ${c.sleutel[0]}`);
        assert.equal(j.body.publiek, 'aanbieder');
        // The benchmark never names who is in it.
        assert.ok(!j.text.includes(otherAanbieder.name), 'the benchmark is anonymous');
    }
    // Its own dashboard names no other provider anywhere (menus, comparison, benchmark).
    const dash = await page('/dashboard', who);
    assert.equal(dash.res.status, 200);
    const ownName = orgs.find((o) => o.id === ownAanbieder)?.name || '';
    if (!ownName.includes(otherAanbieder.name))
        assert.ok(!dash.text.includes(otherAanbieder.name), 'dashboard does not show other providers');
});

test('a gemeente sees its own residents and the providers it contracts', async () => {
    const who = s['beleid.emmen'];
    const other = await page(`/dashboard?gemeente=${bare(hoogeveen.code)}`, who);
    assert.equal(other.res.status, 403);
    const otherJson = await json(`/indicatoren/${indicatorIds[0]}.json?gemeente=${bare(hoogeveen.code)}`, who);
    assert.equal(otherJson.res.status, 403);
    const own = await page(`/dashboard?gemeente=${bare(emmen.code)}`, who);
    assert.equal(own.res.status, 200);
    const d = await page('/dashboard', who);
    assert.equal(d.res.status, 200);
    assert.ok(/Vergelijking per aanbieder/i.test(d.text), 'comparison per aanbieder');
    assert.ok(/Emmen/.test(d.text), 'about Emmen');
    for (const q of [/Hoeveel doen we\?/, /Hoe goed doen we het\?/, /Is iemand .*\?/]) assert.ok(q.test(d.text), `${q}`);
    const e = embedded(d.text);
    assert.ok(Object.keys(e).length >= 10, 'one JSON per card');
    for (const [k, v] of Object.entries(e)) assertHiddenAreNull(v, k);
    const j = await json(`/indicatoren/${indicatorIds[0]}.json?per=gemeente`, who);
    assert.equal(j.res.status, 200);
    for (const c of j.body.cellen) assert.ok(c.sleutel[0] === null || c.sleutel[0] === bare(emmen.code), `gemeente ${c.sleutel[0]}`);
});

test('a region compares its gemeenten; a result dashboard shows its indicators', async () => {
    const who = s['beleid.regio'];
    const d = await page('/dashboard', who);
    assert.equal(d.res.status, 200);
    assert.ok(/Vergelijking per gemeente/i.test(d.text), 'comparison per gemeente');
    // Results appear in the subject menu; a result without linked indicators says so.
    const m = d.text.match(/<select[^>]*name="resultaat"[\s\S]*?<\/select>/);
    assert.ok(m, 'result menu');
    const rid = (m[0].match(/<option value="(\d+)"/) || [])[1];
    assert.ok(rid, 'a result to choose');
    const r = await page(`/dashboard?resultaat=${rid}`, who);
    assert.equal(r.res.status, 200);
    assert.ok(/Cijfers bij het resultaat/.test(r.text), 'result dashboard');
    const missing = await page('/dashboard?resultaat=99999999', who);
    assert.equal(missing.res.status, 404);
});
