// import-kill.test.mjs: the all-or-nothing rule of imports, proven with SIGKILL. A few thousand
// iJw messages (the real JW301/JW305/JW307 samples of the iStandaarden release, templated with
// other BSNs that pass the elfproef and other message identities) are imported; the process is
// killed once its progress shows it is half-way. The database must then hold exactly what it
// held before (checked with the sqlite3 CLI, integrity_check included), and importing the same
// folder again must go through completely.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN, SHARED_DIR, runCli, sanitizerReport } from '../lib/server.mjs';

const SAMPLES = path.join(SHARED_DIR, 'external', 'istandaarden', 'ijw-3.2', 'berichten');
const PERSONS = 2500; // x 3 messages
const KILL_AT = 1500; // records read when the kill comes (of 3 x PERSONS)

let dir;
let data;
let big;

/** count distinct 9-digit numbers that pass the elfproef (outside the test range): every
 * 8-digit prefix from 10000000 on gets its check digit; prefixes whose check would be 10 have
 * none and are left out. */
function bsns(count) {
    const out = [];
    for (let prefix = 10000000; out.length < count; prefix++) {
        const d = String(prefix).split('').map(Number);
        let sum = 0;
        for (let i = 0; i < 8; i++) sum += d[i] * (9 - i);
        const check = sum % 11; // sum - check is divisible by 11
        if (check !== 10) out.push(`${prefix}${check}`);
    }
    return out;
}

function sql(query) {
    return execFileSync('sqlite3', [path.join(data, 'duiding.db'), query], { encoding: 'utf8' }).trim();
}

function counts() {
    return {
        batches: Number(sql('SELECT count(*) FROM import_batch')),
        facts: Number(sql('SELECT count(*) FROM fact')),
        trajectories: Number(sql('SELECT count(*) FROM trajectory')),
        messages: Number(sql('SELECT count(*) FROM import_message')),
        rejections: Number(sql('SELECT count(*) FROM import_rejection')),
        audit: Number(sql("SELECT count(*) FROM audit_event WHERE action LIKE 'import.%'")),
    };
}

async function cli(args) {
    const r = await runCli(['-d', data, ...args]);
    const report = sanitizerReport(r.stderr);
    assert.equal(report, null, `sanitizer report: ${report}`);
    return r;
}

before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'duiding-import-kill-'));
    data = path.join(dir, 'data');
    big = path.join(dir, 'berichten');
    assert.equal((await cli(['init'])).code, 0);
    for (const [name, agb] of [
        ['Zorg Een', '42420001'],
        ['Zorg Twee', '65656055'],
    ]) {
        const r = await cli(['org', 'add', '--kind', 'aanbieder', '--name', name, '--agb', agb]);
        assert.equal(r.code, 0, r.stderr);
    }
    // A chain per person: the assignment (sent by Amsterdam to the provider of the start and
    // stop samples), the start and the stop, each with its own message identity.
    const t301 = (await readFile(path.join(SAMPLES, 'JW301.xml'), 'utf8'))
        .replace('<jw301:Afzender>0384', '<jw301:Afzender>0363')
        .replace('<jw301:Ontvanger>42420001', '<jw301:Ontvanger>65656055');
    const t305 = await readFile(path.join(SAMPLES, 'JW305.xml'), 'utf8');
    const t307 = await readFile(path.join(SAMPLES, 'JW307.xml'), 'utf8');
    await mkdir(big, { recursive: true });
    const writes = [];
    const numbers = bsns(PERSONS);
    assert.equal(new Set(numbers).size, PERSONS);
    for (let i = 0; i < PERSONS; i++) {
        const b = numbers[i];
        const id = (k) => String(k * 1e9 + i).padStart(12, '0');
        const each = [
            ['301', t301, 1],
            ['305', t305, 2],
            ['307', t307, 3],
        ];
        for (const [kind, tpl, k] of each) {
            const text = tpl.replaceAll('999900006', b).replace('123456789012', id(k));
            writes.push(writeFile(path.join(big, `JW${kind}_${String(i).padStart(5, '0')}.xml`), text));
        }
    }
    await Promise.all(writes);
});

after(async () => {
    if (dir && !process.env.DUIDING_KEEP_TEST_DATA) await rm(dir, { recursive: true, force: true });
});

test('an import killed half-way leaves the database exactly as it was', async () => {
    // Something in the database first, so "as it was" is not simply "empty".
    const first = await cli(['import', SAMPLES]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    // 301, 305, 307 and the claims of the 323 are used; the other 8 kinds are skipped.
    assert.match(first.stdout, /^batch 1: 12 gelezen, 4 geaccepteerd, 0 afgewezen, 8 overgeslagen/);
    const before = counts();
    assert.equal(before.batches, 1);
    assert.ok(before.facts > 0 && before.trajectories > 0);

    // Start the big import and kill it once it has read KILL_AT records.
    const child = spawn(BIN, ['-d', data, 'import', '--voortgang', big], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0' },
    });
    let stdout = '';
    let stderr = '';
    let seen = 0;
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => {
        stderr += d;
        for (const m of d.matchAll(/voortgang\s+\d+%\s+(\d+) records/g)) {
            seen = Math.max(seen, Number(m[1]));
            if (!killed && seen >= KILL_AT) {
                killed = true;
                child.kill('SIGKILL');
            }
        }
    });
    const exit = await new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    // It was killed, not finished: no summary, died of the signal, and in the middle.
    assert.equal(exit.signal, 'SIGKILL', `import ended on its own (exit ${exit.code}):\n${stdout}${stderr}`);
    assert.doesNotMatch(stdout, /^batch \d+:/m);
    assert.ok(seen >= KILL_AT && seen < 3 * PERSONS, `progress at kill: ${seen}`);

    // Nothing of it is in the database, and the database is intact.
    assert.equal(sql('PRAGMA integrity_check'), 'ok');
    assert.equal(sql('PRAGMA foreign_key_check'), '');
    assert.deepEqual(counts(), before);

    // The same folder again goes through completely.
    const again = await cli(['import', big]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    const n = 3 * PERSONS;
    assert.match(again.stdout, new RegExp(`^batch 2: ${n} gelezen, ${n} geaccepteerd, 0 afgewezen, 0 overgeslagen`));
    const after = counts();
    assert.equal(after.batches, before.batches + 1);
    assert.equal(after.facts, before.facts + 6 * PERSONS); // two product lines per message
    assert.equal(after.messages, before.messages + n);
    assert.equal(after.trajectories, before.trajectories + PERSONS); // one per person
    assert.equal(
        Number(sql("SELECT count(*) FROM trajectory WHERE batch_id = 2 AND cbs_reason = '01' AND end_date IS NOT NULL")),
        PERSONS
    );
    assert.equal(sql('PRAGMA integrity_check'), 'ok');
    // And once more: a duplicate, nothing changes.
    const dup = await cli(['import', big]);
    assert.equal(dup.code, 0);
    assert.match(dup.stdout, /^al ingelezen als batch 2: niets veranderd/);
    assert.deepEqual({ ...counts(), audit: 0 }, { ...after, audit: 0 });
});
