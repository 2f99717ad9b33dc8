// import.test.mjs: data intake over HTTP against a real server: the web upload form (multipart,
// CSRF in the action's query string), the progress JSON, the batch report and its counts, a
// duplicate upload, the correction file, undo, and the API (/api/v1/aanleveringen) with and
// without the token scope "import". Also the streaming guards: an anonymous upload is refused
// before its body is read, an oversized one gets 413, a missing CSRF token 403, and no temp file
// is left behind.
//
// Input: the real iJw 3.2 sample messages (SHARED_DIR/external/istandaarden/ijw-3.2/berichten),
// zipped with the zip CLI, plus a copy of JW301 made hostile (an unknown AGB code) for
// rejections. The server's data directory gets the gemeenten and aanbieders the samples name,
// and upload_max_mb = 1 so the size limit can be tested with a small body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, appendFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, runCli, rawRequest, parseRawResponse, SHARED_DIR } from '../lib/server.mjs';
import { session, get } from './fixtures.mjs';
import { checkAnswer } from '../lib/openapi.mjs';

const SAMPLES = path.join(SHARED_DIR, 'external/istandaarden/ijw-3.2/berichten');
const API = '/api/v1';

let dataDir;
let tmp;
let srv;
let admin; // {cookie, csrf} of the beheerder
let zipBytes; // the sample messages as one zip
let batchId; // the batch of the web upload
let importToken; // API token of the beheerder with read + import
let writeToken; // API token of the beheerder with read + write, no import

before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'duiding-import-'));
    dataDir = path.join(tmp, 'data');
    const demo = await runCli(['demo', '-d', dataDir, '--omvang', 'klein']);
    assert.equal(demo.code, 0, `demo failed:\n${demo.stdout}${demo.stderr}`);
    // The organisations the sample messages name: gemeenten Diemen (0384) and Amsterdam
    // (0363), aanbieders with AGB 42420001 and 65656055.
    for (const args of [
        ['--kind', 'gemeente', '--name', 'Diemen', '--cbs', 'GM0384'],
        ['--kind', 'gemeente', '--name', 'Amsterdam', '--cbs', 'GM0363'],
        ['--kind', 'aanbieder', '--name', 'Jeugdhulp Voorbeeld', '--agb', '42420001'],
        ['--kind', 'aanbieder', '--name', 'Zorg Voorbeeld', '--agb', '65656055'],
    ]) {
        const r = await runCli(['-d', dataDir, 'org', 'add', ...args]);
        assert.equal(r.code, 0, `org add ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
    }
    await appendFile(path.join(dataDir, 'duiding.conf'), '\nupload_max_mb = 1\n');
    const zipPath = path.join(tmp, 'berichten.zip');
    const files = (await readdir(SAMPLES)).filter((f) => f.endsWith('.xml')).sort();
    assert.ok(files.length >= 10, `expected the sample messages in ${SAMPLES}`);
    execFileSync('zip', ['-q', '-j', zipPath, ...files.map((f) => path.join(SAMPLES, f))]);
    zipBytes = await readFile(zipPath);

    srv = await startServer({ dataDir });
    admin = await session(srv.url, 'beheerder');
    importToken = await makeToken(admin, 'import-test aanleveren', ['read', 'import']);
    writeToken = await makeToken(admin, 'import-test schrijven', ['read', 'write']);
});

after(async () => {
    await srv?.stop();
    if (tmp && !process.env.DUIDING_KEEP_TEST_DATA) await rm(tmp, { recursive: true, force: true });
});

/** Creates an API token through the account page; resolves the secret "dui_...". */
async function makeToken(who, label, scopes) {
    const body = new URLSearchParams({ label, dagen: '1', csrf: who.csrf });
    for (const s of scopes) body.append('rechten', s);
    const res = await fetch(`${srv.url}/account/tokens`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
    });
    let text = await res.text();
    if (res.status === 303) text = (await get(srv.url, res.headers.get('location'), who.cookie)).text;
    const m = text.match(/dui_[A-Za-z0-9_-]{20,}/);
    assert.ok(m, `no token in the answer to POST /account/tokens (HTTP ${res.status})`);
    return m[0];
}

/** The upload form's action (with its ?csrf=...) as the page gives it. */
async function uploadAction(who) {
    const { res, text } = await get(srv.url, '/gegevens/aanleveren', who.cookie);
    assert.equal(res.status, 200);
    const m = text.match(/<form[^>]*enctype="multipart\/form-data"[^>]*action="([^"]+)"/) ||
        text.match(/<form[^>]*action="([^"]+)"[^>]*enctype="multipart\/form-data"/);
    assert.ok(m, 'the upload page has a multipart form');
    return m[1].replace(/&amp;/g, '&');
}

/** POSTs the upload form: fields plus one file (bytes, name). Resolves the Response. */
async function postUpload(who, action, bytes, name, fields = { soort: 'automatisch' }) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (bytes) form.append('bestand', new Blob([bytes]), name);
    return fetch(srv.url + action, { method: 'POST', redirect: 'manual', headers: { cookie: who.cookie }, body: form });
}

/** Polls /gegevens/taken/{id}.json until the job is over; resolves the last status. */
async function waitForJob(who, jobId, timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    const seen = [];
    for (;;) {
        const { res, text } = await get(srv.url, `/gegevens/taken/${jobId}.json`, who.cookie);
        assert.equal(res.status, 200, text);
        assert.match(res.headers.get('content-type'), /^application\/json/);
        last = JSON.parse(text);
        seen.push(last);
        assert.ok(['wachtrij', 'bezig', 'klaar', 'mislukt'].includes(last.status), text);
        assert.ok(last.percentage >= -1 && last.percentage <= 100, text);
        if (last.klaar) return { last, seen };
        if (Date.now() > deadline) throw new Error(`job ${jobId} not done: ${text}`);
        await new Promise((r) => setTimeout(r, 200));
    }
}

/** One API call relative to /api/v1; checks the answer against openapi.json. */
async function api(method, p, { token, who, body, contentType, headers = {} } = {}) {
    const h = { accept: 'application/json', ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    if (who) {
        h.cookie = who.cookie;
        if (method !== 'GET') h['x-csrf-token'] = who.csrf;
    }
    if (contentType) h['content-type'] = contentType;
    const res = await fetch(srv.url + API + p, { method, headers: h, body, redirect: 'manual' });
    const text = await res.text();
    let json;
    try {
        json = JSON.parse(text);
    } catch {
        json = undefined;
    }
    assert.equal(res.headers.get('api-version'), '0.1.0');
    checkAnswer(method, p, res.status, json);
    return { status: res.status, headers: res.headers, json, text };
}

/** The JW301 sample with its receiving aanbieder replaced by an AGB code duiding does not know. */
async function hostileMessage(tag) {
    const xml = await readFile(path.join(SAMPLES, 'JW301.xml'), 'utf8');
    const bad = xml.replace('<jw301:Ontvanger>42420001</jw301:Ontvanger>', '<jw301:Ontvanger>11111111</jw301:Ontvanger>');
    assert.notEqual(bad, xml);
    return Buffer.from(`${bad}\n<!-- ${tag} -->\n`);
}

const countsOf = (html) => {
    const m = html.replace(/&nbsp;|\u00a0/g, ' ').match(/([\d.]+) gelezen = ([\d.]+) geaccepteerd \+ ([\d.]+) afgewezen \+ ([\d.]+) overgeslagen/);
    assert.ok(m, 'the report shows "gelezen = geaccepteerd + afgewezen + overgeslagen"');
    return m.slice(1).map((x) => Number(x.replace(/\./g, '')));
};

test('web upload of the sample messages: progress JSON, then the batch report with counts that add up', async () => {
    const action = await uploadAction(admin);
    assert.match(action, /^\/gegevens\/aanleveren\?csrf=[A-Za-z0-9_-]+$/);
    const res = await postUpload(admin, action, zipBytes, 'berichten-voorbeeld.zip');
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    const m = res.headers.get('location').match(/^\/gegevens\/taken\/([0-9a-f]{32})$/);
    assert.ok(m, `redirect to the progress page, got ${res.headers.get('location')}`);
    const { last } = await waitForJob(admin, m[1]);
    assert.equal(last.status, 'klaar', JSON.stringify(last));
    assert.equal(last.percentage, 100);
    const dm = last.doel.match(/^\/gegevens\/batches\/(\d+)\?melding=ingelezen$/);
    assert.ok(dm, `doel is the report: ${last.doel}`);
    batchId = Number(dm[1]);
    assert.ok(last.records > 0);

    // Without JavaScript the progress page itself now redirects to the report.
    const prog = await get(srv.url, `/gegevens/taken/${m[1]}`, admin.cookie);
    assert.equal(prog.res.status, 303);
    assert.equal(prog.res.headers.get('location'), last.doel);

    const rep = await get(srv.url, last.doel, admin.cookie);
    assert.equal(rep.res.status, 200);
    assert.match(rep.text, /berichten-voorbeeld\.zip/);
    assert.match(rep.text, /Het bestand is ingelezen/);
    const [read, accepted, rejected, skipped] = countsOf(rep.text);
    assert.equal(read, accepted + rejected + skipped);
    assert.ok(accepted > 0, `some sample records are accepted (read ${read}, rejected ${rejected})`);

    // The API tells the same story.
    const a = await api('GET', `/aanleveringen/${batchId}`, { token: importToken });
    assert.equal(a.status, 200);
    assert.equal(a.json.via, 'web');
    assert.equal(a.json.status, 'actief');
    assert.equal(a.json.soort, 'berichten');
    assert.equal(a.json.bestandsnaam, 'berichten-voorbeeld.zip');
    assert.equal(a.json.bytes, zipBytes.length);
    const c = a.json.aantallen;
    assert.deepEqual([c.gelezen, c.geaccepteerd, c.afgewezen, c.overgeslagen], [read, accepted, rejected, skipped]);
    assert.ok(c.trajecten > 0, 'trajectories were built');
    assert.match(rep.text, new RegExp(a.json.sha256));

    // It is in the overview, and the navigation offers "Gegevens" to the beheerder.
    const ov = await get(srv.url, '/gegevens', admin.cookie);
    assert.equal(ov.res.status, 200);
    assert.match(ov.text, new RegExp(`href="/gegevens/batches/${batchId}"`));
    assert.match(ov.text, /<a class="utrecht-nav-list__link" href="\/gegevens"/);
});

test('uploading the same file again changes nothing and says which batch has it', async () => {
    assert.ok(batchId, 'needs the first upload');
    const before = await api('GET', '/aanleveringen', { token: importToken });
    const res = await postUpload(admin, await uploadAction(admin), zipBytes, 'nog-een-keer.zip');
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    const jobId = res.headers.get('location').split('/').pop();
    const { last } = await waitForJob(admin, jobId);
    assert.equal(last.status, 'klaar');
    assert.equal(last.doel, `/gegevens/taken/${jobId}`, 'a duplicate stays on the progress page');
    const page = await get(srv.url, `/gegevens/taken/${jobId}`, admin.cookie);
    assert.equal(page.res.status, 200);
    assert.match(page.text, new RegExp(`Dit bestand is al ingelezen in batch ${batchId}; er is niets veranderd\\.`));
    assert.match(page.text, new RegExp(`href="/gegevens/batches/${batchId}"`));
    assert.doesNotMatch(page.text, /http-equiv="refresh"/, 'a finished job does not reload itself');
    const after = await api('GET', '/aanleveringen', { token: importToken });
    assert.equal(after.json.totaal, before.json.totaal);
});

test('a job is only visible to the user who started it', async () => {
    const res = await postUpload(admin, await uploadAction(admin), await hostileMessage('eigenaar'), 'eigenaar.xml');
    await res.arrayBuffer();
    const jobId = res.headers.get('location').split('/').pop();
    await waitForJob(admin, jobId);
    const other = await session(srv.url, 'beleid.emmen');
    for (const p of [`/gegevens/taken/${jobId}`, `/gegevens/taken/${jobId}.json`]) {
        const r = await get(srv.url, p, other.cookie);
        assert.equal(r.res.status, 404, p);
    }
    assert.equal((await get(srv.url, `/gegevens/taken/${'0'.repeat(32)}`, admin.cookie)).res.status, 404);
});

test('API delivery with an import token: 201 report, rejections, correction file, duplicate 200', async () => {
    const bytes = await hostileMessage('api');
    const r = await api('POST', '/aanleveringen?bestandsnaam=../../map/JW301-fout.xml&soort=berichten', {
        token: importToken,
        body: bytes,
        contentType: 'application/xml',
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('location'), `${API}/aanleveringen/${r.json.id}`);
    assert.equal(r.json.bestandsnaam, 'JW301-fout.xml', 'the name is reduced to its last part');
    assert.equal(r.json.via, 'api');
    const c = r.json.aantallen;
    assert.equal(c.gelezen, c.geaccepteerd + c.afgewezen + c.overgeslagen);
    assert.ok(c.afgewezen >= 1, `the unknown AGB code is rejected: ${r.text}`);
    const id = r.json.id;

    const rej = await api('GET', `/aanleveringen/${id}/afwijzingen`, { token: importToken });
    assert.equal(rej.status, 200);
    assert.equal(rej.json.totaal, c.afgewezen + c.overgeslagen);
    const first = rej.json.items[0];
    assert.equal(first.uitkomst, 'afgewezen');
    assert.ok(first.reden.length > 0);
    assert.match(first.reden, /11111111|AGB|aanbieder/i, `the reason names the problem: ${first.reden}`);

    // The report page lists it with its location, and offers the correction file.
    const page = await get(srv.url, `/gegevens/batches/${id}`, admin.cookie);
    assert.equal(page.res.status, 200);
    assert.match(page.text, /Afgewezen en overgeslagen records/);
    assert.ok(page.text.includes(first.reden.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').slice(0, 40)));
    assert.match(page.text, new RegExp(`href="/gegevens/batches/${id}/correctiebestand"`));

    const cf = await fetch(`${srv.url}/gegevens/batches/${id}/correctiebestand`, { headers: { cookie: admin.cookie } });
    const csv = Buffer.from(await cf.arrayBuffer());
    assert.equal(cf.status, 200);
    assert.match(cf.headers.get('content-type'), /^text\/csv/);
    assert.match(cf.headers.get('content-disposition'), /^attachment; filename="[A-Za-z0-9._-]+"$/);
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
    const text = csv.toString('utf8');
    assert.match(text, /;/);
    assert.match(text, /\r\n/);
    assert.ok(text.includes(first.reden.slice(0, 30)), 'the correction file carries the reason');
    assert.doesNotMatch(text, /999900006/, 'no BSN in the correction file');

    // The same bytes again: 200 with the existing batch, nothing new.
    const dup = await api('POST', '/aanleveringen?bestandsnaam=nogmaals.xml', {
        token: importToken,
        body: bytes,
        contentType: 'application/octet-stream',
    });
    assert.equal(dup.status, 200, dup.text);
    assert.equal(dup.json.id, id);
});

test('API delivery needs the import scope, a file name and a file type', async () => {
    const body = await hostileMessage('scope');
    const denied = await api('POST', '/aanleveringen?bestandsnaam=x.xml', { token: writeToken, body, contentType: 'application/xml' });
    assert.equal(denied.status, 403, denied.text);
    const noName = await api('POST', '/aanleveringen', { token: importToken, body, contentType: 'application/xml' });
    assert.equal(noName.status, 400);
    assert.equal(noName.json.invalidParams[0].name, 'bestandsnaam');
    const badKind = await api('POST', '/aanleveringen?bestandsnaam=x.xml&soort=plaatjes', { token: importToken, body, contentType: 'application/xml' });
    assert.equal(badKind.status, 400);
    const badType = await api('POST', '/aanleveringen?bestandsnaam=x.xml', { token: importToken, body, contentType: 'image/png' });
    assert.equal(badType.status, 415);
    const empty = await api('POST', '/aanleveringen?bestandsnaam=x.xml', { token: importToken, body: '', contentType: 'application/xml' });
    assert.equal(empty.status, 400);
    const junk = await api('POST', '/aanleveringen?bestandsnaam=onzin.bin', {
        token: importToken,
        body: Buffer.from('dit is geen bericht, geen zip en geen tabel\u0000\u0001'),
        contentType: 'application/octet-stream',
    });
    assert.equal(junk.status, 422, junk.text);
    assert.ok(junk.json.detail.length > 0);
    assert.ok(Number.isInteger(junk.json.aanleveringId));
    const failed = await api('GET', `/aanleveringen/${junk.json.aanleveringId}`, { token: importToken });
    assert.equal(failed.json.status, 'mislukt');
    assert.equal(failed.json.aantallen.geaccepteerd, 0);
});

test('a session uploading through the API needs X-CSRF-Token; without it 403 before the body', async () => {
    const body = await hostileMessage('csrf-api');
    const res = await fetch(`${srv.url}${API}/aanleveringen?bestandsnaam=x.xml`, {
        method: 'POST',
        headers: { cookie: admin.cookie, 'content-type': 'application/xml' },
        body,
    });
    assert.equal(res.status, 403);
    assert.match(res.headers.get('content-type'), /^application\/problem\+json/);
});

test('undo: confirmation page, then the batch is undone; a second undo is a conflict', async () => {
    const bytes = Buffer.concat([await readFile(path.join(SAMPLES, 'JW305.xml')), Buffer.from('\n<!-- ongedaan -->\n')]);
    const r = await api('POST', '/aanleveringen?bestandsnaam=JW305.xml', { token: importToken, body: bytes, contentType: 'application/xml' });
    assert.equal(r.status, 201, r.text);
    const id = r.json.id;
    const confirm = await get(srv.url, `/gegevens/batches/${id}/ongedaan-maken`, admin.cookie);
    assert.equal(confirm.res.status, 200);
    assert.match(confirm.text, new RegExp(`action="/gegevens/batches/${id}/ongedaan-maken"`));
    assert.match(confirm.text, /name="csrf"/);

    // Without the CSRF token nothing happens.
    const noCsrf = await fetch(`${srv.url}/gegevens/batches/${id}/ongedaan-maken`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
    });
    await noCsrf.arrayBuffer();
    assert.equal(noCsrf.status, 403);

    const res = await fetch(`${srv.url}/gegevens/batches/${id}/ongedaan-maken`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: admin.csrf }).toString(),
    });
    await res.arrayBuffer();
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/gegevens/batches/${id}?melding=ongedaan`);
    const page = await get(srv.url, res.headers.get('location'), admin.cookie);
    assert.match(page.text, /De aanlevering is ongedaan gemaakt/);
    assert.doesNotMatch(page.text, /ongedaan-maken"/, 'no undo button on an undone batch');
    const a = await api('GET', `/aanleveringen/${id}`, { token: importToken });
    assert.equal(a.json.status, 'ongedaan');
    assert.ok(a.json.ongedaanOp);
    const again = await api('POST', `/aanleveringen/${id}/ongedaan-maken`, { who: admin });
    assert.equal(again.status, 409);
    // Undone, the same file may be delivered again and counts as new.
    const redo = await api('POST', '/aanleveringen?bestandsnaam=JW305.xml', { token: importToken, body: bytes, contentType: 'application/xml' });
    assert.equal(redo.status, 201, redo.text);
    assert.notEqual(redo.json.id, id);
});

test('anonymous uploads are refused from the headers alone, before the body', async () => {
    // A huge declared body and three bytes sent: the answer must come at once.
    const t0 = Date.now();
    const raw = await rawRequest(
        srv.port,
        'POST /api/v1/aanleveringen?bestandsnaam=x.zip HTTP/1.1\r\nHost: x\r\nContent-Type: application/zip\r\n' +
            'Content-Length: 1000000000\r\n\r\nabc',
        { timeoutMs: 5000 }
    );
    const r = parseRawResponse(raw);
    assert.equal(r.status, 401, raw.slice(0, 300));
    assert.ok(Date.now() - t0 < 3000, 'answered without waiting for the body');
    const page = parseRawResponse(
        await rawRequest(
            srv.port,
            'POST /gegevens/aanleveren HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=zz\r\n' +
                'Content-Length: 1000000000\r\n\r\n--zz\r\n',
            { timeoutMs: 5000 }
        )
    );
    assert.equal(page.status, 303);
    assert.match(page.headers.location, /^\/inloggen\?terug=/);
});

test('a missing or wrong CSRF token on the upload form is 403 before the body', async () => {
    // A large declared body is refused at once; a small one (like the forms below) is read and
    // dropped first, so that an ordinary client sees the 403 instead of a broken connection.
    const t0 = Date.now();
    const raw = await rawRequest(
        srv.port,
        `POST /gegevens/aanleveren HTTP/1.1\r\nHost: x\r\nCookie: ${admin.cookie}\r\n` +
            'Content-Type: multipart/form-data; boundary=zz\r\nContent-Length: 5000000\r\n\r\n--zz\r\n',
        { timeoutMs: 5000 }
    );
    assert.equal(parseRawResponse(raw).status, 403, raw.slice(0, 300));
    assert.ok(Date.now() - t0 < 3000);
    const wrong = await postUpload(admin, '/gegevens/aanleveren?csrf=nietgoed', zipBytes, 'x.zip');
    await wrong.arrayBuffer();
    assert.equal(wrong.status, 403);
    // The CSRF token in the form body is not enough: the body is not read before the check.
    const inBody = await postUpload(admin, '/gegevens/aanleveren', zipBytes, 'x.zip', { csrf: admin.csrf });
    await inBody.arrayBuffer();
    assert.equal(inBody.status, 403);
});

test('an upload above upload_max_mb is refused with 413 (declared size: before the body)', async () => {
    const action = await uploadAction(admin);
    const t0 = Date.now();
    const raw = await rawRequest(
        srv.port,
        `POST ${action} HTTP/1.1\r\nHost: x\r\nCookie: ${admin.cookie}\r\n` +
            'Content-Type: multipart/form-data; boundary=zz\r\nContent-Length: 50000000\r\n\r\n--zz\r\n',
        { timeoutMs: 5000 }
    );
    const r = parseRawResponse(raw);
    assert.equal(r.status, 413, raw.slice(0, 300));
    assert.match(r.body, /te groot/);
    assert.ok(Date.now() - t0 < 3000);
    const apiRaw = await rawRequest(
        srv.port,
        `POST /api/v1/aanleveringen?bestandsnaam=groot.zip HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${importToken}\r\n` +
            'Content-Type: application/zip\r\nContent-Length: 2000000\r\n\r\nPK',
        { timeoutMs: 5000 }
    );
    assert.equal(parseRawResponse(apiRaw).status, 413, apiRaw.slice(0, 300));

    // A body that really is too big (1.5 MB, sent in full): refused, nothing stored.
    const big = Buffer.alloc(1_500_000, 0x41);
    const res = await fetch(`${srv.url}${API}/aanleveringen?bestandsnaam=groot.csv`, {
        method: 'POST',
        headers: { authorization: `Bearer ${importToken}`, 'content-type': 'text/csv' },
        body: big,
    }).catch((err) => ({ status: 'closed', err }));
    if (res.status !== 'closed') {
        await res.arrayBuffer();
        assert.equal(res.status, 413);
    }
});

test('hostile multipart: two files, a cut-off body, no boundary: 400, and nothing is kept', async () => {
    const action = await uploadAction(admin);
    const form = new FormData();
    form.append('bestand', new Blob([await hostileMessage('een')]), 'een.xml');
    form.append('bestand', new Blob([await hostileMessage('twee')]), 'twee.xml');
    const two = await fetch(srv.url + action, { method: 'POST', redirect: 'manual', headers: { cookie: admin.cookie }, body: form });
    const twoText = await two.text();
    assert.equal(two.status, 400);
    assert.match(twoText, /Stuur één bestand tegelijk/);
    for (const [ct, body] of [
        ['multipart/form-data; boundary=abc', '--abc\r\nContent-Disposition: form-data; name="bestand"; filename="x.xml"\r\n\r\nhalf'],
        ['multipart/form-data', 'geen grens'],
    ]) {
        const res = await fetch(srv.url + action, { method: 'POST', redirect: 'manual', headers: { cookie: admin.cookie, 'content-type': ct }, body });
        await res.arrayBuffer();
        assert.equal(res.status, 400, ct);
    }
    const left = (await readdir(path.join(dataDir, 'tmp'))).filter((f) => f.startsWith('upload-'));
    assert.deepEqual(left, []);
});

test('the upload form: file, kind, profile, CSRF in the action, and a plain explanation about BSNs', async () => {
    const { res, text } = await get(srv.url, '/gegevens/aanleveren', admin.cookie);
    assert.equal(res.status, 200);
    assert.match(text, /<input type="file"[^>]*name="bestand"[^>]*accept="\.xml,\.zip,\.csv,\.xlsx"/);
    assert.match(text, /<select[^>]*name="soort"/);
    for (const v of ['automatisch', 'berichten', 'registratie', 'bevolking']) assert.match(text, new RegExp(`<option value="${v}"`));
    assert.match(text, /<select[^>]*name="profiel"/);
    assert.match(text, /pseudoniem/);
    assert.match(text, /BSN zelf wordt nergens bewaard/);
    // No file, or a registration without a profile: the form again with the reason.
    const none = await postUpload(admin, await uploadAction(admin), null, null);
    const noneText = await none.text();
    assert.equal(none.status, 422);
    assert.match(noneText, /Kies een bestand/);
    const reg = await postUpload(admin, await uploadAction(admin), Buffer.from('a;b\n1;2\n'), 'x.csv', { soort: 'registratie' });
    const regText = await reg.text();
    assert.equal(reg.status, 422);
    assert.match(regText, /Kies het profiel/);
});

test('who may not deliver does not see Gegevens and gets 403', async () => {
    const prof = await session(srv.url, 'professional.aanbieder');
    const home = await get(srv.url, '/', prof.cookie);
    assert.doesNotMatch(home.text, /href="\/gegevens"/);
    assert.equal((await get(srv.url, '/gegevens', prof.cookie)).res.status, 403);
    assert.equal((await get(srv.url, '/gegevens/aanleveren', prof.cookie)).res.status, 403);
    const kw = await session(srv.url, 'kwaliteit.aanbieder');
    assert.match((await get(srv.url, '/', kw.cookie)).text, /href="\/gegevens"/);
    // A deliverer of another organisation cannot see the beheerder's batch.
    assert.ok(batchId);
    const emmen = await session(srv.url, 'beleid.emmen');
    assert.ok([403, 404].includes((await get(srv.url, `/gegevens/batches/${batchId}`, emmen.cookie)).res.status));
});

test('no temp file is left behind once the requests and jobs are done', async () => {
    // Jobs finish within waitForJob above; give the last unlink a moment.
    await new Promise((r) => setTimeout(r, 300));
    const left = (await readdir(path.join(dataDir, 'tmp'))).filter((f) => f.startsWith('upload-'));
    assert.deepEqual(left, []);
    // The folder uploads stream into is private to the server's user.
    assert.equal((await stat(path.join(dataDir, 'tmp'))).mode & 0o777, 0o700);
});
