// review.test.mjs: the provider and review pages in headless Chromium, checked with axe-core
// (WCAG 2.1 A/AA) at desktop width and at 375 px without console errors, CSP violations or
// horizontal scrolling: /aanbieders, a provider page, a review with its triangulation and
// "Voor het volgende gesprek" as contract.regio, and the same review as the aanbieder
// (kwaliteit.aanbieder), plus the verdict form of toegang.emmen; then a verdict recorded with
// the visible controls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.mjs';
import { launchBrowser, newContext, checkA11y, formatViolations, watchPage } from '../lib/browser.mjs';

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

async function assertAxe(page, what) {
    const v = await checkA11y(page);
    assert.deepEqual(v, [], `${what}:\n${formatViolations(v)}`);
}

async function noOverflow(page, what) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${what}: no horizontal scrolling (${overflow}px)`);
}

for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 375, height: 667 }],
]) {
    test(`provider and review pages are accessible (${label})`, async () => {
        const context = await newContext(browser, { viewport });
        const page = await loginAs(context, 'contract.regio');
        const problems = watchPage(page);
        await page.goto(`${srv.url}/aanbieders`);
        await assertAxe(page, `/aanbieders (${label})`);
        await noOverflow(page, `/aanbieders (${label})`);
        await page.click('table a[href^="/aanbieders/"]');
        await page.waitForURL(/\/aanbieders\/\d+$/);
        await assertAxe(page, `provider page (${label})`);
        await noOverflow(page, `provider page (${label})`);
        // A review with a planted difference: the first one on /toetsingen that shows it.
        await page.goto(`${srv.url}/toetsingen`);
        await assertAxe(page, `/toetsingen (${label})`);
        const hrefs = await page.locator('table a[href^="/toetsingen/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        let found = null;
        for (const h of hrefs) {
            await page.goto(srv.url + h);
            if ((await page.locator('text=verschil van 2 stappen').count()) > 0) {
                found = h;
                break;
            }
        }
        assert.ok(found, 'a demo review shows a difference of two steps');
        assert.equal(await page.locator('#volgend-gesprek').count(), 1);
        await assertAxe(page, `${found} (${label})`);
        await noOverflow(page, `${found} (${label})`);
        assert.deepEqual(problems, [], 'no console errors or CSP violations');
        await context.close();
    });
}

test('the aanbieder reads its own review; toegang records a verdict with the form', async () => {
    for (const [label, viewport] of [
        ['desktop', { width: 1280, height: 900 }],
        ['phone', { width: 375, height: 667 }],
    ]) {
        const context = await newContext(browser, { viewport });
        const page = await loginAs(context, 'kwaliteit.aanbieder');
        await page.goto(`${srv.url}/aanbieders`);
        await page.click('table a[href^="/toetsingen/"]');
        await page.waitForURL(/\/toetsingen\/\d+$/);
        await assertAxe(page, `aanbieder review page (${label})`);
        await noOverflow(page, `aanbieder review page (${label})`);
        await context.close();
    }
    // toegang.emmen: the submitted admission still waiting for views (the last demo aanbieder).
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await loginAs(context, 'toegang.emmen');
    await page.goto(`${srv.url}/toetsingen`);
    const rows = page.locator('table tr', { hasText: 'Ingediend' });
    assert.ok((await rows.count()) > 0, 'a submitted review waits for views');
    await rows.first().locator('a').click();
    await page.waitForURL(/\/toetsingen\/\d+$/);
    await page.click('a[href*="/oordeel?criterium="]');
    await page.waitForURL(/\/oordeel\?criterium=\d+$/);
    await assertAxe(page, 'verdict form');
    await page.selectOption('#veld-oordeel', 'nog_niet');
    await page.click('main button[type=submit]');
    await page.waitForSelector('#fout-onderbouwing');
    assert.match(await page.locator('#fout-onderbouwing').innerText(), /onderbouwing/i, 'a reason is required');
    await assertAxe(page, 'verdict form with errors');
    await page.selectOption('#veld-oordeel', 'nog_niet');
    await page.fill('#veld-onderbouwing', 'Het lokale team ziet dat de hulp later start.');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/toetsingen\/\d+\?melding=opgeslagen/);
    assert.ok((await page.locator('text=In beoordeling').count()) > 0);
    await context.close();
});
