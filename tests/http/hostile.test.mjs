// hostile.test.mjs: hostile HTTP input against a real `duiding serve` (DESIGN.md §7,
// engineering.md A1.3-A1.4). Every case is sent as raw bytes on a socket so that nothing between
// the test and the server normalises it. After each group the server must still answer
// /gezondheid quickly: no crash, no stall, no sanitizer report (checked by srv.stop()).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import {
    startServer,
    login,
    rawRequest,
    parseRawResponse,
    CookieJar,
    formField,
    DEMO_PASSWORD,
} from '../lib/server.mjs';

let srv;
before(async () => {
    srv = await startServer({ demo: true });
});
after(async () => {
    await srv?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every status code in a raw response stream (more than one means a second response). */
function statuses(text) {
    return [...text.matchAll(/(?:^|\r\n)HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
}

/** Sends raw bytes; resolves {status, headers, body, raw, all: [statuses]}. */
async function raw(bytes, opts = {}) {
    const text = await rawRequest(srv.port, bytes, { timeoutMs: 5000, ...opts });
    return { ...parseRawResponse(text), raw: text, all: statuses(text) };
}

/** The server answers /gezondheid within `ms`. */
async function assertAlive(what, ms = 2000) {
    const t0 = Date.now();
    const res = await fetch(`${srv.url}/gezondheid`, { signal: AbortSignal.timeout(ms) });
    assert.equal(res.status, 200, `after ${what}: /gezondheid status`);
    assert.equal((await res.text()).trim(), 'ok');
    assert.ok(Date.now() - t0 < ms, `after ${what}: /gezondheid took ${Date.now() - t0} ms`);
    assert.equal(srv.process.exitCode, null, `server exited after ${what}\n${srv.logs()}`);
}

/** True if the server log shows that a request for this path reached the request log. */
function logged(pathMarker) {
    return srv.logs().split('\n').some((l) => /evt=http\.req/.test(l) && l.includes(pathMarker));
}

const H = 'Host: 127.0.0.1\r\n';
const FORM = 'Content-Type: application/x-www-form-urlencoded\r\n';

/** An anonymous csrf pair: the duiding_csrf cookie and the matching hidden field. */
async function anonCsrf() {
    const res = await fetch(`${srv.url}/inloggen`);
    const jar = new CookieJar().update(res);
    const html = await res.text();
    const token = formField(html, 'csrf') ?? jar.get('duiding_csrf');
    assert.ok(token, 'login page gives a csrf token');
    return { cookie: jar.header(), token };
}

describe('request smuggling (engineering.md A1.3: MHD 0.9.75 lacks these checks)', () => {
    test('duplicate Content-Length (0 then 29): 400, and the smuggled request is not executed', async () => {
        const marker = `/smokkel-${Date.now().toString(36)}`;
        const smuggled = `GET ${marker} HTTP/1.1\r\n${H}\r\n`;
        const req =
            `POST /inloggen HTTP/1.1\r\n${H}${FORM}Content-Length: 0\r\n` +
            `Content-Length: ${smuggled.length}\r\n\r\n${smuggled}`;
        const r = await raw(req, { waitClose: true, timeoutMs: 3000 });
        assert.equal(r.status, 400, r.raw.slice(0, 300));
        assert.deepEqual(r.all, [400], `exactly one response expected, got ${r.all.join(', ')}`);
        await sleep(100);
        assert.ok(!logged(marker), `the smuggled request ${marker} reached a handler:\n${srv.logs()}`);
    });

    test('duplicate Content-Length with the literal values 0 and 29', async () => {
        // The A1.3 probe verbatim: the 29 bytes after the headers form a complete second request.
        const smuggled = 'GET /sm HTTP/1.1\r\nHost: x\r\n\r\n';
        assert.equal(smuggled.length, 29);
        const req = `GET /gezondheid HTTP/1.1\r\n${H}Content-Length: 0\r\nContent-Length: 29\r\n\r\n${smuggled}`;
        const r = await raw(req, { waitClose: true, timeoutMs: 3000 });
        assert.equal(r.status, 400, r.raw.slice(0, 300));
        assert.deepEqual(r.all, [400], `exactly one response expected, got ${r.all.join(', ')}`);
        await sleep(100);
        assert.ok(!logged('path=/sm ') && !logged('path="/sm"'), 'the smuggled GET /sm was executed');
    });

    test('two equal Content-Length headers are refused too', async () => {
        const r = await raw(`POST /inloggen HTTP/1.1\r\n${H}${FORM}Content-Length: 3\r\nContent-Length: 3\r\n\r\na=b`);
        assert.equal(r.status, 400);
    });

    test('Content-Length together with Transfer-Encoding: chunked: 400', async () => {
        const marker = `/smokkel-te-${Date.now().toString(36)}`;
        const req =
            `POST /inloggen HTTP/1.1\r\n${H}${FORM}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n` +
            `0\r\n\r\nGET ${marker} HTTP/1.1\r\n${H}\r\n`;
        const r = await raw(req, { waitClose: true, timeoutMs: 3000 });
        assert.equal(r.status, 400, r.raw.slice(0, 300));
        assert.deepEqual(r.all, [400]);
        await sleep(100);
        assert.ok(!logged(marker), `the pipelined request ${marker} was executed`);
    });

    for (const te of ['gzip', 'chunked, gzip', 'gzip, chunked', 'identity', 'xchunked']) {
        test(`Transfer-Encoding: ${te}: 400`, async () => {
            const r = await raw(`POST /inloggen HTTP/1.1\r\n${H}${FORM}Transfer-Encoding: ${te}\r\n\r\n0\r\n\r\n`);
            assert.equal(r.status, 400, r.raw.slice(0, 300));
        });
    }

    test('two Transfer-Encoding: chunked headers: 400', async () => {
        const r = await raw(
            `POST /inloggen HTTP/1.1\r\n${H}${FORM}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`
        );
        assert.equal(r.status, 400, r.raw.slice(0, 300));
    });

    test('negative Content-Length: 400', async () => {
        const r = await raw(`POST /inloggen HTTP/1.1\r\n${H}${FORM}Content-Length: -1\r\n\r\n`);
        assert.equal(r.status, 400, r.raw.slice(0, 300));
    });

    for (const cl of ['+5', '5 5', '0x10', '99999999999999999999999', '']) {
        test(`malformed Content-Length "${cl}": 400 (or 413 for the huge one)`, async () => {
            const r = await raw(`POST /inloggen HTTP/1.1\r\n${H}${FORM}Content-Length: ${cl}\r\n\r\nabcde`);
            assert.ok([400, 413].includes(r.status), `got ${r.status}: ${r.raw.slice(0, 300)}`);
        });
    }

    test('the server is still healthy', () => assertAlive('smuggling attempts'));
});

describe('header and URL syntax', () => {
    test('HTTP/1.1 without Host: 400', async () => {
        const r = await raw('GET /gezondheid HTTP/1.1\r\n\r\n');
        assert.equal(r.status, 400, r.raw.slice(0, 300));
    });

    test('"Host : x" (space before the colon): 400', async () => {
        const r = await raw('GET /gezondheid HTTP/1.1\r\nHost : x\r\n\r\n');
        assert.equal(r.status, 400, r.raw.slice(0, 300));
    });

    test('a header name with a space before the colon (not Host): 400', async () => {
        const r = await raw(`GET /gezondheid HTTP/1.1\r\n${H}Content-Length : 0\r\n\r\n`);
        assert.equal(r.status, 400, r.raw.slice(0, 300));
        const r2 = await raw(`GET /gezondheid HTTP/1.1\r\n${H}X-Test\t: 0\r\n\r\n`);
        assert.equal(r2.status, 400, `tab before the colon: ${r2.raw.slice(0, 300)}`);
    });

    test('"Content-Length : N" (space before the colon) cannot smuggle a request', async () => {
        // MHD keeps the space in the name, so without a check the header is ignored and the
        // body is read as a second request, while a lenient front end counts it as the body.
        const marker = `/smokkel-ws-${Date.now().toString(36)}`;
        const smuggled = `GET ${marker} HTTP/1.1\r\n${H}\r\n`;
        const r = await raw(
            `POST /inloggen HTTP/1.1\r\n${H}${FORM}Content-Length : ${smuggled.length}\r\n\r\n${smuggled}`,
            { waitClose: true, timeoutMs: 3000 }
        );
        assert.equal(r.status, 400, r.raw.slice(0, 300));
        await sleep(100);
        assert.ok(!logged(marker), `the smuggled request ${marker} was executed`);
    });

    test('200 KB header: 431 (or a clean refusal), no crash', async () => {
        const r = await raw(`GET / HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(200 * 1024)}\r\n\r\n`);
        assert.ok(
            r.status === 431 || r.status === 0,
            `expected 431 or a closed connection, got ${r.status}: ${r.raw.slice(0, 200)}`
        );
        await assertAlive('a 200 KB header');
    });

    test('many headers adding up past the memory limit: 431 (or clean refusal)', async () => {
        const lines = Array.from({ length: 4000 }, (_, i) => `X-H${i}: ${'v'.repeat(30)}\r\n`).join('');
        const r = await raw(`GET / HTTP/1.1\r\n${H}${lines}\r\n`);
        assert.ok(r.status === 431 || r.status === 0 || r.status === 400, `got ${r.status}`);
        await assertAlive('many headers');
    });

    test('100 KB URL: 414', async () => {
        const r = await raw(`GET /${'a'.repeat(100 * 1024)} HTTP/1.1\r\n${H}\r\n`);
        assert.equal(r.status, 414, r.raw.slice(0, 200));
        await assertAlive('a 100 KB URL');
    });

    test('a 100 KB query string: 414', async () => {
        const r = await raw(`GET /inloggen?terug=${'b'.repeat(100 * 1024)} HTTP/1.1\r\n${H}\r\n`);
        assert.equal(r.status, 414, r.raw.slice(0, 200));
    });

    for (const n of [1000, 5000]) {
        test(`GET with ${n} slashes: an answer below 500, no crash`, async () => {
            const r = await raw(`GET ${'/'.repeat(n)} HTTP/1.1\r\n${H}\r\n`);
            assert.ok(r.status >= 200 && r.status < 500, `got ${r.status}: ${r.raw.slice(0, 200)}`);
            assert.notEqual(r.status, 200, 'a path of slashes is not the home page');
        });
    }

    test('"GET /organisaties//1//" style paths: no 5xx', async () => {
        for (const p of ['//', '/organisaties//1', '/api/v1//organisaties', '/./gezondheid', '/gezondheid/..']) {
            const r = await raw(`GET ${p} HTTP/1.1\r\n${H}\r\n`);
            assert.ok(r.status >= 200 && r.status < 500, `${p}: got ${r.status}`);
        }
    });

    test('unusual methods: TRACE, OPTIONS, CONNECT, an unknown one: 4xx/501, no echo of the request', async () => {
        for (const m of ['TRACE', 'OPTIONS', 'FOO', 'DELETE', 'PUT']) {
            const r = await raw(`${m} /inloggen HTTP/1.1\r\n${H}Cookie: geheim=1\r\n\r\n`);
            assert.ok([400, 403, 405, 501].includes(r.status), `${m}: got ${r.status}`);
            assert.doesNotMatch(r.body, /geheim=1/, `${m} echoes the request`);
        }
        const c = await raw(`CONNECT 127.0.0.1:22 HTTP/1.1\r\n${H}\r\n`);
        assert.ok(c.status === 0 || (c.status >= 400 && c.status < 600 && c.status !== 500), `CONNECT: got ${c.status}`);
    });

    test('HEAD answers without a body', async () => {
        const r = await raw(`HEAD /inloggen HTTP/1.1\r\n${H}Connection: close\r\n\r\n`, { waitClose: true, timeoutMs: 2000 });
        assert.equal(r.status, 200);
        assert.equal(r.body, '', 'HEAD sent a body');
    });

    test('HTTP/1.0 and HTTP/0.9-style request lines: no crash', async () => {
        const a = await raw('GET /gezondheid HTTP/1.0\r\n\r\n', { waitClose: true, timeoutMs: 2000 });
        assert.equal(a.status, 200, 'HTTP/1.0 without Host is allowed');
        const b = await raw('GET /gezondheid\r\n\r\n', { waitClose: true, timeoutMs: 2000 });
        assert.ok(b.status === 0 || (b.status >= 400 && b.status < 500) || b.status === 505, `HTTP/0.9: got ${b.status}`);
        const c = await raw(`GET /gezondheid HTTP/2.0\r\n${H}\r\n`, { waitClose: true, timeoutMs: 2000 });
        assert.ok(c.status === 0 || c.status === 505 || c.status === 400 || c.status === 200, `HTTP/2.0 text: got ${c.status}`);
    });

    test('the server is still healthy', () => assertAlive('header and URL cases'));
});

describe('encoding: invalid UTF-8, bad escapes, NUL bytes', () => {
    test('invalid UTF-8 in the path (percent-encoded %FF): 400', async () => {
        const r = await raw(`GET /organisaties%FF HTTP/1.1\r\n${H}\r\n`);
        assert.equal(r.status, 400, r.raw.slice(0, 300));
    });

    test('invalid UTF-8 in the path (raw byte 0xFF): 400', async () => {
        const r = await raw(Buffer.concat([
            Buffer.from('GET /organisaties'),
            Buffer.from([0xff, 0xfe]),
            Buffer.from(` HTTP/1.1\r\n${H}\r\n`),
        ]));
        assert.equal(r.status, 400, r.raw.slice(0, 300));
    });

    test('overlong UTF-8 encoding of "/" in the path (%C0%AF): 400', async () => {
        const r = await raw(`GET /static/%C0%AF..%C0%AFduiding.conf HTTP/1.1\r\n${H}\r\n`);
        assert.equal(r.status, 400, r.raw.slice(0, 300));
    });

    test('invalid UTF-8 in a query value: 400', async () => {
        for (const q of ['terug=%C3%28', 'terug=%FF', 'terug=%ED%A0%80' /* surrogate */]) {
            const r = await raw(`GET /inloggen?${q} HTTP/1.1\r\n${H}\r\n`);
            assert.equal(r.status, 400, `${q}: ${r.raw.slice(0, 300)}`);
        }
    });

    test('invalid UTF-8 in a query value (raw bytes): 400', async () => {
        const r = await raw(Buffer.concat([
            Buffer.from('GET /inloggen?terug=%2F'),
            Buffer.from([0xc3, 0x28]),
            Buffer.from(` HTTP/1.1\r\n${H}\r\n`),
        ]));
        assert.equal(r.status, 400, r.raw.slice(0, 300));
    });

    test('invalid UTF-8 in a form field: 400', async () => {
        const { cookie, token } = await anonCsrf();
        for (const body of [
            Buffer.from(`login=%C3%28&password=x&csrf=${token}`),
            Buffer.concat([Buffer.from('login='), Buffer.from([0xff, 0xc0, 0x80]), Buffer.from(`&password=x&csrf=${token}`)]),
        ]) {
            const head = `POST /inloggen HTTP/1.1\r\n${H}${FORM}Cookie: ${cookie}\r\nContent-Length: ${body.length}\r\n\r\n`;
            const r = await raw(Buffer.concat([Buffer.from(head), body]));
            assert.equal(r.status, 400, r.raw.slice(0, 300));
        }
    });

    test('invalid UTF-8 in a header value: 400', async () => {
        const r = await raw(Buffer.concat([
            Buffer.from(`GET /inloggen HTTP/1.1\r\n${H}Accept-Language: `),
            Buffer.from([0xff, 0xfe, 0x41]),
            Buffer.from('\r\n\r\n'),
        ]));
        assert.equal(r.status, 400, r.raw.slice(0, 300));
    });

    test('invalid UTF-8 in the Cookie header: 400', async () => {
        const r = await raw(Buffer.concat([
            Buffer.from(`GET / HTTP/1.1\r\n${H}Cookie: duiding_sessie=`),
            Buffer.from([0xc3, 0x28]),
            Buffer.from('\r\n\r\n'),
        ]));
        assert.equal(r.status, 400, r.raw.slice(0, 300));
    });

    test('bad percent escapes in a query: 400', async () => {
        for (const q of ['terug=%G1', 'terug=%', 'terug=%4', 'terug=abc%', '%zz=1']) {
            const r = await raw(`GET /inloggen?${q} HTTP/1.1\r\n${H}\r\n`);
            assert.equal(r.status, 400, `${q}: ${r.raw.slice(0, 300)}`);
        }
    });

    test('bad percent escapes in a form body: 400', async () => {
        const { cookie, token } = await anonCsrf();
        for (const body of [`login=%ZZ&password=x&csrf=${token}`, `login=abc%&password=x&csrf=${token}`]) {
            const r = await raw(
                `POST /inloggen HTTP/1.1\r\n${H}${FORM}Cookie: ${cookie}\r\nContent-Length: ${body.length}\r\n\r\n${body}`
            );
            assert.equal(r.status, 400, `${body}: ${r.raw.slice(0, 300)}`);
        }
    });

    test('bad percent escapes in the path: 400', async () => {
        for (const p of ['/%zz', '/organisaties/%', '/%%%', '/static/%2', '/resultaten/%4', '/resultaten/%G0']) {
            const r = await raw(`GET ${p} HTTP/1.1\r\n${H}\r\n`);
            assert.equal(r.status, 400, `${p}: got ${r.status}`);
        }
    });

    test('percent-encoded NUL in the path (%00): 400, not a truncated path', async () => {
        // MHD unescapes the path in place; a NUL would silently cut "/gezondheid%00.css" to
        // "/gezondheid". A control character in the path must be refused like any other.
        const r = await raw(`GET /gezondheid%00.css HTTP/1.1\r\n${H}\r\n`);
        assert.equal(r.status, 400, `got ${r.status}: ${r.raw.slice(0, 300)}`);
    });

    test('percent-encoded control characters in the path (also TAB, CR, LF): 400, no header injection', async () => {
        for (const p of ['/organisaties%1B', '/organisaties%7F', '/organisaties%08', '/organisaties%0A', '/organisaties%0D%0ASet-Cookie:%20x=1', '/resultaten%0D%0ALocation:%20//evil.example', '/%09/evil.example']) {
            const r = await raw(`GET ${p} HTTP/1.1\r\n${H}\r\n`);
            assert.equal(r.status, 400, `${p}: got ${r.status} ${r.headers.location ?? ''}`);
            const head = r.raw.split('\r\n\r\n')[0];
            assert.doesNotMatch(head, /\r\nSet-Cookie: x=1/i, 'header injection through the path');
            assert.doesNotMatch(head, /\r\nLocation: \/\/evil/i, 'header injection through the path');
        }
    });

    test('percent-encoded non-ASCII UTF-8 in the path is fine (e.g. %C3%A9): not 400', async () => {
        const r = await raw(`GET /organisaties/caf%C3%A9 HTTP/1.1\r\n${H}\r\n`);
        assert.notEqual(r.status, 400, `got ${r.status}`);
        assert.ok(r.status < 500);
    });

    test('NUL in a query value or form field: 400', async () => {
        const r = await raw(`GET /inloggen?terug=%00 HTTP/1.1\r\n${H}\r\n`);
        assert.equal(r.status, 400, r.raw.slice(0, 300));
        const { cookie, token } = await anonCsrf();
        const body = `login=a%00b&password=x&csrf=${token}`;
        const r2 = await raw(
            `POST /inloggen HTTP/1.1\r\n${H}${FORM}Cookie: ${cookie}\r\nContent-Length: ${body.length}\r\n\r\n${body}`
        );
        assert.equal(r2.status, 400, r2.raw.slice(0, 300));
    });

    test('raw NUL bytes in the request line and in a header value: no 2xx for the request line, no crash', async () => {
        const r = await raw(Buffer.from(`GET /gez\0ondheid HTTP/1.1\r\n${H}\r\n`, 'latin1'));
        assert.ok(r.status === 0 || (r.status >= 400 && r.status < 500), `request line: got ${r.status}`);
        const r2 = await raw(Buffer.from(`GET /gezondheid HTTP/1.1\r\n${H}X-Test: a\0b\r\n\r\n`, 'latin1'));
        assert.ok(r2.status === 0 || r2.status < 500, `header value: got ${r2.status}`);
        const r3 = await raw(Buffer.from(`GET / HTTP/1.1\r\n${H}Cookie: duiding_sessie=\0${'a'.repeat(42)}\r\n\r\n`, 'latin1'));
        assert.ok(r3.status === 0 || r3.status < 500, `cookie: got ${r3.status}`);
        assert.notEqual(r3.status, 200, 'a NUL-prefixed cookie must not log anyone in');
    });

    test('the server is still healthy', () => assertAlive('encoding cases'));
});

describe('body limits', () => {
    test('a form body over 1 MiB announced by Content-Length: 413 before the body is sent', async () => {
        const r = await raw(`POST /inloggen HTTP/1.1\r\n${H}${FORM}Content-Length: ${2 * 1024 * 1024}\r\n\r\n`);
        assert.equal(r.status, 413, r.raw.slice(0, 300));
    });

    test('exactly 1 MiB + 1 byte announced: 413', async () => {
        const r = await raw(`POST /inloggen HTTP/1.1\r\n${H}${FORM}Content-Length: ${1024 * 1024 + 1}\r\n\r\n`);
        assert.equal(r.status, 413, r.raw.slice(0, 300));
    });

    test('an API body over 1 MiB: 413 as application/problem+json', async () => {
        const r = await raw(
            `POST /api/v1/organisaties HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: ${5 * 1024 * 1024}\r\n\r\n`
        );
        assert.equal(r.status, 413, r.raw.slice(0, 300));
        assert.match(r.headers['content-type'] ?? '', /application\/problem\+json/);
    });

    test('a body over 1 MiB actually sent (not just announced) is refused, no crash', async () => {
        const big = 'x'.repeat(1024 * 1024 + 10);
        const r = await raw(
            `POST /inloggen HTTP/1.1\r\n${H}${FORM}Content-Length: ${big.length}\r\n\r\n${big}`,
            { timeoutMs: 8000 }
        );
        assert.ok(r.status === 413 || r.status === 0, `got ${r.status}`);
        await assertAlive('a 1 MiB body');
    });

    test('a chunked body growing past 1 MiB: the connection is closed, no success answer', async () => {
        const result = await new Promise((resolve) => {
            const sock = net.connect({ host: '127.0.0.1', port: srv.port });
            const parts = [];
            let closed = false;
            let sent = 0;
            const chunk = 'y'.repeat(64 * 1024);
            const t0 = Date.now();
            const finish = () => {
                clearTimeout(timer);
                sock.destroy();
                resolve({ closed, sent, text: Buffer.concat(parts).toString('latin1'), ms: Date.now() - t0 });
            };
            const timer = setTimeout(finish, 10_000);
            sock.on('data', (d) => parts.push(d));
            sock.on('error', () => {});
            sock.on('close', () => {
                closed = true;
                finish();
            });
            sock.on('connect', async () => {
                sock.write(`POST /inloggen HTTP/1.1\r\n${H}${FORM}Transfer-Encoding: chunked\r\n\r\n`);
                // 40 chunks of 64 KiB = 2.5 MiB, far past the limit.
                for (let i = 0; i < 40 && !closed; i++) {
                    const ok = sock.write(`${(64 * 1024).toString(16)}\r\n${chunk}\r\n`);
                    sent += 64 * 1024;
                    if (!ok) await new Promise((r) => { sock.once('drain', r); sock.once('close', r); });
                }
                if (!closed) sock.write('0\r\n\r\n');
            });
        });
        assert.ok(result.closed, `the connection stayed open after ${result.sent} bytes`);
        const st = statuses(result.text);
        assert.ok(!st.some((s) => s < 400), `a chunked body past 1 MiB got ${st.join(', ')}`);
        await assertAlive('an oversized chunked body');
    });

    test('a chunked body under the limit is accepted (framing works)', async () => {
        const { cookie, token } = await anonCsrf();
        const body = `login=&password=&csrf=${token}`;
        const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
        const r = await raw(`POST /inloggen HTTP/1.1\r\n${H}${FORM}Cookie: ${cookie}\r\nTransfer-Encoding: chunked\r\n\r\n${chunked}`);
        // Empty login and password: the login form answers 401 with its message, not 400/413.
        assert.ok([401, 200].includes(r.status), `got ${r.status}: ${r.raw.slice(0, 300)}`);
    });

    test('more than 200 form fields: refused with 4xx', async () => {
        const { cookie, token } = await anonCsrf();
        const body = `csrf=${token}&` + Array.from({ length: 300 }, (_, i) => `f${i}=1`).join('&');
        const r = await raw(
            `POST /inloggen HTTP/1.1\r\n${H}${FORM}Cookie: ${cookie}\r\nContent-Length: ${body.length}\r\n\r\n${body}`
        );
        assert.ok([400, 413].includes(r.status), `got ${r.status}`);
    });

    test('the server is still healthy', () => assertAlive('body limits'));
});

describe('slow clients', () => {
    test('slowloris: 50 sockets dribbling headers do not slow down a normal client', async () => {
        const sockets = [];
        let stop = false;
        for (let i = 0; i < 50; i++) {
            const s = net.connect({ host: '127.0.0.1', port: srv.port });
            s.on('error', () => {});
            s.on('connect', () => s.write(`GET /?slow=${i} HTTP/1.1\r\n${H}`));
            sockets.push(s);
        }
        const dribble = (async () => {
            let n = 0;
            while (!stop) {
                await sleep(500);
                for (const s of sockets) if (!s.destroyed) s.write(`X-Slow-${n}: ${n}\r\n`);
                n++;
            }
        })();
        try {
            await sleep(300);
            const times = [];
            for (let i = 0; i < 20; i++) {
                const t0 = Date.now();
                const res = await fetch(`${srv.url}/gezondheid`, { signal: AbortSignal.timeout(5000) });
                assert.equal(res.status, 200);
                await res.text();
                times.push(Date.now() - t0);
                await sleep(100);
            }
            times.sort((a, b) => a - b);
            const max = times[times.length - 1];
            assert.ok(max < 1000, `slowest /gezondheid under slowloris took ${max} ms (all: ${times.join(',')})`);
            // The login page too (session lookup, template): still fast.
            const t0 = Date.now();
            const page = await fetch(`${srv.url}/inloggen`, { signal: AbortSignal.timeout(5000) });
            assert.equal(page.status, 200);
            await page.text();
            assert.ok(Date.now() - t0 < 1000, `/inloggen under slowloris took ${Date.now() - t0} ms`);
        } finally {
            stop = true;
            await dribble;
            for (const s of sockets) s.destroy();
        }
    });

    test('an idle connection that never sends anything does not block others', async () => {
        const idle = Array.from({ length: 20 }, () => {
            const s = net.connect({ host: '127.0.0.1', port: srv.port });
            s.on('error', () => {});
            return s;
        });
        try {
            await sleep(200);
            await assertAlive('20 idle connections', 1000);
        } finally {
            for (const s of idle) s.destroy();
        }
    });

    test('a client that sends the request and never reads does not block others', async () => {
        const hogs = Array.from({ length: 10 }, () => {
            const s = net.connect({ host: '127.0.0.1', port: srv.port });
            s.on('error', () => {});
            s.on('connect', () => {
                s.pause();
                for (let i = 0; i < 50; i++) s.write(`GET /inloggen HTTP/1.1\r\n${H}\r\n`);
            });
            return s;
        });
        try {
            await sleep(500);
            await assertAlive('clients that never read', 1500);
        } finally {
            for (const s of hogs) s.destroy();
        }
    });
});

describe('security headers and cookies', () => {
    function assertSecurityHeaders(res, where) {
        const csp = res.headers.get('content-security-policy');
        assert.ok(csp, `${where}: Content-Security-Policy missing`);
        assert.doesNotMatch(csp, /'unsafe-inline'/, `${where}: CSP allows inline code: ${csp}`);
        assert.doesNotMatch(csp, /'unsafe-eval'/, `${where}: CSP allows eval: ${csp}`);
        assert.match(csp, /frame-ancestors 'none'/, `${where}: ${csp}`);
        assert.match(csp, /(^|;)\s*(default-src|script-src) 'self'/, `${where}: ${csp}`);
        assert.match(csp, /object-src 'none'/, `${where}: ${csp}`);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${where}: X-Content-Type-Options`);
        const rp = res.headers.get('referrer-policy');
        assert.ok(
            ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(rp),
            `${where}: Referrer-Policy is ${rp}`
        );
        assert.ok(res.headers.get('x-request-id'), `${where}: X-Request-Id missing`);
    }

    /** HTML that a CSP without 'unsafe-inline' would break: inline scripts, handlers, styles. */
    function assertCspCompatible(html, where) {
        const inlineScript = html.match(/<script\b(?![^>]*\bsrc=)[^>]*>/i);
        assert.ok(!inlineScript, `${where}: inline <script> (blocked by the CSP): ${inlineScript?.[0]}`);
        const handler = html.match(/<[^>]+\son[a-z]+\s*=/i);
        assert.ok(!handler, `${where}: inline event handler: ${handler?.[0]}`);
        const style = html.match(/<[^>]+\sstyle\s*=/i);
        assert.ok(!style, `${where}: inline style attribute (blocked by style-src 'self'): ${style?.[0]}`);
        assert.ok(!/javascript:/i.test(html), `${where}: javascript: URL`);
    }

    test('anonymous HTML pages carry the security headers', async () => {
        for (const p of ['/inloggen', '/toegankelijkheid', '/bestaat-niet']) {
            const res = await fetch(`${srv.url}${p}`, { redirect: 'manual' });
            const html = await res.text();
            assert.match(res.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/i, p);
            assertSecurityHeaders(res, p);
            assert.match(res.headers.get('cache-control') ?? '', /no-store/, `${p}: Cache-Control`);
            assertCspCompatible(html, p);
        }
    });

    test('logged-in HTML pages carry the security headers and work under the CSP', async () => {
        const pages = {
            beheerder: ['/', '/organisaties', '/organisaties/nieuw', '/resultaten', '/gebruikers', '/gebruikers/nieuw',
                '/audit', '/account', '/account/wachtwoord', '/account/tokens', '/bestaat-niet', '/resultaten/nieuw'],
            'beleid.emmen': ['/', '/resultaten/nieuw', '/resultaten'],
        };
        for (const [who, paths] of Object.entries(pages)) {
            const cookie = await login(srv.url, who, DEMO_PASSWORD);
            // Detail and edit pages: follow the first links of the lists.
            const extra = [];
            for (const list of ['/organisaties', '/gebruikers', '/resultaten']) {
                const html = await (await fetch(`${srv.url}${list}`, { headers: { cookie } })).text();
                const m = html.match(new RegExp(`href="(${list}/\\d+)"`));
                if (m) extra.push(m[1], `${m[1]}/bewerken`);
            }
            assert.ok(extra.length >= 2, `${who}: no detail links found on the list pages`);
            for (const p of [...paths, ...extra]) {
                const res = await fetch(`${srv.url}${p}`, { headers: { cookie }, redirect: 'manual' });
                const html = await res.text();
                assert.ok(res.status < 500, `${who} ${p}: ${res.status}`);
                assertSecurityHeaders(res, `${who} ${p}`);
                assert.match(res.headers.get('cache-control') ?? '', /no-store/, `${p}: Cache-Control`);
                if (/text\/html/.test(res.headers.get('content-type') ?? '')) assertCspCompatible(html, `${who} ${p}`);
            }
        }
    });

    test('API answers and raw rejections carry the security headers too', async () => {
        const res = await fetch(`${srv.url}/api/v1/organisaties`);
        await res.text();
        assertSecurityHeaders(res, '/api/v1/organisaties');
        const r = await raw(`GET /organisaties%FF HTTP/1.1\r\n${H}\r\n`);
        assert.equal(r.headers['x-content-type-options'], 'nosniff', 'on a 400 rejection');
        assert.match(r.headers['content-security-policy'] ?? '', /frame-ancestors 'none'/, 'on a 400 rejection');
    });

    test('session cookie: HttpOnly, SameSite=Lax, Path=/, no long lifetime; csrf cookie HttpOnly too', async () => {
        const page = await fetch(`${srv.url}/inloggen`);
        const jar = new CookieJar().update(page);
        const csrfCookie = page.headers.getSetCookie().find((c) => c.startsWith('duiding_csrf='));
        assert.ok(csrfCookie, 'GET /inloggen sets duiding_csrf');
        assert.match(csrfCookie, /;\s*HttpOnly/i);
        assert.match(csrfCookie, /;\s*SameSite=Lax/i);
        const token = formField(await page.text(), 'csrf');
        const res = await fetch(`${srv.url}/inloggen`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
            body: new URLSearchParams({ login: 'raad.emmen', password: DEMO_PASSWORD, csrf: token }).toString(),
        });
        await res.text();
        assert.equal(res.status, 303);
        const sc = res.headers.getSetCookie().find((c) => c.startsWith('duiding_sessie='));
        assert.ok(sc, `no duiding_sessie cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
        assert.match(sc, /;\s*HttpOnly(;|$)/i, sc);
        assert.match(sc, /;\s*SameSite=Lax(;|$)/i, sc);
        assert.match(sc, /;\s*Path=\/(;|$)/i, sc);
        assert.doesNotMatch(sc, /;\s*Domain=/i, `no Domain attribute: ${sc}`);
        const value = sc.split(';')[0].split('=')[1];
        assert.ok(value.length >= 43, `session id has at least 256 bits: ${value.length} chars`);
        assert.match(value, /^[A-Za-z0-9_-]+$/, 'session id is base64url');
        assert.notEqual(value, jar.get('duiding_sessie'), 'a fresh session id on login');
    });

    test('a session cookie planted before login is replaced (no session fixation)', async () => {
        const planted = 'A'.repeat(43);
        const page = await fetch(`${srv.url}/inloggen`, { headers: { cookie: `duiding_sessie=${planted}` } });
        const jar = new CookieJar(`duiding_sessie=${planted}`).update(page);
        const token = formField(await page.text(), 'csrf');
        const res = await fetch(`${srv.url}/inloggen`, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
            body: new URLSearchParams({ login: 'raad.emmen', password: DEMO_PASSWORD, csrf: token }).toString(),
        });
        await res.text();
        jar.update(res);
        assert.equal(res.status, 303);
        assert.ok(jar.get('duiding_sessie'), 'logged in');
        assert.notEqual(jar.get('duiding_sessie'), planted, 'the planted session id was kept');
    });

    test('the server is still healthy at the end', () => assertAlive('everything'));
});
