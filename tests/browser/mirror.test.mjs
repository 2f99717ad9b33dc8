// mirror.test.mjs: the spiegelrapportage in headless Chromium as kwaliteit.aanbieder (its own
// aanbieder), per quarter and per year, checked with axe-core (WCAG 2.1 A/AA) at 1280 and at
// 375 px, without console errors or CSP violations and without horizontal scrolling on the
// phone; a table per chart; the print media hides the period switch and the buttons.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.mjs';
import { launchBrowser, newContext, checkA11y, formatViolations, screenshot, watchPage } from '../lib/browser.mjs';

let srv;
let browser;

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

async function ownReport(page) {
    const me = await page.evaluate(async () => (await fetch('/api/v1/ik', { headers: { accept: 'application/json' } })).json());
    return `/aanbieders/${me.organisatie.id}/spiegelrapportage`;
}

for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 375, height: 667 }],
]) {
    test(`the mirror report is accessible (${label})`, async () => {
        const context = await newContext(browser, { viewport });
        const page = await loginAs(context, 'kwaliteit.aanbieder');
        const problems = watchPage(page);
        const base = await ownReport(page);
        for (const q of ['', '?per=jaar']) {
            await page.goto(`${srv.url}${base}${q}`);
            assert.match(await page.locator('h1').innerText(), /^Spiegelrapportage /);
            const charts = await page.locator('figure[data-bron^="spiegel-grafiek-"]').count();
            assert.ok(charts > 0, 'figures with charts');
            assert.equal(await page.locator('.duiding-figure-card__table table').count(), charts, 'a table per chart');
            await page.waitForSelector('html[data-grafieken="klaar"]', { timeout: 15_000 });
            const v = await checkA11y(page);
            assert.deepEqual(v, [], `${base}${q} (${label}):\n${formatViolations(v)}`);
            if (label === 'phone') {
                const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
                assert.ok(overflow <= 1, `horizontal scrolling on the phone: ${overflow}px`);
            }
            await screenshot(page, `spiegelrapportage${q ? '-jaar' : ''}-${label}`);
        }
        await page.emulateMedia({ media: 'print' });
        assert.equal(await page.locator('.duiding-mirror-switch').isVisible(), false, 'switch hidden in print');
        await page.emulateMedia({ media: 'screen' });
        assert.deepEqual(problems, []);
        await context.close();
    });
}
