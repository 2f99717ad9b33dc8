// Browser journey for data intake (headless Chromium): a beheerder uploads a zip of iJw
// messages through the form, watches the progress bar (the page polls its JSON status) until
// the batch report opens, and every intake page passes axe-core (WCAG 2.1 A/AA). The same
// upload without JavaScript reaches the report through the page's own refresh.
//
// Input: the real iJw 3.2 sample messages, each copied many times with a fresh message
// identification (so every copy is a new message and the import takes a moment), zipped with
// the zip CLI. The gemeenten and aanbieders the messages name are added with `duiding org add`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, runCli, DEMO_PASSWORD, SHARED_DIR } from '../lib/server.mjs';
import { launchBrowser, newContext, checkA11y, formatViolations, screenshot, watchPage } from '../lib/browser.mjs';

const SAMPLES = path.join(SHARED_DIR, 'external/istandaarden/ijw-3.2/berichten');
const COPIES = 40; // of each sample message

let srv;
let browser;
let tmp;
let bigZip;
let smallFile;

before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'duiding-import-browser-'));
    const dataDir = path.join(tmp, 'data');
    let r = await runCli(['demo', '-d', dataDir, '--omvang', 'klein']);
    assert.equal(r.code, 0, r.stderr);
    for (const args of [
        ['--kind', 'gemeente', '--name', 'Diemen', '--cbs', 'GM0384'],
        ['--kind', 'gemeente', '--name', 'Amsterdam', '--cbs', 'GM0363'],
        ['--kind', 'aanbieder', '--name', 'Jeugdhulp Voorbeeld', '--agb', '42420001'],
        ['--kind', 'aanbieder', '--name', 'Zorg Voorbeeld', '--agb', '65656055'],
    ]) {
        r = await runCli(['-d', dataDir, 'org', 'add', ...args]);
        assert.equal(r.code, 0, r.stderr);
    }
    // Copies with their own BerichtIdentificatie, so each one is a new message.
    const dir = path.join(tmp, 'berichten');
    await mkdir(dir);
    const files = (await readdir(SAMPLES)).filter((f) => f.endsWith('.xml')).sort();
    let n = 0;
    for (const f of files) {
        const xml = await readFile(path.join(SAMPLES, f), 'utf8');
        for (let i = 0; i < COPIES; i++) {
            n++;
            const ident = String(100000000000 + n);
            const copy = xml.replace(/(<ijw:Identificatie>)[^<]*(<\/ijw:Identificatie>)/, `$1${ident}$2`);
            await writeFile(path.join(dir, `${f.replace('.xml', '')}-${String(i).padStart(3, '0')}.xml`), copy);
        }
    }
    bigZip = path.join(tmp, 'berichten-regio.zip');
    execFileSync('zip', ['-q', '-r', '-j', bigZip, dir]);
    smallFile = path.join(tmp, 'JW302-los.xml');
    await writeFile(smallFile, (await readFile(path.join(SAMPLES, 'JW302.xml'), 'utf8')) + '\n<!-- zonder javascript -->\n');

    srv = await startServer({ dataDir });
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await srv?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function loginAs(context, login) {
    const page = await context.newPage();
    await page.goto(`${srv.url}/inloggen`);
    await page.fill('#veld-login', login);
    await page.fill('#veld-password', DEMO_PASSWORD);
    await page.click('main button[type=submit]');
    await page.waitForURL((u) => !u.pathname.startsWith('/inloggen'));
    return page;
}

async function assertA11y(page, what) {
    const v = await checkA11y(page);
    assert.deepEqual(v, [], `${what}:\n${formatViolations(v)}`);
}

test('a beheerder uploads a zip, watches the progress bar and lands on the batch report', async () => {
    const context = await newContext(browser);
    const page = await loginAs(context, 'beheerder');
    const problems = watchPage(page);

    // Gegevens is in the menu; the overview and the form pass axe.
    await page.click('nav a[href="/gegevens"]');
    await page.waitForURL(/\/gegevens$/);
    await assertA11y(page, 'overview (empty)');
    await page.click('a[href="/gegevens/aanleveren"]');
    await page.waitForURL(/\/gegevens\/aanleveren$/);
    await assertA11y(page, 'upload form');
    await screenshot(page, 'gegevens-aanleveren');

    // Hold the progress polls while the page is checked. Then the first poll gets a status
    // made here (42 %, 1234 records) to see the script move the bar and the text; the others
    // go to the server, whose answers are recorded.
    let release;
    const held = new Promise((r) => (release = r));
    const shown = [];
    let polls = 0;
    await page.route('**/gegevens/taken/*.json', async (route) => {
        await held;
        if (++polls === 1) {
            await route.fulfill({
                json: { status: 'bezig', percentage: 42, bytesGelezen: 42, bytesTotaal: 100, records: 1234, klaar: false },
            });
            return;
        }
        const res = await route.fetch();
        const j = await res.json();
        shown.push(j);
        await route.fulfill({ response: res, json: j });
    });

    await page.setInputFiles('#veld-bestand', bigZip);
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/gegevens\/taken\/[0-9a-f]{32}$/);
    const bar = page.locator('progress#voortgang');
    assert.equal(await bar.count(), 1, 'the progress page has a <progress> bar');
    assert.equal(await bar.getAttribute('max'), '100');
    assert.match(await page.textContent('main'), /gelezen|wachtrij/);
    await assertA11y(page, 'progress page');
    await screenshot(page, 'gegevens-voortgang');
    // The second poll waits until the made-up status has been shown and photographed.
    let second;
    const secondHeld = new Promise((r) => (second = r));
    await page.route('**/gegevens/taken/*.json', async (route) => {
        if (polls >= 1) await secondHeld;
        await route.fallback();
    });
    release();
    await page.waitForFunction(() => document.querySelector('progress#voortgang')?.value === 42);
    assert.equal((await page.textContent('.duiding-progress__status')).trim(), '42% gelezen · 1.234 records gelezen');
    await screenshot(page, 'gegevens-voortgang-42');
    second();

    await page.waitForURL(/\/gegevens\/batches\/\d+\?melding=ingelezen$/, { timeout: 180_000 });
    assert.ok(shown.length >= 1, 'the page polled its status');
    assert.equal(shown.at(-1).status, 'klaar');
    assert.equal(shown.at(-1).percentage, 100);
    const main = (await page.textContent('main')).replace(/\u00a0/g, ' ');
    assert.match(main, /Het bestand is ingelezen/);
    assert.match(main, /berichten-regio\.zip/);
    const m = main.match(/([\d.]+) gelezen = ([\d.]+) geaccepteerd \+ ([\d.]+) afgewezen \+ ([\d.]+) overgeslagen/);
    assert.ok(m, 'the report shows the sum');
    const [read, acc, rej, skip] = m.slice(1).map((x) => Number(x.replace(/\./g, '')));
    assert.equal(read, acc + rej + skip);
    assert.ok(acc > 0);
    await assertA11y(page, 'batch report');
    await screenshot(page, 'gegevens-verslag');

    // The undo confirmation and the overview with one batch pass axe too.
    const undoLink = page.locator('a[href$="/ongedaan-maken"]');
    assert.equal(await undoLink.count(), 1);
    await undoLink.click();
    await page.waitForURL(/\/ongedaan-maken$/);
    await assertA11y(page, 'undo confirmation');
    await screenshot(page, 'gegevens-ongedaan-maken');
    await page.goto(`${srv.url}/gegevens`);
    assert.ok((await page.locator('main table a[href^="/gegevens/batches/"]').count()) >= 1);
    await assertA11y(page, 'overview');
    await screenshot(page, 'gegevens-overzicht');

    assert.deepEqual(problems, [], 'console errors or failed requests');
    await context.close();
});

test('without JavaScript the progress page refreshes itself until the report', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await loginAs(context, 'beheerder');
    await page.goto(`${srv.url}/gegevens/aanleveren`);
    await page.setInputFiles('#veld-bestand', smallFile);
    await page.click('main button[type=submit]');
    // Either the progress page (which reloads every 2 s) or, for a quick import, the report.
    await page.waitForURL(/\/gegevens\/batches\/\d+\?melding=ingelezen$/, { timeout: 60_000 });
    assert.match(await page.textContent('main'), /JW302-los\.xml/);
    await context.close();
});
