// Smoke test: a freshly initialised server answers its health check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

let srv;
before(async () => {
    srv = await startServer({ demo: false });
});
after(async () => {
    await srv?.stop();
});

test('GET /gezondheid answers 200 ok', async () => {
    const res = await fetch(`${srv.url}/gezondheid`);
    assert.equal(res.status, 200);
    assert.equal((await res.text()).trim(), 'ok');
});

test('the server logs evt=server.start; request lines carry no client IP address', async () => {
    await fetch(`${srv.url}/gezondheid`);
    const logs = srv.logs();
    assert.match(logs, /evt=server\.start/);
    const requestLines = logs.split('\n').filter((l) => !/evt=server\.start/.test(l));
    for (const line of requestLines) assert.doesNotMatch(line, /127\.0\.0\.1/, line);
});
