// theory.test.mjs: the theory of change pages in headless Chromium, checked with axe-core
// (WCAG 2.1 A/AA) at desktop width and at 375 px without console errors, CSP violations or
// horizontal scrolling: the chain of an Emmen result with a demo theory
// (/resultaten/{id}/verandertheorie, as beleid.emmen who may edit it, and as raad.emmen who
// reads it), its history (/versies), the comparison of two versions (?van=&tot=) and one old
// version (/versies/{n}). On a wide screen the steps of an activity sit side by side; on a
// phone they are stacked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.mjs';
import { launchBrowser, newContext, checkA11y, formatViolations, screenshot, watchPage } from '../lib/browser.mjs';

let srv;
let browser;
let theoryPath; // /resultaten/{id}/verandertheorie of a result with two or more versions

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

/** A result of Emmen whose theory has at least two versions (the demo writes two). */
async function findTheory(page) {
    const res = await page.request.get(`${srv.url}/api/v1/organisaties?paginaGrootte=1000`, { headers: { accept: 'application/json' } });
    const emmen = (await res.json()).items.find((o) => o.naam === 'Emmen');
    const rs = await page.request.get(`${srv.url}/api/v1/maatschappelijke-resultaten?eigenaar=${emmen.id}`, { headers: { accept: 'application/json' } });
    for (const r of (await rs.json()).items) {
        const t = await page.request.get(`${srv.url}/api/v1/maatschappelijke-resultaten/${r.id}/verandertheorie`, { headers: { accept: 'application/json' } });
        if (t.status() === 200 && (await t.json()).versie >= 2) return `/resultaten/${r.id}/verandertheorie`;
    }
    throw new Error('no Emmen result with a theory of two versions in the demo');
}

for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 375, height: 667 }],
]) {
    test(`theory of change pages are accessible (${label})`, async () => {
        const context = await newContext(browser, { viewport });
        const page = await loginAs(context, 'beleid.emmen');
        const problems = watchPage(page);
        theoryPath ??= await findTheory(page);
        await page.goto(`${srv.url}${theoryPath}`);
        assert.ok((await page.locator('main li, main article').count()) > 0, 'the chain is shown');
        // The editor sees the add button (the raad test below checks it is absent for readers).
        assert.ok((await page.locator(`a[href="${theoryPath}/activiteiten/nieuw"]`).count()) > 0, 'add button for the editor');
        await assertAxe(page, `theory (${label})`);
        await noOverflow(page, `theory (${label})`);
        await screenshot(page, `verandertheorie-${label}`);

        await page.goto(`${srv.url}${theoryPath}/versies`);
        await assertAxe(page, `theory versions (${label})`);
        await noOverflow(page, `theory versions (${label})`);
        // Compare: the link "vergelijk met de vorige" of the newest version.
        const compare = page.locator('a[href*="versies?van="]').first();
        assert.ok((await compare.count()) > 0, 'a comparison link');
        await compare.click();
        await page.waitForURL(/versies\?van=\d+&tot=\d+/);
        assert.ok((await page.locator('#kop-vergelijking').count()) === 1, 'the comparison');
        await assertAxe(page, `theory comparison (${label})`);
        await noOverflow(page, `theory comparison (${label})`);
        await screenshot(page, `verandertheorie-vergelijking-${label}`);

        await page.goto(`${srv.url}${theoryPath}/versies/1`);
        await assertAxe(page, `theory version 1 (${label})`);
        await noOverflow(page, `theory version 1 (${label})`);
        assert.deepEqual(problems, []);
        await context.close();
    });
}

test('a raad member reads the theory without edit buttons; accessible', async () => {
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await loginAs(context, 'raad.emmen');
    const problems = watchPage(page);
    theoryPath ??= await findTheory(page);
    await page.goto(`${srv.url}${theoryPath}`);
    assert.equal(await page.locator(`a[href="${theoryPath}/activiteiten/nieuw"]`).count(), 0, 'no add button');
    assert.equal(await page.locator('main form[method="post"]').count(), 0, 'no edit forms');
    await assertAxe(page, 'theory as raad.emmen');
    assert.deepEqual(problems, []);
    await context.close();
});
