// answer.test.mjs: the public answering pages of resident surveys against a real server
// (docs/surveys.md "Answering", "Anonymity", "Results"): a whole questionnaire answered with a
// code, pause and resume, exactly-once submit (also ten parallel submits of one code), replayed
// and forged submits, open links with a single-use form nonce, hostile input (oversized and
// invalid answers, too many fields, forged options, no CSRF), anonymity (no code or client
// address in the server log, nothing in the database that ties an answer to a code or moment),
// and the results pages and downloads through the disclosure rules, with the open-answer review.
//
// The answerable round is put into the demo's data directory by tests/tools/survey_fixture.py
// (codes hashed as domain/survey_round.h documents), so these tests do not depend on the
// builder's pages.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
    startServer,
    runCli,
    login,
    CookieJar,
    formField,
    SOURCE_DIR,
} from '../lib/server.mjs';

let srv, dataDir, fx;

/** Runs SQL on the test database (python3's sqlite3; read-only use). Resolves rows as arrays. */
function sql(query) {
    const out = execFileSync('python3', [
        '-c',
        'import sqlite3,sys,json;c=sqlite3.connect(sys.argv[1],timeout=30);' +
            'print(json.dumps([list(r) for r in c.execute(sys.argv[2])],default=str))',
        path.join(dataDir, 'duiding.db'),
        query,
    ]);
    return JSON.parse(out.toString());
}
const one = (q) => sql(q)[0][0];

before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'duiding-test-answer-'));
    const demo = await runCli(['demo', '-d', dataDir, '--omvang', 'klein']);
    assert.equal(demo.code, 0, demo.stderr);
    fx = JSON.parse(
        execFileSync('python3', [path.join(SOURCE_DIR, 'tests/tools/survey_fixture.py'), dataDir, '40'])
            .toString()
    );
    srv = await startServer({ dataDir });
});
after(async () => {
    await srv?.stop();
    if (dataDir && !process.env.DUIDING_KEEP_TEST_DATA) await rm(dataDir, { recursive: true, force: true });
});

let nextCode = 0;
const freshCode = () => fx.codes[nextCode++];

/** An anonymous visitor: a cookie jar with the double-submit csrf cookie. */
async function visitor(pathAndQuery = '/enquete') {
    const jar = new CookieJar();
    const res = await fetch(`${srv.url}${pathAndQuery}`);
    jar.update(res);
    const html = await res.text();
    return { jar, csrf: formField(html, 'csrf'), html, status: res.status };
}

/** POSTs form fields (array of [name, value] pairs, repeated names allowed). */
async function post(v, url, pairs, { csrf = true } = {}) {
    const body = new URLSearchParams();
    if (csrf) body.append('csrf', v.csrf);
    for (const [k, val] of pairs) body.append(k, val);
    const res = await fetch(`${srv.url}${url}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: v.jar.header() },
        body: body.toString(),
    });
    return { status: res.status, html: await res.text(), headers: res.headers };
}

const ALL_ANSWERS = [
    ['wmo_ceo_1', '4'],
    ['tevreden_keuze', 'nee'],
    ['waarom_niet', 'Er was geen vervoer naar de dagbesteding.'],
    ['hulp_cijfer', '8'],
    ['wat_hielp', 'gesprek'],
    ['wat_hielp', 'thuis'],
    ['opmerking', 'Dank aan de cliëntondersteuner!'],
];

function text(html) {
    return html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');
}

describe('answering with a code', () => {
    test('the QR link fills the code in; nothing is used up by just opening it', async () => {
        const code = fx.codes[39];
        const v = await visitor(`/enquete?code=${code}`);
        assert.equal(v.status, 200);
        assert.equal(formField(v.html, 'code'), code);
        assert.match(v.html, /<label[^>]*for="veld-code"/);
        assert.equal(one(`SELECT count(*) FROM survey_invitation WHERE used = 1 AND round_id = ${fx.round}`), 0);
        // the code in this URL must not travel on as a Referer (static files, proxies)
        const res = await fetch(`${srv.url}/enquete?code=${code}`);
        assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
        assert.equal((await fetch(`${srv.url}/`)).headers.get('referrer-policy'), 'same-origin');
    });

    test('a whole questionnaire, section by section, then exactly once', async () => {
        const code = freshCode();
        const v = await visitor();
        let r = await post(v, '/enquete', [['actie', 'start'], ['code', code.toLowerCase().replace(/-/g, ' ')]]);
        assert.equal(r.status, 200, r.html.slice(0, 400));
        assert.match(text(r.html), /Stap 1 van 2/);
        assert.match(r.html, /<fieldset[^>]*id="vraag-wmo_ceo_1"[^>]*>\s*<legend/);
        const norm = formField(r.html, 'code');
        assert.equal(norm, code.replace(/-/g, ''));
        // a required question left open: 422, the error linked from the summary and the field
        r = await post(v, '/enquete', [['code', norm], ['stap', '0'], ['actie', 'volgende']]);
        assert.equal(r.status, 422);
        assert.match(r.html, /href="#veld-wmo_ceo_1"/);
        assert.match(r.html, /id="vraag-wmo_ceo_1"[^>]*aria-describedby="fout-wmo_ceo_1"/);
        assert.match(r.html, /id="fout-wmo_ceo_1"/);
        // section 1 done: section 2, with section 1's answers carried as hidden fields
        r = await post(v, '/enquete', [['code', norm], ['stap', '0'], ['actie', 'volgende'], ...ALL_ANSWERS.slice(0, 3)]);
        assert.equal(r.status, 200);
        assert.match(text(r.html), /Stap 2 van 2/);
        assert.match(r.html, /<input type="hidden" name="wmo_ceo_1" value="4">/);
        assert.match(r.html, /<button[^>]*name="actie"[^>]*value="verzenden"/);
        const before = one(`SELECT n_responses FROM survey_round WHERE id = ${fx.round}`);
        r = await post(v, '/enquete', [['code', norm], ['stap', '1'], ['actie', 'verzenden'], ...ALL_ANSWERS]);
        assert.equal(r.status, 200);
        assert.match(text(r.html), /Bedankt voor uw antwoorden/);
        assert.equal(one(`SELECT n_responses FROM survey_round WHERE id = ${fx.round}`), before + 1);
        assert.equal(one(`SELECT used FROM survey_invitation WHERE code = '${norm}'`), 1);
        const resp = sql(
            `SELECT id, response_date, gemeente, aanbieder_id, category FROM survey_response ` +
                `WHERE round_id = ${fx.round} ORDER BY id DESC LIMIT 1`
        )[0];
        // the Dutch day, nothing finer
        const dutchDay = Date.parse(new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Amsterdam' })) / 86400000;
        assert.equal(resp[1], dutchDay);
        const answers = sql(`SELECT item, value FROM survey_answer WHERE response_id = ${resp[0]} ORDER BY item`);
        assert.deepEqual(answers, [
            ['hulp_cijfer', 8],
            ['tevreden_keuze', 2],
            ['wat_hielp__gesprek', 1],
            ['wat_hielp__thuis', 1],
            ['wmo_ceo_1', 4],
        ]);
        assert.equal(one(`SELECT count(*) FROM survey_open_answer WHERE response_id = ${resp[0]}`), 2);
        // replayed: the same POST again, and the code entered again
        r = await post(v, '/enquete', [['code', norm], ['stap', '1'], ['actie', 'verzenden'], ...ALL_ANSWERS]);
        assert.equal(r.status, 409);
        assert.match(text(r.html), /al ingevuld/);
        r = await post(v, '/enquete', [['actie', 'start'], ['code', code]]);
        assert.equal(r.status, 409);
        assert.equal(one(`SELECT n_responses FROM survey_round WHERE id = ${fx.round}`), before + 1);
    });

    test('"Later verder" keeps the answers; the code resumes them; the submit deletes them', async () => {
        const code = freshCode();
        const norm = code.replace(/-/g, '');
        const v = await visitor();
        let r = await post(v, '/enquete', [['code', norm], ['stap', '1'], ['actie', 'later'], ['wmo_ceo_1', '2'], ['hulp_cijfer', '6']]);
        assert.equal(r.status, 200);
        assert.match(text(r.html), /bewaard/);
        const inv = one(`SELECT id FROM survey_invitation WHERE code = '${norm}'`);
        assert.equal(one(`SELECT count(*) FROM survey_draft WHERE invitation_id = ${inv}`), 1);
        assert.equal(one(`SELECT used FROM survey_invitation WHERE id = ${inv}`), 0);
        const v2 = await visitor(); // another browser, later
        r = await post(v2, '/enquete', [['actie', 'start'], ['code', code]]);
        assert.equal(r.status, 200);
        assert.match(r.html, /value="2" id="veld-wmo_ceo_1-3" checked/);
        assert.match(text(r.html), /Welkom terug/);
        assert.match(r.html, /<input type="hidden" name="hulp_cijfer" value="6">/);
        r = await post(v2, '/enquete', [['code', norm], ['stap', '1'], ['actie', 'verzenden'], ['wmo_ceo_1', '2'], ['hulp_cijfer', '6']]);
        assert.equal(r.status, 200);
        assert.equal(one(`SELECT count(*) FROM survey_draft WHERE invitation_id = ${inv}`), 0);
    });

    test('ten parallel submits with one code: exactly one counts', async () => {
        const code = freshCode();
        const norm = code.replace(/-/g, '');
        const v = await visitor();
        const before = one(`SELECT count(*) FROM survey_response WHERE round_id = ${fx.round}`);
        const results = await Promise.all(
            Array.from({ length: 10 }, () =>
                post(v, '/enquete', [['code', norm], ['stap', '1'], ['actie', 'verzenden'], ['wmo_ceo_1', '5']])
            )
        );
        const statuses = results.map((r) => r.status).sort();
        assert.deepEqual(statuses, [200, ...Array(9).fill(409)]);
        assert.equal(one(`SELECT count(*) FROM survey_response WHERE round_id = ${fx.round}`), before + 1);
        assert.equal(one(`SELECT used FROM survey_invitation WHERE code = '${norm}'`), 1);
    });

    test('forged, unknown, closed and malformed codes', async () => {
        const v = await visitor();
        const cases = [
            ['ABCD-EFGH-I0', 400], // not in the alphabet
            ['ABCD', 400], // too short
            ['', 400],
            ['X'.repeat(5000), 400],
            ['2345-6789-AB', 404], // well-formed but unknown
            [fx.closed_code, 410], // a closed round
            ["' OR 1=1 --", 400],
        ];
        for (const [code, status] of cases) {
            const r = await post(v, '/enquete', [['actie', 'start'], ['code', code]]);
            assert.equal(r.status, status, `code ${code.slice(0, 20)}: ${text(r.html).slice(0, 300)}`);
            assert.match(r.html, /id="fout-code"/);
        }
        // a valid code with steps of a forged form: a step out of range
        const norm = freshCode().replace(/-/g, '');
        let r = await post(v, '/enquete', [['code', norm], ['stap', '99'], ['actie', 'volgende']]);
        assert.equal(r.status, 400);
        r = await post(v, '/enquete', [['code', norm], ['stap', '-1'], ['actie', 'volgende']]);
        assert.equal(r.status, 400);
    });
});

describe('hostile answers', () => {
    test('oversized, forged and repeated answers are refused at the question', async () => {
        const norm = freshCode().replace(/-/g, '');
        const v = await visitor();
        const cases = [
            [['opmerking', 'a'.repeat(4001)], 'opmerking'],
            [['hulp_cijfer', '11'], 'hulp_cijfer'],
            [['wat_hielp', 'geld'], 'wat_hielp'],
            [['wmo_ceo_1', '5'], null],
        ];
        for (const [pair, item] of cases) {
            const r = await post(v, '/enquete', [['code', norm], ['stap', '1'], ['actie', 'verzenden'], ['wmo_ceo_1', '5'], pair]);
            if (item) {
                assert.equal(r.status, 422, `${pair[0]}: ${r.status}`);
                assert.match(r.html, new RegExp(`id="fout-${item}"`));
            }
        }
        const r = await post(v, '/enquete', [['code', freshCode().replace(/-/g, '')], ['stap', '0'], ['actie', 'volgende'], ['wmo_ceo_1', '5'], ['wmo_ceo_1', '1']]);
        assert.equal(r.status, 422);
    });

    test('invalid UTF-8, too many fields, no CSRF token', async () => {
        const norm = freshCode().replace(/-/g, '');
        const v = await visitor();
        // invalid UTF-8 in an answer: refused before any handler runs
        let res = await fetch(`${srv.url}/enquete`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: v.jar.header() },
            body: `csrf=${v.csrf}&code=${norm}&stap=1&actie=verzenden&wmo_ceo_1=5&opmerking=caf%C3%28`,
        });
        assert.ok([400, 422].includes(res.status), `invalid UTF-8: ${res.status}`);
        // 500 fields
        const many = Array.from({ length: 500 }, (_, i) => ['wat_hielp', `x${i}`]);
        let r = await post(v, '/enquete', [['code', norm], ['stap', '1'], ['actie', 'verzenden'], ...many]);
        assert.ok([400, 413].includes(r.status), `too many fields: ${r.status}`);
        // without the CSRF token
        r = await post(v, '/enquete', [['code', norm], ['stap', '1'], ['actie', 'verzenden'], ['wmo_ceo_1', '5']], { csrf: false });
        assert.equal(r.status, 403);
        assert.equal(one(`SELECT used FROM survey_invitation WHERE code = '${norm}'`), 0);
    });
});

describe('open link', () => {
    test('a form nonce counts once; there is no pause', async () => {
        const v = await visitor(`/enquete/open/${fx.slug}`);
        assert.equal(v.status, 200);
        assert.doesNotMatch(v.html, /value="later"/);
        const nonce = formField(v.html, 'formulier');
        assert.equal(nonce.length, 43);
        const url = `/enquete/open/${fx.slug}`;
        const before = one(`SELECT count(*) FROM survey_response WHERE round_id = ${fx.round}`);
        const answers = [['formulier', nonce], ['stap', '1'], ['actie', 'verzenden'], ['wmo_ceo_1', '3']];
        let r = await post(v, url, answers);
        assert.equal(r.status, 200);
        r = await post(v, url, answers); // replayed
        assert.equal(r.status, 409);
        r = await post(v, url, [['formulier', 'A'.repeat(43)], ['stap', '1'], ['actie', 'verzenden'], ['wmo_ceo_1', '3']]);
        assert.equal(r.status, 200, 'a nonce is random: any well-formed unused one counts once');
        r = await post(v, url, [['formulier', 'kort'], ['stap', '1'], ['actie', 'verzenden']]);
        assert.equal(r.status, 400);
        r = await post(v, url, [['formulier', nonce], ['stap', '1'], ['actie', 'later']]);
        assert.equal(r.status, 400);
        assert.equal(one(`SELECT count(*) FROM survey_response WHERE round_id = ${fx.round}`), before + 2);
        assert.equal((await fetch(`${srv.url}/enquete/open/bestaat-niet-0123456789`)).status, 404);
    });
});

describe('anonymity', () => {
    test('no code and no client address in the server log', () => {
        const logs = srv.logs();
        for (const c of fx.codes) {
            assert.ok(!logs.includes(c), `code ${c} in the log`);
            assert.ok(!logs.includes(c.replace(/-/g, '')), `code ${c} (normalised) in the log`);
        }
        // the server's own listening address (server.start) is no client's
        const withAddr = logs.split('\n').filter((l) => l.includes('127.0.0.1') && !/evt=server\.start/.test(l));
        assert.deepEqual(withAddr, [], 'a client address is in the log');
        assert.match(logs, /evt=http\.req[^\n]*path="\/enquete"/);
    });

    test('no column refers to an invitation or holds an address, user agent or time of answering', () => {
        const cols = sql(
            "SELECT m.name, p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
        );
        for (const [t, c] of cols) {
            assert.ok(!/user_?agent|ip_?addr|client_addr|remote_addr|^ip$/.test(c), `${t}.${c}`);
            if (['survey_response', 'survey_answer', 'survey_open_answer', 'survey_nonce'].includes(t))
                assert.ok(!/invitation|code|_at$|time|user/.test(c), `${t}.${c}`);
        }
        // answers do not reach the audit log either
        assert.equal(one("SELECT count(*) FROM audit_event WHERE action LIKE 'survey.submit%' OR detail LIKE '%enquete%'"), 0);
    });
});

describe('results', () => {
    test('owner: per question through disclosure, breakdown, CSV and XLSX', async () => {
        const cookie = await login(srv.url, 'beleid.emmen');
        let res = await fetch(`${srv.url}/enquetes/${fx.survey}/resultaten?ronde=${fx.round}`, { headers: { cookie } });
        assert.equal(res.status, 200);
        let html = await res.text();
        assert.match(html, /<caption[^>]*>Ik voel me serieus genomen\.<\/caption>/);
        // a handful of responses: every count is below the threshold and shown as "."
        assert.match(html, /<abbr title="[^"]+">\.<\/abbr>/);
        res = await fetch(`${srv.url}/enquetes/${fx.survey}/resultaten?per=aanbieder`, { headers: { cookie } });
        assert.equal(res.status, 200);
        res = await fetch(`${srv.url}/enquetes/${fx.survey}/resultaten?per=bestaat_niet`, { headers: { cookie } });
        assert.equal(res.status, 400);
        res = await fetch(`${srv.url}/enquetes/${fx.survey}/resultaten/csv`, { headers: { cookie } });
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type'), /text\/csv/);
        const csv = Buffer.from(await res.arrayBuffer());
        assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
        const lines = csv.toString('utf8').split('\r\n');
        assert.match(lines[0], /^\uFEFFVraagcode;Vraag;Antwoord;Groep;Aantal;Percentage;Toelichting$/);
        assert.ok(lines.some((l) => l.startsWith('wmo_ceo_1;') && l.includes(';.;.;')));
        res = await fetch(`${srv.url}/enquetes/${fx.survey}/resultaten/xlsx`, { headers: { cookie } });
        assert.equal(res.status, 200);
        const xlsx = Buffer.from(await res.arrayBuffer());
        assert.equal(xlsx.subarray(0, 2).toString(), 'PK');
    });

    test('open answers: flagged ones only for the owner until reviewed; the review redacts', async () => {
        // an answer with a phone number
        const norm = freshCode().replace(/-/g, '');
        const v = await visitor();
        let r = await post(v, '/enquete', [['code', norm], ['stap', '1'], ['actie', 'verzenden'], ['wmo_ceo_1', '4'], ['opmerking', 'Bel mij gerust op 06-12345678.']]);
        assert.equal(r.status, 200);
        const owner = await login(srv.url, 'beleid.emmen', undefined, { jar: true });
        const provider = await login(srv.url, 'kwaliteit.aanbieder');
        const other = await login(srv.url, 'beleid.hoogeveen');
        const url = `${srv.url}/enquetes/${fx.survey}/open-antwoorden?ronde=${fx.round}`;
        let res = await fetch(url, { headers: { cookie: owner.header() } });
        let html = await res.text();
        assert.equal(res.status, 200);
        assert.match(html, /06-12345678/);
        assert.match(html, /Te beoordelen/);
        res = await fetch(url, { headers: { cookie: provider } });
        assert.equal(res.status, 200);
        assert.doesNotMatch(await res.text(), /06-12345678/);
        res = await fetch(url, { headers: { cookie: other } });
        assert.equal(res.status, 404); // not a round beleid.hoogeveen may see
        // the provider cannot review
        const csrf = formField(html, 'csrf');
        const m = html.match(/name="antwoord" value="(\d+)"><input type="hidden" name="vraag" value="opmerking">/);
        assert.ok(m, 'a review form for the flagged answer');
        const body = new URLSearchParams({ csrf, ronde: String(fx.round), antwoord: m[1], vraag: 'opmerking', actie: 'schonen' });
        const providerJar = new CookieJar(provider);
        const provPage = await (await fetch(url, { headers: { cookie: provider } })).text();
        res = await fetch(`${srv.url}/enquetes/${fx.survey}/open-antwoorden/beoordelen`, {
            method: 'POST', redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: providerJar.header() },
            body: new URLSearchParams({ ...Object.fromEntries(body), csrf: formField(provPage, 'csrf') ?? '' }).toString(),
        });
        assert.ok([403, 404].includes(res.status), `provider review: ${res.status}`);
        res = await fetch(`${srv.url}/enquetes/${fx.survey}/open-antwoorden/beoordelen`, {
            method: 'POST', redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: owner.header() },
            body: body.toString(),
        });
        assert.equal(res.status, 303);
        res = await fetch(url, { headers: { cookie: provider } });
        html = await res.text();
        assert.match(html, /Bel mij gerust op \[verwijderd\]/);
        assert.doesNotMatch(html, /12345678/);
        assert.equal(one("SELECT count(*) FROM audit_event WHERE action = 'survey.open_redact'"), 1);
    });

    test('anonymous users are sent to the login page', async () => {
        const res = await fetch(`${srv.url}/enquetes/${fx.survey}/resultaten`, { redirect: 'manual' });
        assert.equal(res.status, 303);
        assert.match(res.headers.get('location'), /^\/inloggen/);
    });
});

describe('rate limit', () => {
    test('many wrong codes from one address are slowed down', async () => {
        const v = await visitor();
        let last;
        for (let i = 0; i < 25; i++) {
            last = await post(v, '/enquete', [['actie', 'start'], ['code', '2345-6789-AB']]);
            if (last.status === 429) break;
        }
        assert.equal(last.status, 429);
        assert.match(text(last.html), /te vaak/);
        // a resident behind the same address with a right code is never stopped
        const ok = await post(v, '/enquete', [['actie', 'start'], ['code', freshCode()]]);
        assert.equal(ok.status, 200);
    });
});
