// Browser journey for registration exports (headless Chromium): a provider's quality officer
// makes a column-mapping profile in the wizard from a messy export of their own system
// (Windows-1252, ';', title rows above the header, Dutch dates, words instead of codes), saves
// it, and then delivers the same file with that profile. Every page passes axe-core, the BSNs
// of the sample never appear on a page unmasked, and the batch report shows valid rows accepted
// beside invalid rows rejected with their reasons.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, runCli, DEMO_PASSWORD, SOURCE_DIR } from '../lib/server.mjs';
import { launchBrowser, newContext, checkA11y, formatViolations, screenshot, watchPage } from '../lib/browser.mjs';

const EXPORT = path.join(SOURCE_DIR, 'tests/data/intake/jeugd-export-puntkomma.csv');

let srv;
let browser;
let tmp;

before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'duiding-profile-browser-'));
    const dataDir = path.join(tmp, 'data');
    const r = await runCli(['demo', '-d', dataDir, '--omvang', 'klein']);
    assert.equal(r.code, 0, r.stderr);
    srv = await startServer({ dataDir });
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await srv?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function assertA11y(page, what) {
    const v = await checkA11y(page);
    assert.deepEqual(v, [], `${what}:\n${formatViolations(v)}`);
}

test('a provider makes a mapping profile in the wizard and delivers its export with it', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const problems = watchPage(page);
    await page.goto(`${srv.url}/inloggen`);
    await page.fill('#veld-login', 'kwaliteit.aanbieder');
    await page.fill('#veld-password', DEMO_PASSWORD);
    await page.click('main button[type=submit]');
    await page.waitForURL((u) => !u.pathname.startsWith('/inloggen'));

    // From the overview to the wizard, as a user would.
    await page.click('nav a[href="/gegevens"]');
    await page.waitForURL(/\/gegevens$/);
    await page.click('main a[href="/gegevens/profielen"]');
    await page.waitForURL(/\/gegevens\/profielen$/);
    await assertA11y(page, 'profile list');
    await page.click('main a[href="/gegevens/profielen/nieuw"]');
    await page.waitForURL(/\/gegevens\/profielen\/nieuw$/);
    await assertA11y(page, 'wizard step 1');

    await page.fill('#veld-naam', 'Export cliëntregistratie');
    await page.setInputFiles('#veld-bestand', EXPORT);
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/gegevens\/profielen\/concept\//);
    await assertA11y(page, 'wizard step 2');
    await screenshot(page, 'profiel-concept');

    const main = await page.textContent('main');
    assert.ok(!main.includes('111222308'), 'the BSN of the sample is masked in the preview');
    // The header sits below two title rows; the suggestion found it and mapped the columns.
    assert.equal(await page.inputValue('#veld-kopregel'), '3');
    const picked = await page.$$eval('main select', (sels) =>
        Object.fromEntries(sels.map((s) => [s.name, s.value])),
    );
    assert.equal(picked.kolom_bsn, 'BSN');
    assert.equal(picked.kolom_startdatum, 'Datum aanvang');
    assert.equal(picked.kolom_reden, 'Reden beëindiging');

    await page.click('main button[name=actie][value=opslaan]');
    await page.waitForLoadState();
    if (!/\/gegevens\/profielen\/\d+$/.test(new URL(page.url()).pathname)) {
        await screenshot(page, 'profiel-opslaan-mislukt');
        assert.fail(`saving the profile did not succeed: ${(await page.textContent('main')).slice(0, 600)}`);
    }
    await assertA11y(page, 'profile detail');
    await screenshot(page, 'profiel-detail');
    assert.match(await page.textContent('main'), /Datum aanvang/);

    // Deliver the same export with the new profile.
    await page.goto(`${srv.url}/gegevens/aanleveren`);
    await page.selectOption('#veld-soort', 'registratie');
    const profileValue = await page.$eval('#veld-profiel', (sel) =>
        [...sel.options].find((o) => o.textContent.startsWith('Export cliëntregistratie'))?.value,
    );
    assert.ok(profileValue, 'the new profile is offered on the upload form');
    await page.selectOption('#veld-profiel', profileValue);
    await page.setInputFiles('#veld-bestand', EXPORT);
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/gegevens\/batches\/\d+(\?|$)/, { timeout: 60_000 });
    await assertA11y(page, 'batch report of a registration export');
    await screenshot(page, 'profiel-aanlevering-verslag');
    const report = await page.textContent('main');
    const count = (label) => Number((report.match(new RegExp(`${label}\\s*(\\d+)`)) || [])[1]);
    const read = count('Gelezen');
    const accepted = count('Geaccepteerd');
    const rejected = count('Afgewezen');
    const skipped = count('Overgeslagen');
    assert.ok(read > 0 && accepted > 0 && rejected > 0, `read ${read}, accepted ${accepted}, rejected ${rejected}`);
    assert.equal(read, accepted + rejected + skipped);
    assert.match(report, /elfproef/, 'a rejected row names its reason');
    assert.ok(!report.includes('111222308'), 'no BSN in the report');
    assert.deepEqual(problems, []);
    await context.close();
});
