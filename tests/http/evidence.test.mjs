// evidence.test.mjs: bewijsstukken over HTTP (web/page_evidence.c, domain/evidence.c) against a
// real server with the demo region and a fake virus scanner (virusscan_command in duiding.conf:
// a script that calls a file infected when it holds the marker VIRUS-TEST). Checks: upload via
// the API and the page form (multipart, CSRF in the query), the download headers (attachment
// with RFC 6266 filename*, detected type, nosniff, sandbox CSP, no caching), hostile uploads
// (polyglot PDF+ZIP, zip bomb docx crafted here, wrong extension, empty, one byte over 20 MiB,
// traversal, NUL and 10,000-character names), the scan hook (besmet is never served) and the
// policy (raad and another aanbieder 404; the uploading organisation alone removes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { startServer, SOURCE_DIR } from '../lib/server.mjs';
import { demoDataDir, removeDir, session } from './fixtures.mjs';

const DATA = path.join(SOURCE_DIR, 'tests', 'data', 'evidence');
const PDF = readFileSync(path.join(DATA, 'real.pdf'));
const DOCX = readFileSync(path.join(DATA, 'real.docx'));
const PNG = readFileSync(path.join(DATA, 'real.png'));

let dir;
let srv;
let contract; // contract.regio: contract manager of the region (a viewpoint)
let review; // an undecided demo review of the region

/** A zip with stored entries whose declared uncompressed size can lie (a zip bomb). */
function zip(entries) {
    const locals = [];
    const central = [];
    let off = 0;
    for (const e of entries) {
        const name = Buffer.from(e.name);
        const data = Buffer.from(e.data);
        const method = e.method ?? 0;
        const usize = e.usize ?? data.length;
        const lh = Buffer.alloc(30);
        lh.writeUInt32LE(0x04034b50, 0);
        lh.writeUInt16LE(20, 4);
        lh.writeUInt16LE(method, 8);
        lh.writeUInt32LE(data.length, 18);
        lh.writeUInt32LE(usize, 22);
        lh.writeUInt16LE(name.length, 26);
        locals.push(lh, name, data);
        const ch = Buffer.alloc(46);
        ch.writeUInt32LE(0x02014b50, 0);
        ch.writeUInt16LE(20, 4);
        ch.writeUInt16LE(20, 6);
        ch.writeUInt16LE(method, 10);
        ch.writeUInt32LE(data.length, 20);
        ch.writeUInt32LE(usize, 24);
        ch.writeUInt16LE(name.length, 28);
        ch.writeUInt32LE(off, 42);
        central.push(ch, name);
        off += 30 + name.length + data.length;
    }
    const cd = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(off, 16);
    return Buffer.concat([...locals, cd, end]);
}

const api = (p) => `${srv.url}/api/v1/toetsingen/${review}/bewijsstukken${p}`;

async function apiUpload(who, name, bytes, extra = '') {
    const res = await fetch(api(`?bestandsnaam=${name}${extra}`), {
        method: 'POST',
        headers: {
            cookie: who.cookie,
            'x-csrf-token': who.csrf,
            'content-type': 'application/octet-stream',
            accept: 'application/json',
        },
        body: bytes,
    });
    const text = await res.text();
    let json = null;
    try {
        json = JSON.parse(text);
    } catch {
        /* not JSON */
    }
    return { status: res.status, json, text };
}

async function list(who) {
    const res = await fetch(api(''), { headers: { cookie: who.cookie, accept: 'application/json' } });
    return { status: res.status, json: res.status === 200 ? await res.json() : await res.text() };
}

before(async () => {
    dir = await demoDataDir();
    const scanner = path.join(dir, 'fake-scan.sh');
    writeFileSync(scanner, '#!/bin/sh\ngrep -q VIRUS-TEST "$1" && exit 1\nexit 0\n');
    chmodSync(scanner, 0o700);
    writeFileSync(path.join(dir, 'duiding.conf'), `virusscan_command = ${scanner}\n`);
    srv = await startServer({ dataDir: dir });
    contract = await session(srv.url, 'contract.regio');
    const res = await fetch(`${srv.url}/api/v1/toetsingen`, {
        headers: { cookie: contract.cookie, accept: 'application/json' },
    });
    assert.equal(res.status, 200);
    const items = (await res.json()).items;
    const open = items.find((r) => r.status !== 'besloten');
    assert.ok(open, `no undecided demo review in ${JSON.stringify(items.map((r) => r.status))}`);
    review = open.id;
});

after(async () => {
    await srv?.stop();
    await removeDir(dir);
});

test('API upload, list and download with strict headers', async () => {
    const name = encodeURIComponent('Rapport één "x".pdf');
    const up = await apiUpload(contract, name, PDF);
    assert.equal(up.status, 201, up.text);
    assert.equal(up.json.soort, 'pdf');
    assert.equal(up.json.naam, 'Rapport één "x".pdf');
    assert.equal(up.json.bytes, PDF.length);
    const l = await list(contract);
    assert.ok(l.json.items.some((f) => f.id === up.json.id));
    for (const url of [
        `${srv.url}/toetsingen/${review}/bewijsstukken/${up.json.id}`,
        api(`/${up.json.id}`),
    ]) {
        const res = await fetch(url, { headers: { cookie: contract.cookie } });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/pdf');
        const cd = res.headers.get('content-disposition');
        assert.match(cd, /^attachment; filename="Rapport __n _x_\.pdf"; filename\*=UTF-8''Rapport%20%C3%A9%C3%A9n%20%22x%22\.pdf$/);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.match(res.headers.get('content-security-policy'), /sandbox; default-src 'none'/);
        assert.match(res.headers.get('cache-control'), /private, no-store/);
        assert.deepEqual(Buffer.from(await res.arrayBuffer()), PDF);
    }
});

test('hostile uploads are refused with a Dutch reason naming the file', async () => {
    const cases = [
        ['poly.pdf', Buffer.concat([PDF, DOCX]), 400, /poly\.pdf.*polyglot/],
        ['rapport.pdf', DOCX, 400, /rapport\.pdf.*extensie/],
        ['foto.png.pdf', PNG, 400, /extensie/],
        ['leeg.pdf', Buffer.alloc(0), 400, /leeg/],
        ['..%2F..%2Fetc%2Fpasswd', PDF, 400, /passwd/],
        [
            'bom.docx',
            zip([
                { name: '[Content_Types].xml', data: '<Types/>' },
                { name: 'word/document.xml', data: '<w:document/>' },
                { name: 'word/media/bom.bin', data: 'x'.repeat(1000), method: 8, usize: 0xfffffffe },
            ]),
            413,
            /zip-bom/,
        ],
        [
            'pad.docx',
            zip([
                { name: '[Content_Types].xml', data: '<Types/>' },
                { name: 'word/document.xml', data: '<w:document/>' },
                { name: '../../etc/passwd', data: 'root' },
            ]),
            400,
            /onveilige naam/,
        ],
    ];
    for (const [name, bytes, status, re] of cases) {
        const r = await apiUpload(contract, name, bytes);
        assert.equal(r.status, status, `${name}: ${r.text}`);
        assert.match(JSON.stringify(r.json), re, name);
    }
    // One byte over 20 MiB: a valid PDF head and tail around zeros.
    const big = Buffer.alloc(20 * 1024 * 1024 + 1);
    big.write('%PDF-1.7\n', 0);
    big.write('%%EOF\n', big.length - 6);
    const r = await apiUpload(contract, 'groot.pdf', big);
    assert.equal(r.status, 413, r.text);
    assert.match(r.text, /20 MiB/);
    // A NUL in the name never reaches the domain; 10,000 characters are refused or shortened.
    assert.equal((await apiUpload(contract, 'a.pdf%00.exe', PDF)).status, 400);
    const long = await apiUpload(contract, `${'é'.repeat(10000)}.pdf`, PDF);
    assert.ok([400, 201].includes(long.status), long.text);
    if (long.status === 201) assert.ok([...long.json.naam].length <= 200);
    // Nothing of the refused uploads was kept.
    const l = await list(contract);
    assert.ok(!l.json.items.some((f) => /poly|rapport\.pdf|bom|groot|leeg/.test(f.naam)));
});

test('page upload (multipart, CSRF in the query) and a refusal page in Dutch', async () => {
    const form = new FormData();
    form.append('terug', `/toetsingen/${review}#bewijsstukken`);
    form.append('bestand', new Blob([PNG], { type: 'image/png' }), 'schema.png');
    const url = `${srv.url}/toetsingen/${review}/bewijsstukken?csrf=${encodeURIComponent(contract.csrf)}`;
    const ok = await fetch(url, { method: 'POST', headers: { cookie: contract.cookie }, body: form, redirect: 'manual' });
    assert.equal(ok.status, 303);
    assert.match(ok.headers.get('location'), new RegExp(`^/toetsingen/${review}\\?melding=aangemaakt#bewijsstukken$`));
    const bad = new FormData();
    bad.append('bestand', new Blob([Buffer.concat([PDF, DOCX])]), 'dubbel.pdf');
    const refused = await fetch(url, { method: 'POST', headers: { cookie: contract.cookie }, body: bad, redirect: 'manual' });
    assert.equal(refused.status, 422);
    const html = await refused.text();
    assert.match(html, /dubbel\.pdf/);
    assert.match(html, /polyglot/);
    // Without the CSRF token the upload is refused before the body is read.
    const noCsrf = await fetch(`${srv.url}/toetsingen/${review}/bewijsstukken`, {
        method: 'POST', headers: { cookie: contract.cookie }, body: form, redirect: 'manual',
    });
    assert.equal(noCsrf.status, 403);
});

test('virus scan hook: an infected file is marked besmet and never served', async () => {
    const infected = Buffer.from('%PDF-1.4\n% VIRUS-TEST marker\n%%EOF\n');
    const up = await apiUpload(contract, 'besmet.pdf', infected);
    assert.equal(up.status, 201, up.text);
    let scan = up.json.virusscan;
    for (let i = 0; i < 100 && scan !== 'besmet'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        scan = (await list(contract)).json.items.find((f) => f.id === up.json.id)?.virusscan;
    }
    assert.equal(scan, 'besmet');
    const res = await fetch(api(`/${up.json.id}`), { headers: { cookie: contract.cookie, accept: 'application/json' } });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /besmet/);
    const clean = await apiUpload(contract, 'schoon.pdf', Buffer.from('%PDF-1.4\n% schoon bestand\n%%EOF\n'));
    for (let i = 0; i < 100 && scan !== 'schoon'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        scan = (await list(contract)).json.items.find((f) => f.id === clean.json.id)?.virusscan;
    }
    assert.equal(scan, 'schoon');
});

test('policy: raad and other organisations see nothing; only the uploader removes', async () => {
    const raad = await session(srv.url, 'raad.emmen');
    assert.equal((await list(raad)).status, 404);
    const provider = await session(srv.url, 'kwaliteit.aanbieder');
    const me = await (await fetch(`${srv.url}/api/v1/ik`, { headers: { cookie: provider.cookie, accept: 'application/json' } })).json();
    const rv = await (await fetch(`${srv.url}/api/v1/toetsingen/${review}`, { headers: { cookie: contract.cookie, accept: 'application/json' } })).json();
    const up = await apiUpload(contract, 'van-de-regio.pdf', PDF);
    assert.equal(up.status, 201);
    if (rv.aanbiederId !== me.organisatie.id) {
        assert.equal((await list(provider)).status, 404);
        assert.equal((await fetch(api(`/${up.json.id}`), { headers: { cookie: provider.cookie } })).status, 404);
    }
    const beleid = await session(srv.url, 'beleid.regio');
    const del = (who) =>
        fetch(api(`/${up.json.id}`), { method: 'DELETE', headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, accept: 'application/json' } });
    assert.ok([403, 404].includes((await del(beleid)).status));
    assert.equal((await del(contract)).status, 204);
    assert.equal((await fetch(api(`/${up.json.id}`), { headers: { cookie: contract.cookie } })).status, 404);
});
