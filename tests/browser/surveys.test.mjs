// Browser tests of the questionnaire builder and the letters (web/page_survey.c,
// web/page_round.c) in headless Chromium with axe-core (WCAG 2.1 A/AA): beleid.emmen opens its
// demo questionnaire, adds a question with a condition through the form (an error first), sees
// it in the builder and in the preview (the residents' renderer), makes a round with codes and
// opens its letters: one per page when printed (A4, page breaks), each with a QR code image
// that has an accessible name. Every page visited passes axe, also on a phone-sized viewport.
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

async function axe(page, what) {
    const v = await checkA11y(page);
    assert.deepEqual(v, [], `${what}: ${formatViolations(v)}`);
}

test('builder, preview, round and letters pass axe; letters print one per A4 page', async () => {
    const context = await newContext(browser);
    const page = await loginAs(context, 'beleid.emmen');
    const problems = watchPage(page);
    await page.goto(`${srv.url}/enquetes`);
    await axe(page, 'list');
    // Emmen's own questionnaire: the row whose owner is Emmen.
    const row = page.locator('tr', { hasText: 'Emmen' }).first();
    await row.locator('a[href^="/enquetes/"]').first().click();
    await page.waitForURL(/\/enquetes\/\d+$/);
    const surveyUrl = page.url();
    assert.match(await page.textContent('h1'), /Uw ervaring met de Wmo-ondersteuning/);
    await axe(page, 'builder');
    await screenshot(page, 'enquete-bouwer');

    // Add a question to step 3: first without text (error), then with a condition.
    await page.goto(`${surveyUrl}/secties/3/vraag-nieuw`);
    await axe(page, 'question form');
    await page.fill('#veld-item', 'wmo_extra');
    await page.click('main button[type=submit]');
    await page.waitForSelector('.duiding-error-summary');
    await axe(page, 'question form with errors');
    await page.fill('#veld-tekst', 'Wat kan er beter aan de ondersteuning?');
    await page.selectOption('#veld-soort', 'open');
    await page.selectOption('#veld-als_item', 'wmo_ceo_6');
    await page.fill('#veld-als_waarden', '1, 2');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/enquetes\/\d+\?melding=opgeslagen/);
    assert.match(await page.textContent('main'), /Wat kan er beter aan de ondersteuning\?/);
    assert.match(await page.textContent('main'), /Alleen als het antwoord op/);

    // Preview of step 3, as residents see it; on a phone too.
    await page.goto(`${surveyUrl}/voorbeeld?stap=3`);
    assert.match(await page.textContent('main'), /Stap 3 van 3/);
    assert.ok((await page.locator('main fieldset').count()) >= 4);
    await axe(page, 'preview');
    await page.setViewportSize({ width: 375, height: 667 });
    await axe(page, 'preview on a phone');
    await screenshot(page, 'enquete-voorbeeld-telefoon');
    await page.setViewportSize({ width: 1280, height: 900 });

    // A round with codes, then its letters.
    await page.goto(`${surveyUrl}/rondes`);
    await axe(page, 'rounds');
    await page.fill('#veld-naam', 'Browsertest');
    await page.fill('#veld-van', '2026-11-01');
    await page.fill('#veld-tot', '2026-12-31');
    await page.click('main form[action$="/rondes"] button[type=submit]');
    await page.waitForURL(/\/rondes\/\d+\?melding=aangemaakt/);
    await axe(page, 'round');
    await page.fill('#veld-aantal', '3');
    await page.click('main form[action$="/codes"] button[type=submit]');
    await page.waitForURL(/\/rondes\/\d+\?melding=aangemaakt/);
    assert.match(await page.textContent('main'), /Uitnodigingen\s*3/);
    const roundUrl = page.url().replace(/\?.*$/, '');
    await page.goto(`${roundUrl}/brieven`);
    assert.equal(await page.locator('article.brief').count(), 3);
    await axe(page, 'letters');
    const qr = page.locator('article.brief svg[role="img"]');
    assert.equal(await qr.count(), 3);
    assert.match(await qr.first().locator('title').textContent(), /QR-code/);
    const box = await qr.first().boundingBox();
    assert.ok(box && box.width > 100, 'the QR code is drawn large enough to scan');
    // Printed: every letter ends with a page break, on A4.
    await page.emulateMedia({ media: 'print' });
    const breaks = await page.$$eval('article.brief', (els) => els.map((e) => getComputedStyle(e).breakAfter));
    assert.deepEqual(breaks, ['page', 'page', 'auto']);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.equal(pages, 3, 'one A4 page per letter');
    await page.emulateMedia({ media: 'screen' });
    await screenshot(page, 'enquete-brieven');
    // The one 422 is the question submitted without text above, on purpose.
    const unexpected = problems.filter((p) => !/^http 422: POST .*\/secties\/3\/vragen$/.test(p));
    assert.deepEqual(unexpected, [], 'console errors or failed requests');
    await context.close();
});
