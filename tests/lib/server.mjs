// server.mjs: test harness that runs a real duiding server on loopback.
//
//   import { startServer, login, rawRequest } from '../lib/server.mjs';
//   const srv = await startServer({ demo: true });
//   const res = await fetch(`${srv.url}/gezondheid`);
//   const cookie = await login(srv.url, 'beleid.emmen', DEMO_PASSWORD);
//   await srv.stop();
//
// Environment (set by tests/suites.cmake): DUIDING_BIN (the program), DUIDING_SOURCE_DIR,
// SHARED_DIR. Set DUIDING_KEEP_TEST_DATA=1 to keep the temporary data directories.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOURCE_DIR =
    process.env.DUIDING_SOURCE_DIR ||
    path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED_DIR = process.env.SHARED_DIR || path.resolve(SOURCE_DIR, '..', 'shared');
export const BIN = process.env.DUIDING_BIN || findBinary();
export const DEMO_PASSWORD = 'demo-wachtwoord';
export const DEMO_LOGINS = [
    'beheerder',
    'beleid.emmen',
    'beleid.hoogeveen',
    'beleid.regio',
    'contract.regio',
    'kwaliteit.aanbieder',
    'professional.aanbieder',
    'toezicht.ggd',
    'raad.emmen',
];

function findBinary() {
    for (const preset of ['ci', 'dev', 'release', 'tooling']) {
        const p = path.join(SOURCE_DIR, 'build', preset, 'duiding');
        if (existsSync(p)) return p;
    }
    return path.join(SOURCE_DIR, 'build', 'ci', 'duiding');
}

const SANITIZER_ENV = {
    ASAN_OPTIONS: 'detect_leaks=1:abort_on_error=0',
    UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
};

// Sanitizer and crash reports that must never appear in a server's output.
const SANITIZER_PATTERNS = [
    /ERROR: AddressSanitizer/,
    /ERROR: LeakSanitizer/,
    /runtime error:/, // UBSan
    /WARNING: ThreadSanitizer/,
];

/** Returns the first sanitizer report line in text, or null. */
export function sanitizerReport(text) {
    for (const re of SANITIZER_PATTERNS) {
        const m = text.match(new RegExp(`.*${re.source}.*`));
        if (m) return m[0];
    }
    return null;
}

// `duiding demo` without --omvang makes the small demo in tests (a few hundred trajectories
// instead of tens of thousands: seconds under ASan). Set DUIDING_DEMO_OMVANG=normaal in the
// environment, or pass --omvang normaal / startServer({omvang: 'normaal'}), for the full one.
const TEST_DEFAULTS = { DUIDING_DEMO_OMVANG: 'klein' };

/** Runs the duiding binary to completion; resolves {code, signal, stdout, stderr}. */
export function runCli(args, { env = {}, timeoutMs = 180_000, input } = {}) {
    return new Promise((resolve, reject) => {
        const child = spawn(BIN, args, {
            env: { ...TEST_DEFAULTS, ...process.env, ...SANITIZER_ENV, ...env },
            stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.on('error', (err) => {
            clearTimeout(timer);
            reject(new Error(`cannot run ${BIN}: ${err.message}`));
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout, stderr });
        });
        if (input !== undefined) child.stdin.end(input);
    });
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const running = new Set();
process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a server on a fresh temporary data directory.
 *   demo: true  -> `duiding demo -d DIR --omvang klein [--seed N]` first (default), false ->
 *                  `duiding init -d DIR`
 *   seed        -> passed to demo as --seed
 *   omvang      -> demo size: 'klein' (default: a few hundred imported trajectories, seconds
 *                  even under ASan) or 'normaal' (tens of thousands, as `duiding demo` makes)
 *   dataDir     -> reuse an existing directory instead (no init/demo, not deleted by stop())
 *   args        -> extra arguments for `serve`
 *   env         -> extra environment for the server
 * Resolves {url, port, dataDir, stop(), logs(), process}. stop() ends the server (SIGTERM,
 * then SIGKILL after 10 s), removes the data directory and rejects if the server printed a
 * sanitizer report; it resolves {code, signal, logs}.
 */
export async function startServer({
    demo = true,
    seed,
    omvang = 'klein',
    dataDir,
    args = [],
    env = {},
    startTimeoutMs = 60_000,
} = {}) {
    if (!existsSync(BIN)) throw new Error(`duiding binary not found at ${BIN} (build it first)`);
    const ownDir = !dataDir;
    if (ownDir) {
        dataDir = await mkdtemp(path.join(os.tmpdir(), 'duiding-test-'));
        const setup = demo
            ? [
                  'demo',
                  '-d',
                  dataDir,
                  '--omvang',
                  omvang,
                  ...(seed === undefined ? [] : ['--seed', String(seed)]),
              ]
            : ['init', '-d', dataDir];
        const r = await runCli(setup, { env });
        if (r.code !== 0) {
            await rm(dataDir, { recursive: true, force: true });
            throw new Error(
                `duiding ${setup[0]} failed (exit ${r.code ?? r.signal}):\n${r.stdout}${r.stderr}`
            );
        }
    }

    let lastError;
    for (let attempt = 0; attempt < 3; attempt++) {
        const port = await freePort();
        try {
            const srv = await spawnServer({ dataDir, port, args, env, startTimeoutMs, ownDir });
            return srv;
        } catch (err) {
            lastError = err;
            if (!err.portInUse) break;
        }
    }
    if (ownDir && !process.env.DUIDING_KEEP_TEST_DATA)
        await rm(dataDir, { recursive: true, force: true });
    throw lastError;
}

async function spawnServer({ dataDir, port, args, env, startTimeoutMs, ownDir }) {
    const child = spawn(
        BIN,
        ['serve', '-d', dataDir, '--port', String(port), '--listen', '127.0.0.1', ...args],
        { env: { ...process.env, ...SANITIZER_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }
    );
    running.add(child);
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (output += d));
    let exited = null;
    const exitPromise = new Promise((resolve) => {
        child.on('close', (code, signal) => {
            running.delete(child);
            exited = { code, signal };
            resolve(exited);
        });
        child.on('error', (err) => {
            running.delete(child);
            exited = { code: null, signal: null, error: err };
            resolve(exited);
        });
    });

    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
        if (exited) {
            const err = new Error(
                `duiding serve exited during start-up (${exited.error?.message ?? `exit ${exited.code ?? exited.signal}`}):\n${output}`
            );
            err.portInUse = /address already in use|EADDRINUSE|bind/i.test(output);
            throw err;
        }
        try {
            const res = await fetch(`${url}/gezondheid`, { signal: AbortSignal.timeout(2000) });
            await res.arrayBuffer();
            if (res.status === 200) break;
        } catch {
            /* not listening yet */
        }
        if (Date.now() > deadline) {
            child.kill('SIGKILL');
            await exitPromise;
            throw new Error(`duiding serve did not answer /gezondheid within ${startTimeoutMs} ms:\n${output}`);
        }
        await sleep(100);
    }

    let stopped = null;
    const stop = async () => {
        if (!stopped) {
            stopped = (async () => {
                if (!exited) {
                    child.kill('SIGTERM');
                    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
                    await exitPromise;
                    clearTimeout(t);
                }
                if (ownDir && !process.env.DUIDING_KEEP_TEST_DATA)
                    await rm(dataDir, { recursive: true, force: true });
                const report = sanitizerReport(output);
                if (report)
                    throw new Error(`server printed a sanitizer report: ${report}\n${output}`);
                return { ...exited, logs: output };
            })();
        }
        return stopped;
    };

    return { url, port, dataDir, stop, logs: () => output, process: child };
}

// --- Cookies ----------------------------------------------------------------------------------

/** Splits a combined Set-Cookie header (fetch joins them with ", "). */
function setCookieList(headers) {
    if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
    const joined = headers.get('set-cookie');
    if (!joined) return [];
    return joined.split(/,(?=\s*[A-Za-z0-9_\-.]+=)/).map((s) => s.trim());
}

/** A tiny cookie jar: name -> value, fed from responses, rendered as a Cookie header. */
export class CookieJar {
    constructor(header = '') {
        this.cookies = new Map();
        for (const part of header.split(';')) {
            const i = part.indexOf('=');
            if (i > 0) this.cookies.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
        }
    }

    /** Records the Set-Cookie headers of a fetch Response (or a raw header list). */
    update(resOrList) {
        const list = Array.isArray(resOrList) ? resOrList : setCookieList(resOrList.headers);
        for (const sc of list) {
            const [pair, ...attrs] = sc.split(';');
            const i = pair.indexOf('=');
            if (i <= 0) continue;
            const name = pair.slice(0, i).trim();
            const value = pair.slice(i + 1).trim();
            const expired = attrs.some((a) => {
                const [k, v = ''] = a.split('=');
                const key = k.trim().toLowerCase();
                if (key === 'max-age') return Number(v.trim()) <= 0;
                if (key === 'expires') return Date.parse(v.trim()) < Date.now();
                return false;
            });
            if (expired || value === '') this.cookies.delete(name);
            else this.cookies.set(name, value);
        }
        return this;
    }

    get(name) {
        return this.cookies.get(name);
    }

    set(name, value) {
        this.cookies.set(name, value);
        return this;
    }

    delete(name) {
        this.cookies.delete(name);
        return this;
    }

    /** The Cookie request header value. */
    header() {
        return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }

    toString() {
        return this.header();
    }
}

function htmlUnescape(s) {
    return s
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
}

/** The value of <input name="NAME" value="..."> in an HTML page, or undefined. */
export function formField(html, name) {
    const inputs = html.match(/<input\b[^>]*>/gi) || [];
    for (const tag of inputs) {
        const n = tag.match(/\bname\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i);
        const nv = n && (n[2] ?? n[3] ?? n[4]);
        if (nv !== name) continue;
        const v = tag.match(/\bvalue\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i);
        return v ? htmlUnescape(v[2] ?? v[3] ?? v[4]) : '';
    }
    return undefined;
}

/**
 * Logs in through the real form flow: GET /inloggen (csrf cookie + hidden field), then POST
 * /inloggen with login, password, csrf. Resolves the Cookie header string (csrf + session
 * cookies); rejects if no duiding_sessie cookie was set. Pass {jar: true} to get the CookieJar.
 */
export async function login(url, loginName, password = DEMO_PASSWORD, { jar: wantJar = false } = {}) {
    const jar = new CookieJar();
    const page = await fetch(`${url}/inloggen`, { redirect: 'manual' });
    jar.update(page);
    const html = await page.text();
    if (page.status !== 200) throw new Error(`GET /inloggen answered ${page.status}`);
    const csrf = formField(html, 'csrf') ?? jar.get('duiding_csrf');
    if (!csrf) throw new Error('GET /inloggen gave no csrf field or duiding_csrf cookie');
    const res = await fetch(`${url}/inloggen`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
            'content-type': 'application/x-www-form-urlencoded',
            cookie: jar.header(),
        },
        body: new URLSearchParams({ login: loginName, password, csrf }).toString(),
    });
    jar.update(res);
    const body = await res.text();
    if (!jar.get('duiding_sessie'))
        throw new Error(
            `login as ${loginName} failed: HTTP ${res.status}, no duiding_sessie cookie\n${body.slice(0, 500)}`
        );
    return wantJar ? jar : jar.header();
}

// --- Raw HTTP ---------------------------------------------------------------------------------

/** True when `buf` holds one complete HTTP response (by Content-Length or chunked end). */
function responseComplete(buf) {
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return false;
    const head = buf.subarray(0, end).toString('latin1');
    const body = buf.length - end - 4;
    const status = Number((head.match(/^HTTP\/\d\.\d (\d{3})/) || [])[1]);
    if (status === 204 || status === 304 || (status >= 100 && status < 200)) return true;
    const cl = head.match(/\r\ncontent-length:\s*(\d+)/i);
    if (cl) return body >= Number(cl[1]);
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head))
        return buf.subarray(buf.length - 5).toString('latin1') === '0\r\n\r\n';
    return false;
}

/**
 * Sends raw bytes (string or Buffer) to 127.0.0.1:port and resolves the raw response text
 * (latin1, so every byte survives). It resolves when the server closes the connection, when one
 * complete response has arrived (unless waitClose), or after timeoutMs with what arrived so far.
 * Options: {timeoutMs=5000, waitClose=false, endWrite=false (half-close after sending),
 * chunks: [bytes, ...] sent one by one with delayMs between them}.
 */
export function rawRequest(
    port,
    bytes,
    { timeoutMs = 5000, waitClose = false, endWrite = false, chunks, delayMs = 50 } = {}
) {
    return new Promise((resolve, reject) => {
        const parts = [];
        let done = false;
        const sock = net.connect({ host: '127.0.0.1', port });
        const finish = () => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            sock.destroy();
            resolve(Buffer.concat(parts).toString('latin1'));
        };
        const timer = setTimeout(finish, timeoutMs);
        sock.on('data', (d) => {
            parts.push(d);
            if (!waitClose && responseComplete(Buffer.concat(parts))) finish();
        });
        sock.on('end', finish);
        sock.on('close', finish);
        sock.on('error', (err) => {
            // A reset after a response is a normal way for a server to refuse more input.
            if (parts.length) finish();
            else if (err.code === 'ECONNRESET' || err.code === 'EPIPE') finish();
            else {
                done = true;
                clearTimeout(timer);
                reject(err);
            }
        });
        sock.on('connect', async () => {
            const list = chunks ?? [bytes];
            for (let i = 0; i < list.length && !done; i++) {
                if (i > 0) await sleep(delayMs);
                if (!done) sock.write(list[i]);
            }
            if (endWrite && !done) sock.end();
        });
    });
}

/** Parses a raw response text into {status, headers (lower-case names), body}. */
export function parseRawResponse(text) {
    const end = text.indexOf('\r\n\r\n');
    const head = end < 0 ? text : text.slice(0, end);
    const [statusLine, ...lines] = head.split('\r\n');
    const m = statusLine.match(/^HTTP\/\d\.\d (\d{3})/);
    const headers = {};
    for (const l of lines) {
        const i = l.indexOf(':');
        if (i > 0) {
            const k = l.slice(0, i).trim().toLowerCase();
            headers[k] = headers[k] === undefined ? l.slice(i + 1).trim() : `${headers[k]}, ${l.slice(i + 1).trim()}`;
        }
    }
    return { status: m ? Number(m[1]) : 0, headers, body: end < 0 ? '' : text.slice(end + 4) };
}
