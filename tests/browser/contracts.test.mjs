// contracts.test.mjs: the /contracten pages in headless Chromium as contract.regio (list, a
// contract with agreements and business figures, the form with its error summary) and as
// kwaliteit.aanbieder (its own contract), checked with axe-core (WCAG 2.1 A/AA) at 1280 and
// 375 px, without console errors or CSP violations and without horizontal scrolling on the phone.
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

async function accessible(page, what, label) {
    const v = await checkA11y(page);
    assert.deepEqual(v, [], `${what} (${label}):\n${formatViolations(v)}`);
    if (label === 'phone') {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `horizontal scrolling on the phone (${what}): ${overflow}px`);
    }
}

for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 375, height: 667 }],
]) {
    test(`contract pages are accessible for the contract manager (${label})`, async () => {
        const context = await newContext(browser, { viewport });
        const page = await loginAs(context, 'contract.regio');
        const problems = watchPage(page);
        await page.goto(`${srv.url}/contracten?jaar=2026`);
        assert.equal(await page.locator('h1').innerText(), 'Contracten');
        const links = page.locator('main table a[href^="/contracten/"]');
        assert.ok((await links.count()) >= 6, 'the demo contracts are listed');
        await accessible(page, '/contracten', label);
        await screenshot(page, `contracten-${label}`);
        await links.first().click();
        await page.waitForSelector('#bedrijfsvoering');
        assert.ok((await page.locator('main table').count()) >= 2, 'agreements and monthly spend tables');
        await accessible(page, 'contract', label);
        await screenshot(page, `contract-${label}`);
        await page.goto(`${srv.url}/contracten/nieuw`);
        await page.fill('input[name=budget]', 'heel veel');
        await page.click('main button[type=submit]');
        await page.waitForSelector('.utrecht-form-field-error-message, [id^="fout-"]');
        await accessible(page, '/contracten/nieuw with errors', label);
        // The refused form answers 422 on purpose; anything else is a problem.
        assert.deepEqual(problems.filter((p) => !/^http 422: POST .*\/contracten\/nieuw$/.test(p)), [], 'no console errors or CSP violations');
        await context.close();
    });
}

test('a provider sees its own contract and its figures, accessibly', async () => {
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await loginAs(context, 'kwaliteit.aanbieder');
    const problems = watchPage(page);
    await page.goto(`${srv.url}/contracten`);
    const links = page.locator('main table a[href^="/contracten/"]');
    assert.equal(await links.count(), 1, 'only its own contract');
    await links.first().click();
    await page.waitForSelector('#bedrijfsvoering');
    await accessible(page, 'own contract', 'desktop');
    assert.equal(await page.locator('text=Contract bewerken').count(), 0, 'a provider cannot edit');
    assert.deepEqual(problems, [], 'no console errors or CSP violations');
    await context.close();
});
