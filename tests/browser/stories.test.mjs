// stories.test.mjs: the story and context-event pages in headless Chromium as beleid.emmen:
// list, search, detail and the form, including the anonymisation warnings and the "Ik heb dit
// gecontroleerd" confirmation, checked with axe-core (WCAG 2.1 A/AA) at desktop width and at
// 375 px, without console errors or CSP violations; recording a story end to end with the
// keyboard-reachable controls; the context list and form; and the indicator page with its
// context event listed under the table and in the chart's JSON (charts.js marks it).
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

for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 375, height: 667 }],
]) {
    test(`stories pages are accessible (${label})`, async () => {
        const context = await newContext(browser, { viewport });
        const page = await loginAs(context, 'beleid.emmen');
        const problems = watchPage(page);
        await page.goto(`${srv.url}/verhalen`);
        assert.equal(await page.locator('nav a[href="/verhalen"]').count(), 1, 'nav: Verhalen');
        assert.ok((await page.locator('table a[href^="/verhalen/"]').count()) > 0, 'stories listed');
        await assertAxe(page, `/verhalen (${label})`);
        await page.fill('#veld-zoek', 'slapengaan');
        await page.click('form[role=search] button[type=submit]');
        await page.waitForURL(/zoek=slapengaan/);
        assert.match(await page.locator('.duiding-count').innerText(), /^1 verhaal gevonden/);
        await page.click('table a[href^="/verhalen/"]');
        await page.waitForURL(/\/verhalen\/\d+$/);
        await assertAxe(page, `story detail (${label})`);
        await page.goto(`${srv.url}/verhalen/nieuw`);
        await assertAxe(page, `new story form (${label})`);
        // Overflowing the phone width would hide form controls.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `no horizontal scrolling (${overflow}px)`);
        await page.goto(`${srv.url}/context`);
        await assertAxe(page, `/context (${label})`);
        await page.goto(`${srv.url}/context/nieuw`);
        await assertAxe(page, `/context/nieuw (${label})`);
        await screenshot(page, `context-form-${label}`);
        assert.deepEqual(problems, []);
        await context.close();
    });
}

test('recording a story: warnings first, saved after confirming', async () => {
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await loginAs(context, 'beleid.emmen');
    // The first POST answers 422 on purpose (the form comes back with the warnings).
    const problems = watchPage(page, { ignore: [/\/favicon\.ico$/, /\/verhalen$/] });
    await page.goto(`${srv.url}/verhalen/nieuw`);
    await page.fill('#veld-titel', 'Hulp bij het gezin');
    await page.selectOption('#veld-soort', 'casus');
    await page.fill('#veld-tekst', 'De moeder, mevr. Smit, belde op 06-12345678.\n\nDaarna ging het beter.');
    await page.fill('#veld-rol', 'wijkcoach');
    await page.fill('#veld-datum', '2025-04-01');
    await page.selectOption('#veld-toestemming', 'gesprek');
    await page.selectOption('#veld-gemeente', { label: 'Emmen' });
    await page.click('main form[method=post] button[type=submit].utrecht-button--primary-action');
    await page.waitForSelector('#controle');
    const warn = await page.locator('#controle').innerText();
    assert.match(warn, /telefoonnummer: 06-12345678/);
    assert.match(warn, /mogelijk een naam: Smit/);
    assert.equal(await page.inputValue('#veld-tekst'), 'De moeder, mevr. Smit, belde op 06-12345678.\n\nDaarna ging het beter.');
    await assertAxe(page, 'form with anonymisation warnings');
    await screenshot(page, 'story-warnings');
    // The writer removes the name but keeps the number, and confirms.
    await page.fill('#veld-tekst', 'De moeder belde op 06-12345678.\n\nDaarna ging het beter.');
    await page.check('#veld-gecontroleerd-1');
    await page.click('main form[method=post] button[type=submit].utrecht-button--primary-action');
    await page.waitForURL(/\/verhalen\/\d+\?melding=aangemaakt$/);
    assert.match(await page.locator('main').innerText(), /Daarna ging het beter\./);
    await assertAxe(page, 'saved story');
    assert.deepEqual(problems, []);
    await context.close();
});

test('the indicator page lists the context events and gives them to the chart', async () => {
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await loginAs(context, 'beleid.emmen');
    const problems = watchPage(page);
    await page.goto(`${srv.url}/indicatoren`);
    const href = await page.locator('main a[href^="/indicatoren/"]').first().getAttribute('href');
    await page.goto(`${srv.url}${href}`);
    await page.waitForSelector('html[data-grafieken="klaar"]', { state: 'attached', timeout: 30_000 });
    const list = page.locator('.duiding-context__events');
    assert.ok((await list.count()) > 0, 'events listed under the table');
    assert.match(await list.first().innerText(), /Regionale afspraken over wachttijden jeugdhulp/);
    // The chart's JSON carries the same events for charts.js to mark.
    const labels = await page.evaluate(() =>
        [...document.querySelectorAll('script[type="application/json"]')].flatMap((s) =>
            (JSON.parse(s.textContent).gebeurtenissen || []).map((g) => g.label)
        )
    );
    assert.ok(labels.includes('Regionale afspraken over wachttijden jeugdhulp'), JSON.stringify(labels));
    await assertAxe(page, 'indicator page with context');
    assert.deepEqual(problems, []);
    await context.close();
});
