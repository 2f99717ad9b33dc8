// fixtures.mjs: shared set-up for the HTTP security tests (auth, authz-matrix): a demo data
// directory, the ids of demo objects (looked up through the CLI and the web pages, never
// hard-coded), and logged-in sessions with their CSRF tokens. Not a test file itself.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli, login, formField, CookieJar, DEMO_PASSWORD } from '../lib/server.mjs';

/** Creates a temporary directory with the demo region. Resolves its path. */
export async function demoDataDir() {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'duiding-authz-'));
    const r = await runCli(['demo', '-d', dir]);
    if (r.code !== 0) {
        await rm(dir, { recursive: true, force: true });
        throw new Error(`duiding demo failed (exit ${r.code ?? r.signal}):\n${r.stdout}${r.stderr}`);
    }
    return dir;
}

export async function removeDir(dir) {
    if (dir && !process.env.DUIDING_KEEP_TEST_DATA) await rm(dir, { recursive: true, force: true });
}

/** `duiding -d DIR org list` as [{id, kind, code, name, archived}]. */
export async function cliOrgs(dir) {
    const r = await runCli(['-d', dir, 'org', 'list']);
    if (r.code !== 0) throw new Error(`org list failed:\n${r.stdout}${r.stderr}`);
    const out = [];
    for (const line of r.stdout.split('\n').slice(1)) {
        // "%-6s %-15s %-8s %s": fixed columns (id, kind, code, name); the name may contain spaces.
        if (!/^\d+\s/.test(line) || line.length < 33) continue;
        const m = [null, line.slice(0, 6).trim(), line.slice(7, 22).trim()];
        const kind = m[2];
        const code = line.slice(23, 31).trim();
        const name = line.slice(32).trim();
        const archived = / \(archived\)$/.test(name);
        out.push({ id: Number(m[1]), kind, code, name: name.replace(/ \(archived\)$/, ''), archived });
    }
    if (!out.length) throw new Error(`org list printed no organisations:\n${r.stdout}`);
    return out;
}

/** `duiding -d DIR user list` as [{id, login}]. */
export async function cliUsers(dir) {
    const r = await runCli(['-d', dir, 'user', 'list']);
    if (r.code !== 0) throw new Error(`user list failed:\n${r.stdout}${r.stderr}`);
    const out = [];
    for (const line of r.stdout.split('\n').slice(1)) {
        const m = line.match(/^(\d+)\s+(\S+)\s/);
        if (m) out.push({ id: Number(m[1]), login: m[2], line });
    }
    return out;
}

/** Finds one organisation by kind and a name pattern; throws with the list when absent. */
export function findOrg(orgs, kind, namePattern) {
    const o = orgs.find((x) => x.kind === kind && (!namePattern || namePattern.test(x.name)));
    if (!o) throw new Error(`no ${kind} matching ${namePattern} in ${JSON.stringify(orgs.slice(0, 50))}`);
    return o;
}

/**
 * A logged-in session: {login, jar, cookie, csrf}. The CSRF token comes from the hidden field
 * of a form on the home page (every page has one: the language switch).
 */
export async function session(url, loginName, password = DEMO_PASSWORD) {
    const jar = await login(url, loginName, password, { jar: true });
    const res = await fetch(`${url}/`, { headers: { cookie: jar.header() }, redirect: 'manual' });
    const html = await res.text();
    const csrf = formField(html, 'csrf');
    if (!csrf) throw new Error(`no csrf field on / for ${loginName} (HTTP ${res.status})`);
    return { login: loginName, jar, cookie: jar.header(), csrf };
}

/** An anonymous visitor with a double-submit CSRF pair: {login: null, jar, cookie, csrf}. */
export async function anonymous(url) {
    const res = await fetch(`${url}/inloggen`, { redirect: 'manual' });
    const jar = new CookieJar().update(res);
    const html = await res.text();
    const csrf = formField(html, 'csrf') ?? jar.get('duiding_csrf');
    return { login: null, jar, cookie: jar.header(), csrf };
}

/** Ids of /resultaten/<id> links on a page fetched with cookie (in page order, unique). */
export async function resultIdsOnPage(url, cookie, pagePath) {
    const res = await fetch(`${url}${pagePath}`, { headers: { cookie }, redirect: 'manual' });
    const html = await res.text();
    if (res.status !== 200) throw new Error(`GET ${pagePath} answered ${res.status}`);
    const ids = [...html.matchAll(/href="\/resultaten\/(\d+)"/g)].map((m) => Number(m[1]));
    return [...new Set(ids)];
}

/** fetch with redirect: 'manual' and a cookie; resolves {res, text}. */
export async function get(url, p, cookie, headers = {}) {
    const res = await fetch(`${url}${p}`, {
        redirect: 'manual',
        headers: { ...(cookie ? { cookie } : {}), ...headers },
    });
    return { res, text: await res.text() };
}

/** POST a urlencoded form. fields: object or URLSearchParams. */
export async function postForm(url, p, cookie, fields, headers = {}) {
    const res = await fetch(`${url}${p}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...(cookie ? { cookie } : {}),
            ...headers,
        },
        body: new URLSearchParams(fields).toString(),
    });
    return { res, text: await res.text() };
}
