// Smoke test: the login page renders in headless Chromium and has no WCAG 2.1 A/AA violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, newContext, assertNoA11yViolations, screenshot, watchPage } from '../lib/browser.mjs';

let srv;
let browser;
before(async () => {
    srv = await startServer({ demo: false });
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stop();
});

test('login page renders without accessibility violations', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const problems = watchPage(page);
    const res = await page.goto(`${srv.url}/inloggen`);
    assert.equal(res.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    assert.ok(await page.locator('input[name="login"]').count(), 'login field');
    assert.ok(await page.locator('input[name="password"]').count(), 'password field');
    await screenshot(page, 'inloggen');
    await assertNoA11yViolations(page, '/inloggen');
    assert.deepEqual(problems, [], 'console errors or failed requests');
    await context.close();
});
