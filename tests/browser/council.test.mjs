// council.test.mjs: the council report (raadsrapportage) in headless Chromium as raad.emmen:
// the choice page and a report of an Emmen result with charts, checked with axe-core (WCAG 2.1
// A/AA) at desktop width and at 375 px, without console errors or CSP violations and without
// horizontal scrolling on the phone; the charts are drawn by static/charts.js next to their
// tables (a chart without any shown value stays hidden: its table says why); choosing a subject with the form leads to the report; the print media hides the form
// and buttons. Screenshots of the report and of the PDF's first page (pdftoppm, when present).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync, copyFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, DEMO_PASSWORD } from '../lib/server.mjs';
import {
    launchBrowser,
    newContext,
    checkA11y,
    formatViolations,
    screenshot,
    watchPage,
    SCREENSHOT_DIR,
} from '../lib/browser.mjs';

let srv;
let browser;
let reportPath; // a report with a chart and an approved conversation

before(async () => {
    srv = await startServer({ demo: true });
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stop();
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

async function assertAxe(page, what) {
    const v = await checkA11y(page);
    assert.deepEqual(v, [], `${what}:\n${formatViolations(v)}`);
}

/** The first Emmen result whose report has a figure and a published conversation. */
async function findReport(page) {
    await page.goto(`${srv.url}/raadsrapportage`);
    const values = await page.locator('#veld-onderwerp option[value^="resultaat-"]').evaluateAll((os) => os.map((o) => o.value));
    assert.ok(values.length > 0, 'results offered');
    for (const v of values) {
        await page.goto(`${srv.url}/raadsrapportage?onderwerp=${v}`);
        const charts = await page.locator('figure[data-bron^="raad-grafiek-"]').count();
        const convs = await page.locator('.duiding-council-conversation').count();
        if (charts > 0 && convs > 0) return `/raadsrapportage?onderwerp=${v}`;
    }
    throw new Error('no Emmen result with figures and an approved conversation in the demo');
}

for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 375, height: 667 }],
]) {
    test(`council report pages are accessible (${label})`, async () => {
        const context = await newContext(browser, { viewport });
        const page = await loginAs(context, 'raad.emmen');
        const problems = watchPage(page);
        await page.goto(`${srv.url}/raadsrapportage`);
        assert.equal(await page.locator('h1').innerText(), 'Raadsrapportage');
        await assertAxe(page, `/raadsrapportage (${label})`);
        reportPath ??= await findReport(page);
        await page.goto(`${srv.url}${reportPath}`);
        // charts.js draws every chart (the figure loses its hidden attribute) beside its table.
        const figures = page.locator('figure[data-bron^="raad-grafiek-"]');
        const n = await figures.count();
        assert.ok(n > 0);
        await page.waitForSelector('html[data-grafieken="klaar"]', { timeout: 15_000 });
        const drawn = await page.locator('figure[data-bron^="raad-grafiek-"]:not([hidden]) svg').count();
        assert.ok(drawn > 0, 'charts.js drew the charts');
        assert.equal(await page.locator('.duiding-figure-card__table table').count(), n, 'a table per chart');
        if (label === 'desktop') {
            // Side by side on a wide screen: the table starts to the right of a drawn chart (a
            // figure whose values are all hidden has no chart, and its table takes the width).
            const body = page.locator('.duiding-figure-card__body:has(figure:not([hidden]) svg)').first();
            const chart = await body.locator('.duiding-figure-card__chart').boundingBox();
            const table = await body.locator('.duiding-figure-card__table').boundingBox();
            assert.ok(table.x > chart.x + chart.width / 2, 'table beside the chart');
        }
        await assertAxe(page, `council report (${label})`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `no horizontal scrolling (${overflow}px)`);
        await screenshot(page, `raadsrapportage-${label}`);
        assert.deepEqual(problems, []);
        await context.close();
    });
}

test('choosing a theme with the form shows the report; print leaves out the form', async () => {
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await loginAs(context, 'raad.emmen');
    const problems = watchPage(page);
    await page.goto(`${srv.url}/raadsrapportage`);
    await page.selectOption('#veld-onderwerp', 'thema-opgroeien');
    await page.click('.duiding-council-choice button[type=submit]');
    await page.waitForURL(/onderwerp=thema-opgroeien/);
    assert.match(await page.locator('h1').innerText(), /^Raadsrapportage: Veilig en gezond opgroeien/);
    assert.ok((await page.locator('.duiding-council-result').count()) > 0, 'results of the theme');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.duiding-council-choice').isVisible(), false, 'no form on paper');
    assert.equal(await page.locator('a[href^="/raadsrapportage.pdf"]').isVisible(), false, 'no button on paper');
    assert.equal(await page.locator('.duiding-council-result').first().isVisible(), true);
    await page.emulateMedia({ media: 'screen' });
    // The PDF link answers a PDF; its first page as an image beside the screenshots.
    const href = await page.locator('a[href^="/raadsrapportage.pdf"]').first().getAttribute('href');
    const res = await page.request.get(`${srv.url}${href}`);
    assert.equal(res.status(), 200);
    assert.equal(res.headers()['content-type'], 'application/pdf');
    const pdf = await res.body();
    if (existsSync('/usr/bin/pdftoppm')) {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'duiding-raad-'));
        try {
            writeFileSync(path.join(dir, 'r.pdf'), pdf);
            execFileSync('/usr/bin/pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', path.join(dir, 'r.pdf'), path.join(dir, 'p')]);
            mkdirSync(SCREENSHOT_DIR, { recursive: true });
            const first = ['p-1.png', 'p-01.png', 'p-001.png'].map((f) => path.join(dir, f)).find(existsSync);
            assert.ok(first, 'pdftoppm made a page image');
            copyFileSync(first, path.join(SCREENSHOT_DIR, 'raadsrapportage-pdf-1.png'));
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }
    assert.deepEqual(problems, []);
    await context.close();
});
