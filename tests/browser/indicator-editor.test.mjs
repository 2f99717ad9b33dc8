// Browser journey for the indicator editor (headless Chromium + axe-core): a beleidsadviseur of
// gemeente Emmen creates a local indicator, sees a validation error with the column for a
// mistyped field in an expression, fixes it, previews the figures on the demo data (disclosed:
// "." for small cells), saves, sets a target, links the indicator to a societal result and
// finds it in the result's history of versions after an edit. A council member and a provider's
// quality officer get no edit controls and a 403 on the editor's URLs. Every page passes axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.mjs';
import { launchBrowser, newContext, checkA11y, formatViolations, screenshot, watchPage } from '../lib/browser.mjs';

let srv;
let browser;
let indicatorId;
let resultId;
const CODE = `snel_klaar_${Date.now().toString(36)}`;
const NAME = 'Jeugdhulp binnen 90 dagen afgerond';

before(async () => {
    srv = await startServer({ demo: true, omvang: 'normaal' });
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

async function assertA11y(page, what) {
    const v = await checkA11y(page);
    assert.deepEqual(v, [], `${what}:\n${formatViolations(v)}`);
}

test('beleid.emmen creates, previews, saves, targets and links a local indicator', async () => {
    const context = await newContext(browser);
    const page = await loginAs(context, 'beleid.emmen');
    const problems = watchPage(page);

    await page.goto(`${srv.url}/indicatoren/nieuw`);
    assert.equal(await page.textContent('h1'), 'Nieuwe indicator');
    await assertA11y(page, 'new indicator form');

    await page.fill('#veld-code', CODE);
    await page.fill('#veld-naam', NAME);
    await page.fill('#veld-uitleg', 'Welk deel van de afgesloten jeugdhulptrajecten duurde hoogstens 90 dagen.');
    await page.fill('#veld-bron', 'Afspraak gemeente Emmen 2025');
    await page.selectOption('#veld-eenheid', 'traject');
    await page.selectOption('#veld-anker', 'einde');
    await page.selectOption('#veld-aggregatie', 'aandeel');
    await page.fill('#veld-populatie', 'wet = "jw" en niet open');
    // A typo in the field name: "doorloptijd" instead of "doorlooptijd".
    await page.fill('#veld-gebeurtenis', 'doorloptijd <= 90');
    await page.selectOption('#veld-polariteit', 'hoger_beter');
    await page.selectOption('#veld-kwadrant', 'hoe_goed');
    await page.selectOption('#veld-eenheid_waarde', 'procent');
    await page.fill('#veld-min_n', '10');

    // The field list is there to help.
    await page.click('#veldenlijst summary');
    assert.match(await page.textContent('#veldenlijst'), /doorlooptijd/);

    await page.click('main button[value=voorbeeld]');
    await page.waitForSelector('.duiding-error-summary');
    const err = await page.textContent('#fout-gebeurtenis');
    assert.match(err, /kolom 1\b/i, `the column is named: ${err}`);
    assert.match(err, /doorloptijd/);
    assert.equal(await page.inputValue('#veld-gebeurtenis'), 'doorloptijd <= 90', 'input kept');
    assert.equal(await page.inputValue('#veld-naam'), NAME);
    assert.equal(await page.getAttribute('#veld-gebeurtenis', 'aria-invalid'), 'true');
    await screenshot(page, 'indicator-nieuw-fout-kolom');
    await assertA11y(page, 'form with an expression error');

    // Fix it and preview on the demo data.
    await page.fill('#veld-gebeurtenis', 'doorlooptijd <= 90');
    await page.click('main button[value=voorbeeld]');
    await page.waitForSelector('#voorbeeld table');
    assert.equal(await page.locator('.duiding-error-summary').count(), 0);
    const caption = await page.textContent('#voorbeeld caption');
    assert.match(caption, /Voorbeeld per gemeente/);
    const rowHeads = await page.$$eval('#voorbeeld tbody th', (ths) => ths.map((t) => t.textContent.trim()));
    assert.ok(rowHeads.includes('Emmen'), `Emmen is a row: ${rowHeads}`);
    assert.ok(!rowHeads.includes('Hoogeveen'), 'a gemeente sees its own residents only');
    const cells = await page.$$eval('#voorbeeld tbody td', (tds) => tds.map((t) => t.textContent.trim()));
    assert.equal(cells.length, rowHeads.length * 4, 'four quarters per row');
    assert.ok(cells.every((c) => /^\.$|%/.test(c)), `a percentage or "." in every cell: ${cells}`);
    assert.ok(!cells.some((c) => /^0$/.test(c)), 'hidden figures are never 0');
    await screenshot(page, 'indicator-voorbeeld');
    await assertA11y(page, 'preview');

    await page.click('main button[value=opslaan]');
    await page.waitForURL(/\/indicatoren\/\d+(\?|$)/);
    indicatorId = Number(new URL(page.url()).pathname.split('/')[2]);
    assert.ok(indicatorId > 0);

    // Edit: the form carries the stored values; a change shows up in the history.
    await page.goto(`${srv.url}/indicatoren/${indicatorId}/bewerken`);
    assert.equal(await page.inputValue('#veld-gebeurtenis'), 'doorlooptijd <= 90');
    await assertA11y(page, 'edit form');
    await page.fill('#veld-gebeurtenis', 'doorlooptijd <= 120');
    await page.click('main button[value=opslaan]');
    await page.waitForURL(/\/indicatoren\/\d+(\?|$)/);
    await page.goto(`${srv.url}/indicatoren/${indicatorId}/versies`);
    const hist = await page.textContent('main');
    assert.match(hist, /Versie 2/);
    assert.match(hist, /doorlooptijd <= 90/);
    assert.match(hist, /doorlooptijd <= 120/);
    await screenshot(page, 'indicator-versies');
    await assertA11y(page, 'version history');

    // A target: first a wrong date, then right.
    await page.goto(`${srv.url}/indicatoren/${indicatorId}/streefwaarden`);
    await assertA11y(page, 'targets, empty');
    await page.fill('#veld-waarde', '75');
    await page.fill('#veld-geldig_van', '31-02-2025');
    await page.click('main form[action$="/streefwaarden"] button[type=submit]');
    await page.waitForSelector('#fout-geldig_van');
    await assertA11y(page, 'target form with an error');
    await page.fill('#veld-geldig_van', '1-1-2025');
    await page.click('main form[action$="/streefwaarden"] button[type=submit]');
    await page.waitForURL(/melding=aangemaakt/);
    const targets = await page.textContent('main table');
    assert.match(targets, /75/);
    assert.match(targets, /2025/);
    await screenshot(page, 'indicator-streefwaarden');
    await assertA11y(page, 'targets');

    // Link it to a societal result of Emmen.
    await page.goto(`${srv.url}/resultaten`);
    const hrefs = await page.$$eval('main a[href^="/resultaten/"]', (as) => as.map((a) => a.getAttribute('href')));
    const candidates = hrefs.filter((h) => /^\/resultaten\/\d+$/.test(h));
    for (const h of candidates) {
        await page.goto(`${srv.url}${h}`);
        if ((await page.locator(`#indicatoren input[value="${indicatorId}"]`).count()) === 1) {
            resultId = Number(h.split('/')[2]);
            break;
        }
    }
    assert.ok(resultId, 'a result of Emmen offers the new indicator');
    await page.click('#indicatoren-kiezen summary');
    await page.check(`#indicatoren input[value="${indicatorId}"]`);
    await page.click('#indicatoren button[type=submit]');
    await page.waitForURL(/melding=opgeslagen/);
    const section = await page.textContent('#indicatoren');
    assert.match(section, new RegExp(NAME));
    assert.equal(await page.locator(`#indicatoren a[href="/dashboard?resultaat=${resultId}"]`).count(), 1);
    await screenshot(page, 'resultaat-indicatoren');
    await assertA11y(page, 'result with linked indicators');

    assert.deepEqual(problems.filter((p) => !/http 422/.test(p)), [], 'console errors or failed requests');
    await context.close();
});

for (const login of ['raad.emmen', 'kwaliteit.aanbieder']) {
    test(`${login} gets no edit controls and 403 on the editor`, async () => {
        assert.ok(indicatorId, 'the first journey made an indicator');
        const context = await newContext(browser);
        const page = await loginAs(context, login);
        for (const p of ['/indicatoren/nieuw', `/indicatoren/${indicatorId}/bewerken`]) {
            const res = await page.goto(`${srv.url}${p}`);
            assert.equal(res.status(), 403, `${login} GET ${p}`);
            await assertA11y(page, `403 page for ${login}`);
        }
        const res = await page.goto(`${srv.url}/indicatoren/${indicatorId}/streefwaarden`);
        assert.equal(res.status(), 200);
        assert.match(await page.textContent('main'), /75/, 'the target can be read');
        assert.equal(await page.locator('main form[action$="/streefwaarden"]').count(), 0, 'no add form');
        assert.equal(await page.locator('main form[action$="/verwijderen"]').count(), 0, 'no delete buttons');
        await assertA11y(page, `targets for ${login}`);
        const detail = await page.goto(`${srv.url}/indicatoren/${indicatorId}`);
        if (detail.status() === 200) {
            assert.equal(await page.locator('main a[href$="/bewerken"]').count(), 0, 'no edit link');
            assert.equal(await page.locator('main form[action$="/archiveren"]').count(), 0, 'no archive button');
        }
        if (login === 'raad.emmen' && resultId) {
            await page.goto(`${srv.url}/resultaten/${resultId}`);
            assert.match(await page.textContent('#indicatoren'), new RegExp(NAME), 'the link is visible');
            assert.equal(await page.locator('#indicatoren input[type=checkbox]').count(), 0, 'no link form');
            await screenshot(page, 'resultaat-indicatoren-raad');
            await assertA11y(page, 'result for raad');
        }
        await context.close();
    });
}
