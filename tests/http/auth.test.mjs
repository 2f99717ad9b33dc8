// auth.test.mjs: authentication and the coarse access rules against a real `duiding serve`
// (DESIGN.md §7): no account enumeration, CSRF, login rate limiting, logout, stale sessions,
// login redirects, 401 for the API, open redirects, and objects of another organisation.
//
// Login rate limiting counts failures per account and per client address, so the tests that
// fail logins send them from distinct loopback addresses (127.0.0.x) and run on their own
// server instances (the limiter is in memory); the main server never sees a failed login.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startServer, formField, CookieJar, DEMO_PASSWORD } from '../lib/server.mjs';
import {
    demoDataDir,
    removeDir,
    cliOrgs,
    cliUsers,
    findOrg,
    session,
    anonymous,
    resultIdsOnPage,
    get,
    postForm,
} from './fixtures.mjs';

let dataDir;
let srv;
let orgs;
let users;
const ids = {};
let admin; // beheerder session

before(async () => {
    dataDir = await demoDataDir();
    orgs = await cliOrgs(dataDir);
    users = await cliUsers(dataDir);
    srv = await startServer({ dataDir });
    admin = await session(srv.url, 'beheerder');
    const emmen = findOrg(orgs, 'gemeente', /^Emmen$/);
    const hoogeveen = findOrg(orgs, 'gemeente', /^Hoogeveen$/);
    ids.emmen = emmen.id;
    ids.hoogeveen = hoogeveen.id;
    const hv = await resultIdsOnPage(srv.url, admin.cookie, `/resultaten?eigenaar=${hoogeveen.id}`);
    const em = await resultIdsOnPage(srv.url, admin.cookie, `/resultaten?eigenaar=${emmen.id}`);
    assert.ok(hv.length >= 2 && em.length >= 1, 'the demo has results for Hoogeveen and Emmen');
    ids.resultHoogeveen = hv[0];
    ids.resultHoogeveen2 = hv[1];
    ids.resultEmmen = em[0];
    for (const u of users) ids[`user:${u.login}`] = u.id;
});

after(async () => {
    await srv?.stop();
    await removeDir(dataDir);
});

// --- helpers -----------------------------------------------------------------------------------

const RESULTS_API = '/api/v1/maatschappelijke-resultaten';

/** A result as the beheerder sees it through the API. */
async function resultState(id) {
    const res = await fetch(`${srv.url}${RESULTS_API}/${id}`, {
        headers: { cookie: admin.cookie, accept: 'application/json' },
    });
    assert.equal(res.status, 200, `GET ${RESULTS_API}/${id} as beheerder`);
    return res.json();
}

/**
 * One HTTP request over node:http from a chosen loopback source address (127.0.0.x), so that
 * per-address login limits can be tested without locking out the other tests.
 */
function request(url, { method = 'GET', path: p = '/', headers = {}, body, localAddress } = {}) {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
        const req = http.request(
            { host: u.hostname, port: u.port, method, path: p, headers, localAddress },
            (res) => {
                const chunks = [];
                res.on('data', (d) => chunks.push(d));
                res.on('end', () =>
                    resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') })
                );
            }
        );
        req.on('error', reject);
        if (body) req.write(body);
        req.end();
    });
}

/** The login form flow from one source address: GET /inloggen, then POST. Resolves the POST answer and ms. */
async function tryLogin(url, loginName, password, localAddress, extra = {}) {
    const page = await request(url, { path: '/inloggen', localAddress });
    const jar = new CookieJar().update(page.headers['set-cookie'] ?? []);
    const csrf = formField(page.text, 'csrf') ?? jar.get('duiding_csrf');
    const body = new URLSearchParams({ login: loginName, password, csrf, ...extra }).toString();
    const t0 = process.hrtime.bigint();
    const res = await request(url, {
        method: 'POST',
        path: '/inloggen',
        localAddress,
        headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            cookie: jar.header(),
        },
        body,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    jar.update(res.headers['set-cookie'] ?? []);
    return { ...res, ms, jar };
}

/** The visible part of a login answer, with the typed login name and tokens blanked out. */
function normalisedLoginPage(html, loginName) {
    const main = (html.match(/<main\b[\s\S]*<\/main>/i) ?? [html])[0];
    return main
        .split(loginName)
        .join('LOGIN')
        .replace(/name="csrf"[^>]*value="[^"]*"/g, 'name="csrf" value="CSRF"')
        .replace(/value="[^"]*"([^>]*name="csrf")/g, 'value="CSRF"$1');
}

/** A field of the form with this action (the page also has the language form, with its own terug). */
function fieldOfForm(html, action, name) {
    for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
        const act = (m[1].match(/\saction="([^"]*)"/) ?? [])[1];
        if (act === action) return formField(m[2], name);
    }
    return undefined;
}

const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

let addressCounter = 10;
/** A loopback source address not used before in this file. */
const freshAddress = () => `127.0.${Math.floor(addressCounter / 250)}.${(addressCounter++ % 250) + 2}`;

// --- account enumeration and rate limiting (own server instances) -----------------------------

describe('failed logins', () => {
    test('a wrong password and an unknown login give the same status and page text', async () => {
        const s = await startServer({ dataDir });
        try {
            const wrong = await tryLogin(s.url, 'beleid.emmen', 'niet-het-wachtwoord', freshAddress());
            const unknown = await tryLogin(s.url, 'bestaat.niet.xyz', 'niet-het-wachtwoord', freshAddress());
            assert.equal(wrong.status, unknown.status, 'same status');
            assert.ok([200, 401, 403].includes(wrong.status), `failed login answered ${wrong.status}`);
            assert.ok(!wrong.jar.get('duiding_sessie'), 'no session after a wrong password');
            assert.match(wrong.text, /klopt niet/i, 'a Dutch error message');
            assert.equal(
                normalisedLoginPage(wrong.text, 'beleid.emmen'),
                normalisedLoginPage(unknown.text, 'bestaat.niet.xyz'),
                'the page text differs between a wrong password and an unknown login'
            );
            assert.equal(wrong.headers['content-type'], unknown.headers['content-type']);
        } finally {
            await s.stop();
        }
    });

    test('a wrong password and an unknown login take similar time', async () => {
        const s = await startServer({ dataDir });
        try {
            const known = ['beleid.emmen', 'beleid.hoogeveen', 'raad.emmen', 'toezicht.ggd', 'contract.regio', 'beleid.regio'];
            const tKnown = [];
            const tUnknown = [];
            // Warm up (first Argon2id call allocates its memory).
            await tryLogin(s.url, 'kwaliteit.aanbieder', 'warm-up-fout', freshAddress());
            for (let i = 0; i < known.length; i++) {
                tKnown.push((await tryLogin(s.url, known[i], `fout-${i}`, freshAddress())).ms);
                tUnknown.push((await tryLogin(s.url, `onbekend.${i}.xyz`, `fout-${i}`, freshAddress())).ms);
            }
            const mk = median(tKnown);
            const mu = median(tUnknown);
            const ratio = Math.min(mk, mu) / Math.max(mk, mu);
            assert.ok(
                ratio > 0.5 || Math.abs(mk - mu) < 15,
                `median ${mk.toFixed(1)} ms (wrong password) vs ${mu.toFixed(1)} ms (unknown login): ` +
                    `an unknown login is answered measurably ${mu < mk ? 'faster' : 'slower'}\n` +
                    `known: ${tKnown.map((x) => x.toFixed(0)).join(',')}\nunknown: ${tUnknown.map((x) => x.toFixed(0)).join(',')}`
            );
        } finally {
            await s.stop();
        }
    });

    test('5 failures for one account (from different addresses) lock it: 429 with a Dutch message, even for the right password', async () => {
        const s = await startServer({ dataDir });
        try {
            for (let i = 0; i < 5; i++) {
                const r = await tryLogin(s.url, 'beleid.hoogeveen', `fout-${i}`, freshAddress());
                assert.notEqual(r.status, 303, `attempt ${i + 1} logged in`);
                assert.notEqual(r.status, 429, `attempt ${i + 1} was already rate limited`);
            }
            const locked = await tryLogin(s.url, 'beleid.hoogeveen', DEMO_PASSWORD, freshAddress());
            assert.equal(locked.status, 429, `6th attempt (right password) answered ${locked.status}`);
            assert.ok(!locked.jar.get('duiding_sessie'), 'a locked account got a session');
            assert.match(locked.headers['content-type'] ?? '', /text\/html/);
            assert.match(locked.text, /Te veel mislukte pogingen/i, 'Dutch message on the 429 page');
            assert.match(locked.text, /<html[^>]*lang="nl"/i);
            // Another account is not affected.
            const other = await tryLogin(s.url, 'beleid.emmen', DEMO_PASSWORD, freshAddress());
            assert.equal(other.status, 303, 'another account can still log in');
        } finally {
            await s.stop();
        }
    });

    test('5 failures from one address lock that address (also for an existing account), not others', async () => {
        const s = await startServer({ dataDir });
        try {
            const addr = freshAddress();
            for (let i = 0; i < 5; i++) {
                const r = await tryLogin(s.url, `onbekend.adres.${i}`, `fout-${i}`, addr);
                assert.notEqual(r.status, 429, `attempt ${i + 1} was already rate limited`);
            }
            const locked = await tryLogin(s.url, 'raad.emmen', DEMO_PASSWORD, addr);
            assert.equal(locked.status, 429, `6th attempt from the same address answered ${locked.status}`);
            assert.match(locked.text, /Te veel mislukte pogingen/i);
            assert.ok(!locked.jar.get('duiding_sessie'));
            const elsewhere = await tryLogin(s.url, 'raad.emmen', DEMO_PASSWORD, freshAddress());
            assert.equal(elsewhere.status, 303, 'the same account from another address logs in');
        } finally {
            await s.stop();
        }
    });

    test('the audit log records failed logins without the password', async () => {
        const s = await startServer({ dataDir });
        try {
            await tryLogin(s.url, 'toezicht.ggd', 'geheim-fout-wachtwoord-123', freshAddress());
            const b = await session(s.url, 'beheerder');
            const res = await fetch(`${s.url}/api/v1/audit-gebeurtenissen?actie=login`, {
                headers: { cookie: b.cookie, accept: 'application/json' },
            });
            const text = await res.text();
            assert.equal(res.status, 200, text.slice(0, 300));
            assert.match(text, /login\.fail/, 'a login.fail event');
            assert.doesNotMatch(text, /geheim-fout-wachtwoord-123/, 'the password is in the audit log');
            assert.doesNotMatch(s.logs(), /geheim-fout-wachtwoord-123/, 'the password is in the server log');
        } finally {
            await s.stop();
        }
    });
});

// --- CSRF --------------------------------------------------------------------------------------

describe('CSRF', () => {
    let emmen;
    let raad;
    before(async () => {
        emmen = await session(srv.url, 'beleid.emmen');
        raad = await session(srv.url, 'raad.emmen');
    });

    const validEdit = (r, title) => ({
        versie: String(r.versie),
        thema: r.thema,
        titel: title,
        beschrijving: r.omschrijving ?? '',
        startjaar: String(r.beginjaar),
        eindjaar: String(r.eindjaar),
    });

    test('a form POST without a CSRF token: 403, nothing changed', async () => {
        const before = await resultState(ids.resultEmmen);
        const { res, text } = await postForm(srv.url, `/resultaten/${ids.resultEmmen}`, emmen.cookie,
            validEdit(before, 'Gewijzigd zonder token'));
        assert.equal(res.status, 403, text.slice(0, 300));
        assert.match(text, /formulier/i, 'the 403 page explains the expired form in Dutch');
        assert.deepEqual(await resultState(ids.resultEmmen), before);
    });

    test('a form POST with a wrong CSRF token: 403, nothing changed', async () => {
        const before = await resultState(ids.resultEmmen);
        for (const token of [raad.csrf /* another session's token */, 'x'.repeat(43), '', emmen.csrf.slice(0, -1)]) {
            const { res } = await postForm(srv.url, `/resultaten/${ids.resultEmmen}`, emmen.cookie,
                { ...validEdit(before, 'Gewijzigd met fout token'), csrf: token });
            assert.equal(res.status, 403, `token ${JSON.stringify(token.slice(0, 10))}`);
        }
        // The anonymous double-submit pattern does not count for a logged-in session.
        const anonToken = 'A'.repeat(43);
        const { res } = await postForm(srv.url, `/resultaten/${ids.resultEmmen}`,
            `${emmen.cookie}; duiding_csrf=${anonToken}`, { ...validEdit(before, 'Dubbel ingediend'), csrf: anonToken });
        assert.equal(res.status, 403, 'double-submit cookie accepted for a session');
        assert.deepEqual(await resultState(ids.resultEmmen), before);
    });

    test('a CSRF token sent only as a query parameter or header does not count for forms', async () => {
        const before = await resultState(ids.resultEmmen);
        const { res } = await postForm(srv.url, `/resultaten/${ids.resultEmmen}?csrf=${encodeURIComponent(emmen.csrf)}`,
            emmen.cookie, validEdit(before, 'Token in de query'), { 'x-csrf-token': emmen.csrf });
        assert.equal(res.status, 403);
        assert.deepEqual(await resultState(ids.resultEmmen), before);
    });

    test('the API through the session cookie needs X-CSRF-Token: 403 problem+json without or with a wrong one', async () => {
        const before = await resultState(ids.resultEmmen);
        const patch = JSON.stringify({ versie: before.versie, titel: 'Gewijzigd via API zonder token' });
        for (const token of [undefined, raad.csrf, 'nonsense']) {
            const res = await fetch(`${srv.url}${RESULTS_API}/${ids.resultEmmen}`, {
                method: 'PATCH',
                headers: {
                    cookie: emmen.cookie,
                    'content-type': 'application/json',
                    ...(token ? { 'x-csrf-token': token } : {}),
                },
                body: patch,
            });
            const text = await res.text();
            assert.equal(res.status, 403, `token ${token}: ${text.slice(0, 200)}`);
            assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        }
        assert.deepEqual(await resultState(ids.resultEmmen), before);
    });

    test('logout without a CSRF token: 403 and the session still works', async () => {
        const s = await session(srv.url, 'contract.regio');
        const { res } = await postForm(srv.url, '/uitloggen', s.cookie, {});
        assert.equal(res.status, 403);
        const home = await get(srv.url, '/', s.cookie);
        assert.equal(home.res.status, 200, 'the session ended without a CSRF token');
    });

    test('a language change without a CSRF token: 403 and the language stays', async () => {
        const s = await session(srv.url, 'toezicht.ggd');
        const { res } = await postForm(srv.url, '/taal', s.cookie, { taal: 'en', terug: '/' });
        assert.equal(res.status, 403);
        const home = await get(srv.url, '/', s.cookie);
        assert.match(home.text, /<html[^>]*lang="nl"/, 'the language changed without a token');
    });

    test('anonymous login form: the field and the duiding_csrf cookie must both be there and match', async () => {
        const a = await anonymous(srv.url);
        const creds = { login: 'raad.emmen', password: DEMO_PASSWORD };
        const cases = [
            ['no field', a.cookie, creds],
            ['no cookie', '', { ...creds, csrf: a.csrf }],
            ['mismatch', a.cookie, { ...creds, csrf: 'B'.repeat(43) }],
            ['cookie and field both attacker-chosen but short', 'duiding_csrf=abc', { ...creds, csrf: 'abc' }],
        ];
        for (const [what, cookie, fields] of cases) {
            const { res } = await postForm(srv.url, '/inloggen', cookie, fields);
            assert.equal(res.status, 403, `${what}: ${res.status}`);
            assert.ok(!(res.headers.getSetCookie?.() ?? []).some((c) => /^duiding_sessie=[^;]+/.test(c)),
                `${what}: a session was created`);
        }
    });

    test('control: the same edit with the right token is accepted (so the 403s above were CSRF)', async () => {
        const before = await resultState(ids.resultEmmen);
        const title = `${before.titel} (CSRF-controle)`;
        const { res } = await postForm(srv.url, `/resultaten/${ids.resultEmmen}`, emmen.cookie,
            { ...validEdit(before, title), csrf: emmen.csrf });
        assert.equal(res.status, 303);
        const after = await resultState(ids.resultEmmen);
        assert.equal(after.titel, title);
        assert.equal(after.versie, before.versie + 1);
    });
});

// --- sessions ---------------------------------------------------------------------------------

describe('sessions', () => {
    test('logout ends the session on the server: the old cookie leads to /inloggen', async () => {
        const s = await session(srv.url, 'beleid.regio');
        const out = await postForm(srv.url, '/uitloggen', s.cookie, { csrf: s.csrf });
        assert.equal(out.res.status, 303);
        assert.match(out.res.headers.get('location') ?? '', /^\/inloggen/);
        const cleared = out.res.headers.getSetCookie().find((c) => c.startsWith('duiding_sessie='));
        assert.ok(cleared && /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(cleared), `cookie not cleared: ${cleared}`);
        // Replaying the old cookie (a stolen copy) must not work.
        const home = await get(srv.url, '/', s.cookie);
        assert.equal(home.res.status, 303);
        assert.match(home.res.headers.get('location') ?? '', /^\/inloggen\?terug=/);
        const api = await get(srv.url, '/api/v1/ik', s.cookie, { accept: 'application/json' });
        assert.equal(api.res.status, 401);
    });

    test('a garbage session cookie is treated as anonymous (and cleared)', async () => {
        const values = ['garbage', 'A'.repeat(43), 'A'.repeat(44), '', '"quoted"', `${'a'.repeat(42)}=`, 'x'.repeat(4000)];
        for (const v of values) {
            const { res } = await get(srv.url, '/', `duiding_sessie=${v}`);
            assert.equal(res.status, 303, `cookie ${v.slice(0, 12)}: ${res.status}`);
            assert.match(res.headers.get('location') ?? '', /^\/inloggen/);
        }
        const { res } = await get(srv.url, '/', `duiding_sessie=${'A'.repeat(43)}`);
        const cleared = res.headers.getSetCookie().find((c) => c.startsWith('duiding_sessie='));
        assert.ok(cleared, 'a stale session cookie is removed');
        // The public login page still works with a garbage cookie.
        const page = await get(srv.url, '/inloggen', 'duiding_sessie=garbage');
        assert.equal(page.res.status, 200);
    });

    test('an expired session is treated as anonymous', async (t) => {
        let hasSqlite = true;
        try {
            execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
        } catch {
            hasSqlite = false;
        }
        if (!hasSqlite) {
            t.skip('sqlite3 command not installed: cannot age a session');
            return;
        }
        const s = await session(srv.url, 'professional.aanbieder');
        assert.equal((await get(srv.url, '/', s.cookie)).res.status, 200);
        const uid = ids['user:professional.aanbieder'];
        const now = Math.floor(Date.now() / 1000);
        // Age every session of this user by 40 days: past any idle or absolute limit.
        execFileSync('sqlite3', [
            '-cmd', '.timeout 5000',
            path.join(dataDir, 'duiding.db'),
            `UPDATE session SET created_at = ${now - 40 * 86400}, last_seen_at = ${now - 40 * 86400}, ` +
                `expires_at = ${now - 39 * 86400} WHERE user_id = ${uid};`,
        ]);
        const home = await get(srv.url, '/', s.cookie);
        assert.equal(home.res.status, 303, 'an expired session still works');
        assert.match(home.res.headers.get('location') ?? '', /^\/inloggen/);
    });

    test('anonymous access to a protected page: 303 to /inloggen?terug=<the page>', async () => {
        for (const p of ['/', '/resultaten', '/resultaten/nieuw', `/resultaten/${ids.resultEmmen}`, '/organisaties', '/gebruikers', '/audit', '/account']) {
            const { res } = await get(srv.url, p, null);
            if (res.status === 404) continue; // page not written yet; the matrix test covers routes
            assert.equal(res.status, 303, `${p}: ${res.status}`);
            const loc = new URL(res.headers.get('location') ?? '', srv.url);
            assert.equal(loc.pathname, '/inloggen', p);
            assert.equal(loc.searchParams.get('terug'), p, `${p}: terug=${loc.searchParams.get('terug')}`);
        }
    });

    test('after logging in from the redirect, the user lands on the page asked for', async () => {
        const target = `/resultaten/${ids.resultHoogeveen}`;
        const first = await get(srv.url, target, null);
        const loginUrl = first.res.headers.get('location');
        const page = await fetch(`${srv.url}${loginUrl}`);
        const jar = new CookieJar().update(page);
        const html = await page.text();
        assert.equal(fieldOfForm(html, '/inloggen', 'terug'), target, 'the login form carries terug');
        const { res } = await postForm(srv.url, '/inloggen', jar.header(), {
            login: 'raad.emmen', password: DEMO_PASSWORD, csrf: formField(html, 'csrf'), terug: target,
        });
        assert.equal(res.status, 303);
        assert.equal(res.headers.get('location'), target);
    });

    test("a 404 page keeps the visitor's session and a working CSRF token in its language form", async () => {
        const s = await session(srv.url, 'beleid.emmen');
        for (const [who, cookie] of [['logged in', s.cookie], ['anonymous', (await anonymous(srv.url)).cookie]]) {
            const { res, text } = await get(srv.url, '/bestaat-niet', cookie);
            assert.equal(res.status, 404);
            const token = fieldOfForm(text, '/taal', 'csrf');
            assert.ok(token, `${who}: the language form on the 404 page has an empty csrf field, so switching language there answers 403`);
        }
        const { text } = await get(srv.url, '/bestaat-niet', s.cookie);
        assert.match(text, /href="\/account"/, 'the 404 page of a logged-in user shows the anonymous frame');
    });

    test('the API without credentials: 401 application/problem+json with WWW-Authenticate', async () => {
        for (const p of ['/api/v1/ik', '/api/v1/organisaties', `${RESULTS_API}/${ids.resultEmmen}`, '/api/v1/audit-gebeurtenissen']) {
            const res = await fetch(`${srv.url}${p}`, { headers: { accept: 'application/json' } });
            const body = await res.text();
            assert.equal(res.status, 401, `${p}: ${res.status}`);
            assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, p);
            assert.match(res.headers.get('www-authenticate') ?? '', /Bearer/i, p);
            const j = JSON.parse(body);
            assert.equal(j.status, 401);
            assert.ok(j.title, 'problem has a title');
        }
        const post = await fetch(`${srv.url}/api/v1/organisaties`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
        });
        await post.text();
        assert.equal(post.status, 401, 'POST without credentials');
    });

    test('the API with a bad token: 401, also when a valid session cookie comes along', async () => {
        for (const auth of ['Bearer dui_nonsense', 'Bearer ', 'Basic YmVoZWVyZGVyOmRlbW8td2FjaHR3b29yZA==', `Bearer dui_${'A'.repeat(43)}`]) {
            const res = await fetch(`${srv.url}/api/v1/ik`, { headers: { authorization: auth, cookie: admin.cookie } });
            await res.text();
            assert.equal(res.status, 401, `${auth}: ${res.status}`);
            assert.match(res.headers.get('content-type') ?? '', /problem\+json/);
        }
    });
});

// --- API tokens ---------------------------------------------------------------------------------

describe('API tokens', () => {
    let emmen;
    /** Makes a token through the account page and reads it from the page (shown once). */
    async function makeToken(who, scopes, label = `test-${Math.random().toString(36).slice(2, 8)}`) {
        const body = new URLSearchParams({ label, dagen: '2', csrf: who.csrf });
        for (const sc of scopes) body.append('rechten', sc);
        const res = await fetch(`${srv.url}/account/tokens`, {
            method: 'POST',
            redirect: 'manual',
            headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
            body: body.toString(),
        });
        const html = await res.text();
        assert.equal(res.status, 200, html.slice(0, 300));
        const token = (html.match(/dui_[A-Za-z0-9_-]{20,}/) ?? [])[0];
        assert.ok(token, 'the new token is shown once');
        const list = await (await fetch(`${srv.url}/account/tokens`, { headers: { cookie: who.cookie } })).text();
        assert.ok(!list.includes(token), 'the token list shows the secret again');
        const id = Math.max(...[...list.matchAll(/\/account\/tokens\/(\d+)\/intrekken/g)].map((m) => Number(m[1])));
        return { token, id };
    }
    const bearer = (token, extra = {}) => ({ authorization: `Bearer ${token}`, accept: 'application/json', ...extra });

    before(async () => {
        emmen = await session(srv.url, 'beleid.emmen');
    });

    test('a read-only token can read but not change, and needs no CSRF header', async () => {
        const { token } = await makeToken(emmen, ['read']);
        const me = await fetch(`${srv.url}/api/v1/ik`, { headers: bearer(token) });
        const j = await me.json();
        assert.equal(me.status, 200);
        assert.equal(j.inlognaam ?? j.login ?? j.gebruiker?.inlognaam, 'beleid.emmen', JSON.stringify(j));
        const before = await resultState(ids.resultEmmen);
        const patch = await fetch(`${srv.url}${RESULTS_API}/${ids.resultEmmen}`, {
            method: 'PATCH',
            headers: bearer(token, { 'content-type': 'application/json' }),
            body: JSON.stringify({ versie: before.versie, titel: 'Via een leestoken' }),
        });
        await patch.text();
        assert.equal(patch.status, 403, 'a read-only token changed data');
        assert.deepEqual(await resultState(ids.resultEmmen), before);
    });

    test('a write token may change what its user may change (no CSRF header needed), and no more', async () => {
        const { token } = await makeToken(emmen, ['read', 'write']);
        const own = await resultState(ids.resultEmmen);
        const ok = await fetch(`${srv.url}${RESULTS_API}/${ids.resultEmmen}`, {
            method: 'PATCH',
            headers: bearer(token, { 'content-type': 'application/json' }),
            body: JSON.stringify({ versie: own.versie, titel: '' }), // validation error: nothing changes
        });
        await ok.text();
        assert.ok([400, 422].includes(ok.status), `own result with a write token: ${ok.status}`);
        const other = await resultState(ids.resultHoogeveen);
        const denied = await fetch(`${srv.url}${RESULTS_API}/${ids.resultHoogeveen}`, {
            method: 'PATCH',
            headers: bearer(token, { 'content-type': 'application/json' }),
            body: JSON.stringify({ versie: other.versie, titel: 'Via een token van Emmen' }),
        });
        await denied.text();
        assert.equal(denied.status, 403, 'a token widened what its user may do');
        assert.deepEqual(await resultState(ids.resultHoogeveen), other);
    });

    test('a token does not work for the web pages (cookie-less HTML requests stay anonymous)', async () => {
        const { token } = await makeToken(emmen, ['read', 'write']);
        const { res } = await get(srv.url, '/resultaten', null, { authorization: `Bearer ${token}` });
        assert.equal(res.status, 303, 'a bearer token logged in to the HTML pages');
        assert.match(res.headers.get('location') ?? '', /^\/inloggen/);
    });

    test('a revoked token is refused with 401', async () => {
        const { token, id } = await makeToken(emmen, ['read']);
        assert.equal((await fetch(`${srv.url}/api/v1/ik`, { headers: bearer(token) })).status, 200);
        const { res } = await postForm(srv.url, `/account/tokens/${id}/intrekken`, emmen.cookie, { csrf: emmen.csrf });
        assert.equal(res.status, 303);
        const after = await fetch(`${srv.url}/api/v1/ik`, { headers: bearer(token) });
        await after.text();
        assert.equal(after.status, 401);
    });

    test("another user cannot revoke someone else's token", async () => {
        const { token, id } = await makeToken(emmen, ['read']);
        const raad = await session(srv.url, 'raad.emmen');
        const { res } = await postForm(srv.url, `/account/tokens/${id}/intrekken`, raad.cookie, { csrf: raad.csrf });
        assert.ok([403, 404].includes(res.status), `got ${res.status}`);
        assert.equal((await fetch(`${srv.url}/api/v1/ik`, { headers: bearer(token) })).status, 200, 'the token was revoked');
    });
});

// --- open redirects ---------------------------------------------------------------------------

describe('open redirects', () => {
    const hostile = [
        '//evil.example',
        '//evil.example/inloggen',
        'https://evil.example',
        'http:evil.example',
        '/\\evil.example',
        '\\\\evil.example',
        '/\t/evil.example', // browsers drop tabs in URLs: "/\t/x" becomes "//x"
        '/\n/evil.example',
        ' //evil.example',
        'javascript:alert(1)',
        '/%2F%2Fevil.example',
    ];

    /** Problems with a redirect target, as a browser would resolve it; [] when it stays local. */
    function problems(location, what) {
        if (!location) return [`${what}: no Location`];
        const out = [];
        if (!/^\/(?![\/\\])/.test(location)) out.push(`${what}: ${JSON.stringify(location)} is not a local path`);
        if (/[\x00-\x20\x7f\\]/.test(location))
            out.push(`${what}: ${JSON.stringify(location)} contains whitespace, control characters or backslashes`);
        const resolved = new URL(location, srv.url); // WHATWG parsing, as in a browser
        if (resolved.origin !== new URL(srv.url).origin)
            out.push(`${what}: ${JSON.stringify(location)} leaves the site: a browser goes to ${resolved.href}`);
        return out;
    }

    test('GET /inloggen?terug=<hostile>: the login form carries a local path only', async () => {
        const bad = [];
        for (const t of hostile) {
            const { res, text } = await get(srv.url, `/inloggen?terug=${encodeURIComponent(t)}`, null);
            if (res.status !== 200) {
                bad.push(`${JSON.stringify(t)}: HTTP ${res.status}`);
                continue;
            }
            const back = fieldOfForm(text, '/inloggen', 'terug');
            if (back === undefined) bad.push(`${JSON.stringify(t)}: the login form has no terug field`);
            else bad.push(...problems(back, `hidden terug for ${JSON.stringify(t)}`));
        }
        assert.deepEqual(bad, []);
    });

    test('POST /inloggen with terug=<hostile> and the right password: redirect stays on the site', async () => {
        const bad = [];
        for (const t of hostile) {
            const a = await anonymous(srv.url);
            const { res } = await postForm(srv.url, '/inloggen', a.cookie, {
                login: 'raad.emmen', password: DEMO_PASSWORD, csrf: a.csrf, terug: t,
            });
            if (res.status !== 303) bad.push(`${JSON.stringify(t)}: HTTP ${res.status}`);
            else bad.push(...problems(res.headers.get('location'), `login with terug=${JSON.stringify(t)}`));
        }
        assert.deepEqual(bad, []);
    });

    test('POST /taal with terug=<hostile>: redirect stays on the site', async () => {
        const a = await anonymous(srv.url);
        const bad = [];
        for (const t of hostile) {
            const { res } = await postForm(srv.url, '/taal', a.cookie, { taal: 'nl', csrf: a.csrf, terug: t });
            if (res.status !== 303) bad.push(`${JSON.stringify(t)}: HTTP ${res.status}`);
            else bad.push(...problems(res.headers.get('location'), `/taal with terug=${JSON.stringify(t)}`));
        }
        assert.deepEqual(bad, []);
    });
});

// --- objects of another organisation -----------------------------------------------------------

describe('objects of another organisation', () => {
    let emmen;
    before(async () => {
        emmen = await session(srv.url, 'beleid.emmen');
    });

    test('beleid.emmen cannot open the edit form of a Hoogeveen result: 403', async () => {
        const { res, text } = await get(srv.url, `/resultaten/${ids.resultHoogeveen}/bewerken`, emmen.cookie);
        assert.equal(res.status, 403, text.slice(0, 200));
        assert.doesNotMatch(text, /name="titel"/, 'the 403 page contains the edit form');
    });

    test('beleid.emmen posting a valid edit of a Hoogeveen result: 403 and unchanged', async () => {
        const before = await resultState(ids.resultHoogeveen);
        const { res } = await postForm(srv.url, `/resultaten/${ids.resultHoogeveen}`, emmen.cookie, {
            versie: String(before.versie),
            thema: before.thema,
            titel: 'Overgenomen door Emmen',
            beschrijving: 'x',
            startjaar: String(before.beginjaar),
            eindjaar: String(before.eindjaar),
            csrf: emmen.csrf,
        });
        assert.equal(res.status, 403);
        assert.deepEqual(await resultState(ids.resultHoogeveen), before);
    });

    test('beleid.emmen posting an invalid edit of a Hoogeveen result: 403, not a validation answer', async () => {
        // Authorisation comes before validation: a refused user learns nothing about the form
        // and is not shown the edit form of another organisation's result.
        const before = await resultState(ids.resultHoogeveen);
        const { res, text } = await postForm(srv.url, `/resultaten/${ids.resultHoogeveen}`, emmen.cookie, {
            versie: String(before.versie), thema: before.thema, titel: '', startjaar: 'abc', eindjaar: '', csrf: emmen.csrf,
        });
        assert.equal(res.status, 403, `got ${res.status}${/name="titel"/.test(text) ? ' with the edit form' : ''}`);
        const noVersion = await postForm(srv.url, `/resultaten/${ids.resultHoogeveen}`, emmen.cookie, { titel: 'x', csrf: emmen.csrf });
        assert.equal(noVersion.res.status, 403, `without versie: got ${noVersion.res.status}`);
        assert.deepEqual(await resultState(ids.resultHoogeveen), before);
    });

    test('beleid.emmen archiving a Hoogeveen result: 403 and not archived', async () => {
        const before = await resultState(ids.resultHoogeveen2);
        const { res } = await postForm(srv.url, `/resultaten/${ids.resultHoogeveen2}/archiveren`, emmen.cookie, { csrf: emmen.csrf });
        assert.equal(res.status, 403);
        assert.deepEqual(await resultState(ids.resultHoogeveen2), before);
    });

    test('beleid.emmen changing a Hoogeveen result through the API: 403 and unchanged', async () => {
        const before = await resultState(ids.resultHoogeveen);
        for (const patch of [{ versie: before.versie, titel: 'Via de API door Emmen' }, { versie: before.versie, gearchiveerd: true }]) {
            const res = await fetch(`${srv.url}${RESULTS_API}/${ids.resultHoogeveen}`, {
                method: 'PATCH',
                headers: { cookie: emmen.cookie, 'x-csrf-token': emmen.csrf, 'content-type': 'application/json' },
                body: JSON.stringify(patch),
            });
            const text = await res.text();
            assert.equal(res.status, 403, `${JSON.stringify(patch)}: ${text.slice(0, 200)}`);
        }
        assert.deepEqual(await resultState(ids.resultHoogeveen), before);
    });

    test('beleid.emmen creating a result owned by Hoogeveen: 403 and nothing created', async () => {
        const countBefore = (await resultIdsOnPage(srv.url, admin.cookie, `/resultaten?eigenaar=${ids.hoogeveen}&archief=1`)).length;
        const { res } = await postForm(srv.url, '/resultaten', emmen.cookie, {
            eigenaar: String(ids.hoogeveen), thema: 'opgroeien', titel: 'Namens Hoogeveen', startjaar: '2025', eindjaar: '2027', csrf: emmen.csrf,
        });
        assert.equal(res.status, 403);
        const api = await fetch(`${srv.url}${RESULTS_API}`, {
            method: 'POST',
            headers: { cookie: emmen.cookie, 'x-csrf-token': emmen.csrf, 'content-type': 'application/json' },
            body: JSON.stringify({ eigenaarId: ids.hoogeveen, thema: 'opgroeien', titel: 'Namens Hoogeveen', beginjaar: 2025, eindjaar: 2027 }),
        });
        await api.text();
        assert.equal(api.status, 403);
        const countAfter = (await resultIdsOnPage(srv.url, admin.cookie, `/resultaten?eigenaar=${ids.hoogeveen}&archief=1`)).length;
        assert.equal(countAfter, countBefore);
    });

    test('kwaliteit.aanbieder viewing a user of another organisation: 403/404', async () => {
        const kw = await session(srv.url, 'kwaliteit.aanbieder');
        for (const login of ['beleid.hoogeveen', 'beheerder', 'raad.emmen']) {
            const id = ids[`user:${login}`];
            const seen = JSON.parse((await get(srv.url, `/api/v1/gebruikers/${id}`, admin.cookie, { accept: 'application/json' })).text);
            const page = await get(srv.url, `/gebruikers/${id}`, kw.cookie);
            assert.ok([403, 404].includes(page.res.status), `/gebruikers/${id} (${login}): ${page.res.status}`);
            assert.ok(!page.text.includes(seen.naam), `/gebruikers/${id}: the page shows the name ${seen.naam}`);
            assert.ok(!page.text.includes(`>${login}<`), `/gebruikers/${id}: the page shows the login ${login}`);
            const edit = await get(srv.url, `/gebruikers/${id}/bewerken`, kw.cookie);
            assert.ok([403, 404].includes(edit.res.status), `/gebruikers/${id}/bewerken (${login}): ${edit.res.status}`);
            const api = await get(srv.url, `/api/v1/gebruikers/${id}`, kw.cookie, { accept: 'application/json' });
            assert.ok([403, 404].includes(api.res.status), `/api/v1/gebruikers/${id} (${login}): ${api.res.status}`);
            assert.ok(!api.text.includes(`"${login}"`) && !api.text.includes(seen.naam), `API answer shows ${login}`);
        }
        // Its colleague in the same provider is visible.
        const colleague = ids['user:professional.aanbieder'];
        const ok = await get(srv.url, `/api/v1/gebruikers/${colleague}`, kw.cookie, { accept: 'application/json' });
        assert.equal(ok.res.status, 200, 'a colleague of the same organisation is visible');
    });

    test('a non-beheerder listing users sees only users of their own organisation', async () => {
        const kw = await session(srv.url, 'kwaliteit.aanbieder');
        const res = await fetch(`${srv.url}/api/v1/gebruikers?paginaGrootte=1000`, { headers: { cookie: kw.cookie, accept: 'application/json' } });
        const text = await res.text();
        assert.equal(res.status, 200, text.slice(0, 200));
        for (const login of ['beheerder', 'beleid.emmen', 'beleid.hoogeveen', 'raad.emmen', 'toezicht.ggd']) {
            assert.ok(!text.includes(`"${login}"`), `the list shows ${login} of another organisation`);
        }
        assert.ok(text.includes('"professional.aanbieder"'), 'the list shows the colleague');
    });
});
