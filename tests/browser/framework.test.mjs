// framework.test.mjs: the /kwaliteitskader pages in headless Chromium as contract.regio: the list,
// the framework per theme, the criterion form, the duplicates, the versions and the import form,
// checked with axe-core (WCAG 2.1 A/AA) at desktop width and at 375 px without console errors,
// CSP violations or horizontal scrolling; adding a criterion and merging a duplicate pair end to
// end with the visible controls.
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
    test(`kwaliteitskader pages are accessible (${label})`, async () => {
        const context = await newContext(browser, { viewport });
        const page = await loginAs(context, 'contract.regio');
        const problems = watchPage(page);
        await page.goto(`${srv.url}/kwaliteitskader`);
        // The "Kwaliteit" group of the menu leads here; its second line marks the current item.
        assert.equal(await page.locator('nav.duiding-subnav a[href="/kwaliteitskader"][aria-current="page"]').count(), 1,
            'nav: Kwaliteitskader is the current item of the Kwaliteit group');
        await assertAxe(page, `/kwaliteitskader (${label})`);
        await page.click('table a[href^="/kwaliteitskader/"]');
        await page.waitForURL(/\/kwaliteitskader\/\d+$/);
        const base = new URL(page.url()).pathname;
        assert.equal(await page.locator('main h2:not(#leidende-principes)').count(), 8, 'one heading per theme');
        assert.equal(await page.locator('main h2#leidende-principes').count(), 1, 'the guiding principles');
        await assertAxe(page, `${base} (${label})`);
        await page.selectOption('#veld-gemeente', { label: 'Hoogeveen' });
        await page.click('form[role=search] button[type=submit]');
        await page.waitForURL(/\?gemeente=\d+$/);
        assert.match(await page.locator('main').innerText(), /lokaal: Hoogeveen/);
        assert.doesNotMatch(await page.locator('main').innerText(), /lokaal: Emmen/);
        await assertAxe(page, `${base}?gemeente (${label})`);
        await screenshot(page, `kwaliteitskader-${label}`);
        for (const sub of ['/criteria/nieuw', '/dubbelingen', '/versies', '/importeren', '/criteria/1']) {
            await page.goto(`${srv.url}${base}${sub}`);
            await assertAxe(page, `${base}${sub} (${label})`);
            if (label === 'phone' && sub !== '/dubbelingen') await noOverflow(page, sub);
        }
        assert.deepEqual(problems, []);
        await context.close();
    });
}

test('adding a criterion and merging a duplicate with the page controls', async () => {
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await loginAs(context, 'contract.regio');
    const problems = watchPage(page, { ignore: [/\/favicon\.ico$/, /\/criteria$/] });
    await page.goto(`${srv.url}/kwaliteitskader`);
    await page.click('table a[href^="/kwaliteitskader/"]');
    await page.waitForURL(/\/kwaliteitskader\/\d+$/);
    const base = new URL(page.url()).pathname;
    await page.click('main a[href$="/criteria/nieuw"]');
    // First without a text: the form comes back with the error at the field (422 on purpose).
    await page.fill('#veld-code', 'B1');
    await page.fill('#veld-thema', 'Veiligheid');
    await page.click('main form[method=post] button[type=submit]');
    await page.waitForSelector('.utrecht-form-field-error-message, [id^="fout-"], .duiding-error-summary, [role=alert]');
    assert.match(await page.locator('main').innerText(), /Vul de tekst van het criterium in/);
    await assertAxe(page, 'criterion form with an error');
    await page.fill('#veld-tekst', 'De aanbieder oefent de ontruiming van elke locatie twee keer per jaar.');
    await page.click('main form[method=post] button[type=submit]');
    await page.waitForURL(new RegExp(`${base}\\?melding=aangemaakt$`));
    assert.match(await page.locator('main').innerText(), /oefent de ontruiming van elke locatie/);

    await page.goto(`${srv.url}${base}/dubbelingen`);
    const before = await page.locator('main table tbody tr').count();
    assert.equal(before, 4);
    await page.click('main button:has-text("Samenvoegen in K8.1")');
    await page.waitForURL(/\/dubbelingen\?melding=opgeslagen$/);
    assert.equal(await page.locator('main table tbody tr').count(), before - 1);
    await page.goto(`${srv.url}${base}`);
    assert.match(await page.locator('main').innerText(), /Certificering: HKZ Zorg en Welzijn, 7\.1/);
    await assertAxe(page, 'framework after a merge (archive section)');
    assert.deepEqual(problems, []);
    await context.close();
});
