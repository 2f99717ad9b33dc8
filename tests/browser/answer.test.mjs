// answer.test.mjs: a resident answers a survey on a phone (375x667) in headless Chromium, with
// JavaScript on and with JavaScript off: the code page, every section, an error shown at its
// question, "Later verder" and resuming, the submit and the thanks page. Each page must have no
// axe-core WCAG 2.1 A/AA violations and must not scroll sideways. The results page of the owner
// is checked with axe as well. The round comes from tests/tools/survey_fixture.py.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, runCli, login, SOURCE_DIR } from '../lib/server.mjs';
import {
    launchBrowser,
    newContext,
    addCookieHeader,
    checkA11y,
    formatViolations,
    screenshot,
    watchPage,
} from '../lib/browser.mjs';

let srv, browser, dataDir, fx;
const PHONE = { width: 375, height: 667 };

before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'duiding-test-answer-browser-'));
    const demo = await runCli(['demo', '-d', dataDir, '--omvang', 'klein']);
    assert.equal(demo.code, 0, demo.stderr);
    fx = JSON.parse(
        execFileSync('python3', [path.join(SOURCE_DIR, 'tests/tools/survey_fixture.py'), dataDir, '10'])
            .toString()
    );
    srv = await startServer({ dataDir });
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stop();
    if (dataDir && !process.env.DUIDING_KEEP_TEST_DATA) await rm(dataDir, { recursive: true, force: true });
});

/* axe and the overflow check run scripts in the page: only with JavaScript on (the markup is
 * the same either way; without JavaScript the flow itself is what is tested). */
async function assertPageOk(page, what, js = true) {
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    if (!js) return;
    const v = await checkA11y(page);
    assert.deepEqual(v, [], `${what}: ${formatViolations(v)}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${what} scrolls sideways by ${overflow}px`);
}

for (const js of [true, false]) {
    test(`answering on a phone, JavaScript ${js ? 'on' : 'off'}`, async () => {
        const context = await newContext(browser, { viewport: PHONE, javaScriptEnabled: js });
        const page = await context.newPage();
        page.setDefaultTimeout(15000);
        const problems = watchPage(page);
        const code = fx.codes[js ? 0 : 1];

        // the QR link: the code is filled in
        await page.goto(`${srv.url}/enquete?code=${code}`);
        assert.equal(await page.inputValue('#veld-code'), code);
        await assertPageOk(page, 'code page', js);
        await screenshot(page, `enquete-code-${js ? 'js' : 'nojs'}`);
        await page.click('button:has-text("Beginnen")');
        assert.match(await page.textContent('main'), /Stap 1 van 2/);

        // forward without the required answer: the error is shown and linked
        await page.click('button[value="volgende"]');
        assert.match(await page.textContent('#fout-wmo_ceo_1'), /verplicht/);
        await assertPageOk(page, 'section 1 with an error', js);
        await screenshot(page, `enquete-fout-${js ? 'js' : 'nojs'}`);
        await page.check('label[for="veld-wmo_ceo_1-1"]'); // "Mee eens" by its label
        await page.check('label[for="veld-tevreden_keuze-1"]'); // "Nee"
        await page.fill('#veld-waarom_niet', 'Het vervoer naar de dagbesteding.');
        await assertPageOk(page, 'section 1', js);
        await page.click('button[value="volgende"]');
        assert.match(await page.textContent('main'), /Stap 2 van 2/);
        await page.check('label[for="veld-hulp_cijfer-7"]'); // 8
        await page.check('label[for="veld-wat_hielp"]');
        await assertPageOk(page, 'section 2', js);
        await screenshot(page, `enquete-stap2-${js ? 'js' : 'nojs'}`);

        // pause, then resume with the code in a fresh page
        await page.click('button[value="later"]');
        assert.match(await page.textContent('h1'), /bewaard/);
        await assertPageOk(page, 'paused', js);
        await page.goto(`${srv.url}/enquete`);
        await page.fill('#veld-code', code.toLowerCase());
        await page.click('button:has-text("Beginnen")');
        assert.ok(await page.isChecked('#veld-wmo_ceo_1-1'), 'the paused answer is back');
        await page.click('button[value="volgende"]');
        assert.ok(await page.isChecked('#veld-hulp_cijfer-7'));
        await page.fill('#veld-opmerking', 'Dank u wel.');
        await page.click('button[value="verzenden"]');
        assert.match(await page.textContent('h1'), /Bedankt/);
        await assertPageOk(page, 'thanks', js);

        // the code cannot be used again
        await page.goto(`${srv.url}/enquete`);
        await page.fill('#veld-code', code);
        await page.click('button:has-text("Beginnen")');
        assert.match(await page.textContent('main'), /al ingevuld/);
        await assertPageOk(page, 'used code', js);
        assert.deepEqual(
            problems.filter((p) => !/^http (422|409): POST/.test(p)),
            [],
            'console errors or failed requests'
        );
        await context.close();
    });
}

test('open link on a phone without JavaScript', async () => {
    const context = await newContext(browser, { viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    await page.goto(`${srv.url}/enquete/open/${fx.slug}`);
    await assertPageOk(page, 'open link', false);
    assert.equal(await page.locator('button[value="later"]').count(), 0);
    await page.check('label[for="veld-wmo_ceo_1"]');
    await page.click('button[value="volgende"]');
    await page.click('button[value="verzenden"]');
    assert.match(await page.textContent('h1'), /Bedankt/);
    await context.close();
});

test('results and open answers of the owner have no violations', async () => {
    const context = await newContext(browser);
    const cookie = await login(srv.url, 'beleid.emmen');
    await addCookieHeader(context, srv.url, cookie);
    const page = await context.newPage();
    for (const p of [
        `/enquetes/${fx.survey}/resultaten`,
        `/enquetes/${fx.survey}/resultaten?per=aanbieder`,
        `/enquetes/${fx.survey}/open-antwoorden?ronde=${fx.round}`,
    ]) {
        const res = await page.goto(`${srv.url}${p}`);
        assert.equal(res.status(), 200, p);
        const v = await checkA11y(page);
        assert.deepEqual(v, [], `${p}: ${formatViolations(v)}`);
    }
    await screenshot(page, 'enquete-open-antwoorden');
    await context.close();
});
