// Browser journeys in headless Chromium (Debian chromium via playwright-core): a policy advisor
// logs in through the form, creates a societal result (first with errors, then valid), switches
// the language, and every page reachable by each role passes axe-core (WCAG 2.1 A/AA).
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

test('beleid.emmen creates a societal result through the form', async () => {
    const context = await newContext(browser);
    const page = await loginAs(context, 'beleid.emmen');
    const problems = watchPage(page);
    assert.match(await page.textContent('h1'), /Start/);
    await page.goto(`${srv.url}/resultaten/nieuw`);
    // Submitting the empty form shows the errors inline and in a summary, and keeps us on the form.
    await page.click('main button[type=submit]');
    await page.waitForSelector('.duiding-error-summary');
    assert.ok(await page.locator('[aria-invalid="true"]').count() >= 1, 'invalid fields are marked');
    await screenshot(page, 'resultaat-nieuw-fouten');
    const v = await checkA11y(page);
    assert.deepEqual(v, [], formatViolations(v));

    const title = `Meer jongeren in Emmen vinden snel passende hulp ${Date.now()}`;
    await page.fill('#veld-titel', title);
    await page.fill('#veld-beschrijving', 'Jongeren en ouders krijgen binnen vier weken hulp die past.\n\nWe meten dat met de wachttijd en de tevredenheid.');
    await page.selectOption('#veld-thema', { index: 1 });
    await page.fill('#veld-startjaar', '2025');
    await page.fill('#veld-eindjaar', '2028');
    await page.click('main button[type=submit]');
    await page.waitForURL(/\/resultaten\/\d+/);
    assert.equal(await page.textContent('h1'), title);
    assert.match(await page.textContent('main'), /2025/);
    await screenshot(page, 'resultaat-aangemaakt');
    // It appears in the list.
    await page.goto(`${srv.url}/resultaten?q=${encodeURIComponent('passende hulp')}`);
    assert.ok(await page.getByRole('link', { name: title }).count() === 1, 'new result listed');
    // The one 422 is the empty submit above, on purpose.
    const unexpected = problems.filter((p) => !/^http 422: POST .*\/resultaten$/.test(p));
    assert.deepEqual(unexpected, [], 'console errors or failed requests');
    await context.close();
});

test('switching the language to English and back', async () => {
    const context = await newContext(browser);
    const page = await loginAs(context, 'raad.emmen');
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    await page.click('button[name="taal"][value="en"]');
    await page.waitForLoadState();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.textContent('header'), /Log out|Sign out/);
    await screenshot(page, 'home-en');
    const v = await checkA11y(page);
    assert.deepEqual(v, [], formatViolations(v));
    // The choice sticks: a new page in the same session is English too.
    await page.goto(`${srv.url}/resultaten`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.click('button[name="taal"][value="nl"]');
    await page.waitForLoadState();
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    assert.match(await page.textContent('header'), /Uitloggen/);
    await context.close();
});

// Every page a role can reach by following links (GET only, same origin, bounded) has no axe
// violations, in Dutch and at a phone-sized viewport for the first pages.
const ROLES = ['beheerder', 'beleid.emmen', 'contract.regio', 'kwaliteit.aanbieder', 'toezicht.ggd', 'raad.emmen'];
const MAX_PAGES = 40;

// Links to files (CSV and Excel exports, the JSON of a view): fetched and checked, not opened
// as pages. [path pattern, media type, sent as an attachment by the server]
const DOWNLOAD_TYPES = [
    [/\.csv$/, /^text\/csv/, true],
    [/\.xlsx$/, /^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/, true],
    [/\.json$/, /^application\/json/, false],
    // A batch's correction file: the rejected records in the format they came in.
    [/\/correctiebestand$/, null, true],
];
const pathOf = (href) => href.replace(/[?#].*$/, '');
const downloadType = (href) => DOWNLOAD_TYPES.find(([ext]) => ext.test(pathOf(href)));

for (const role of ROLES) {
    test(`axe-core on every page reachable as ${role}`, async () => {
        const context = await newContext(browser);
        const page = await loginAs(context, role);
        const problems = watchPage(page);
        const seen = new Set();
        const queue = ['/'];
        const failures = [];
        const downloads = new Map(); // shape -> first href: fetched, not visited
        // Visit one example per route shape (ids collapsed), so the crawl stays bounded.
        const shape = (p) => p.replace(/\/\d+/g, '/{id}').replace(/\?.*$/, '');
        while (queue.length && seen.size < MAX_PAGES) {
            const path = queue.shift();
            if (seen.has(shape(path))) continue;
            seen.add(shape(path));
            const res = await page.goto(`${srv.url}${path}`);
            assert.ok(res.status() < 500, `${path}: status ${res.status()}`);
            const v = await checkA11y(page);
            if (v.length) failures.push(`${path}:\n${formatViolations(v)}`);
            const links = await page.$$eval('a[href]', (as) =>
                as.map((a) => ({ href: a.getAttribute('href'), download: a.hasAttribute('download') }))
            );
            for (const { href, download } of links) {
                if (!href || !href.startsWith('/') || href.startsWith('//')) continue;
                if (href.startsWith('/static/') || href.startsWith('/api/')) continue;
                // A file download is no page: goto would abort ("Download is starting").
                if (download || downloadType(href)) {
                    if (!downloads.has(shape(href))) downloads.set(shape(href), href);
                    continue;
                }
                if (!seen.has(shape(href))) queue.push(href);
            }
        }
        // The downloads are still checked: fetched with the same session, they answer 200 with
        // the file's own media type (exports as an attachment), and are not empty.
        for (const href of downloads.values()) {
            const r = await context.request.get(`${srv.url}${href}`, { maxRedirects: 0 });
            const what = `${role} ${href}`;
            assert.equal(r.status(), 200, `${what}: status ${r.status()}`);
            const ct = r.headers()['content-type'] ?? '';
            const [, type, attachment] = downloadType(href) ?? [null, null, false];
            if (type) assert.match(ct, type, `${what}: content-type ${ct}`);
            else assert.doesNotMatch(ct, /^text\/html/, `${what}: a download answered a page`);
            if (attachment)
                assert.match(r.headers()['content-disposition'] ?? '', /^attachment/, `${what}: not an attachment`);
            assert.ok((await r.body()).length > 0, `${what}: empty file`);
        }
        if (role === 'beleid.emmen' || role === 'raad.emmen') {
            // They reach an indicator page, so its exports were among the links checked.
            const kinds = [...downloads.keys()].map((k) => pathOf(k).replace(/^.*\./, ''));
            for (const ext of ['csv', 'xlsx']) assert.ok(kinds.includes(ext), `${role}: no ${ext} download was checked`);
        }
        assert.ok(seen.size >= 4, `${role} reached only ${seen.size} pages`);
        assert.deepEqual(failures, [], failures.join('\n'));
        assert.deepEqual(problems, [], 'console errors or failed requests');
        await context.close();
    });
}

test('phone viewport: home and results list have no violations and no sideways scrolling', async () => {
    const context = await newContext(browser, { viewport: { width: 375, height: 800 } });
    const page = await loginAs(context, 'beleid.hoogeveen');
    for (const path of ['/', '/resultaten']) {
        await page.goto(`${srv.url}${path}`);
        const v = await checkA11y(page);
        assert.deepEqual(v, [], formatViolations(v));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${path} scrolls sideways by ${overflow}px`);
    }
    await screenshot(page, 'resultaten-telefoon');
    await context.close();
});
