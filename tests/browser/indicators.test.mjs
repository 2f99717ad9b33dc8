// indicators.test.mjs: the dashboard and the indicator pages in headless Chromium for a gemeente
// user (beleid.emmen), a provider (kwaliteit.aanbieder) and a council member (raad.emmen):
// charts are drawn by Observable Plot from the JSON in the page (one point per shown period,
// a "." for each hidden one, never a point at 0), every chart has its table, axe-core finds no
// WCAG 2.1 A/AA violation, there are no console errors or CSP violations, the pages work at
// 320 px, and without JavaScript the tables are still there. Screenshots go to
// tests/browser/screenshots/ (or $DUIDING_SCREENSHOT_DIR). The demo is the normal size (tens of
// thousands of trajectories), so a provider has figures large enough to show.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_PASSWORD } from '../lib/server.mjs';
import { launchBrowser, newContext, checkA11y, formatViolations, screenshot, watchPage } from '../lib/browser.mjs';

let srv;
let browser;
let indicatorIds = [];
let barsId; // an indicator whose page drew bars per aanbieder for beleid.emmen

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

async function assertAxe(page, what) {
    const v = await checkA11y(page);
    assert.deepEqual(v, [], `${what}:\n${formatViolations(v)}`);
}

// Waits until charts.js has handled every chart; resolves how many it drew.
async function chartsDrawn(page) {
    await page.waitForSelector('html[data-grafieken="klaar"]', { state: 'attached', timeout: 30_000 });
    return page.locator('figure[data-grafiek] svg').count();
}

// Every chart is drawn exactly when its JSON has something to show (and stays hidden otherwise).
async function checkDrawnIffData(page) {
    return page.evaluate(() => {
        const wrong = [];
        for (const fig of document.querySelectorAll('figure[data-grafiek]')) {
            const view = JSON.parse(document.getElementById(fig.dataset.bron).textContent);
            const total = (c) => c.sleutel.every((k) => k === null);
            const shown = (c) => c.verborgen === null && typeof c.waarde === 'number';
            const expect =
                fig.dataset.grafiek === 'trend'
                    ? view.cellen.some((c) => total(c) && shown(c))
                    : view.cellen.some((c) => !total(c) && shown(c) && c.periode === fig.dataset.periode);
            const drawn = !!fig.querySelector('svg') && !fig.hidden;
            if (drawn !== expect) wrong.push(`${fig.dataset.bron} ${fig.dataset.grafiek}: drawn ${drawn}, data ${expect}`);
        }
        return wrong;
    });
}

// For every drawn trend chart: one point per shown period total, one "." per hidden one.
async function checkTrendMarks(page) {
    return page.evaluate(() => {
        const out = [];
        for (const fig of document.querySelectorAll('figure[data-grafiek="trend"]')) {
            const svg = fig.querySelector('svg');
            if (!svg) continue;
            const view = JSON.parse(document.getElementById(fig.dataset.bron).textContent);
            const totals = view.cellen.filter((c) => c.sleutel.every((k) => k === null));
            const shown = totals.filter((c) => c.verborgen === null && typeof c.waarde === 'number').length;
            const hidden = totals.filter((c) => c.verborgen !== null).length;
            const dots = svg.querySelectorAll('circle').length;
            const marks = [...svg.querySelectorAll('text')].filter((t) => t.textContent === '.').length;
            out.push({ id: fig.dataset.bron, shown, hidden, dots, marks, styles: svg.querySelectorAll('style').length });
        }
        return out;
    });
}

const USERS = [
    { login: 'beleid.emmen', per: 'aanbieder', name: 'gemeente' },
    { login: 'kwaliteit.aanbieder', per: 'gemeente', name: 'aanbieder' },
    { login: 'raad.emmen', per: 'leeftijd', name: 'raad' },
];

for (const u of USERS) {
    test(`dashboard and indicator pages for ${u.login}`, async () => {
        const context = await newContext(browser);
        const page = await loginAs(context, u.login);
        const problems = watchPage(page);

        // The main menu's "Cijfers" leads to the dashboard; its second line to the indicators.
        assert.equal(await page.locator('nav a[href="/dashboard"]').count(), 1, 'nav: Cijfers');
        await page.goto(`${srv.url}/dashboard`);
        assert.equal(await page.locator('nav.duiding-subnav a[href="/indicatoren"]').count(), 1, 'subnav: Indicatoren');
        assert.equal(await page.textContent('h1'), 'Dashboard');
        const n = await chartsDrawn(page);
        assert.ok(n >= 5, `${u.login}: ${n} charts drawn on the dashboard`);
        assert.ok((await page.locator('.duiding-dash-card').count()) >= 10, 'cards');
        assert.ok((await page.locator('.duiding-dash-card table').count()) >= 10, 'a table in every card');
        for (const m of await checkTrendMarks(page)) {
            assert.equal(m.dots, m.shown, `${m.id}: one point per shown period`);
            assert.equal(m.marks, m.hidden, `${m.id}: one "." per hidden period`);
            assert.equal(m.styles, 0, `${m.id}: Plot's <style> removed (CSP)`);
        }
        assert.deepEqual(await checkDrawnIffData(page), [], 'charts drawn exactly where there is data');
        await assertAxe(page, `/dashboard as ${u.login}`);
        await screenshot(page, `indicatoren-dashboard-${u.name}`);

        await page.goto(`${srv.url}/indicatoren`);
        await assertAxe(page, `/indicatoren as ${u.login}`);
        await screenshot(page, `indicatoren-lijst-${u.name}`);
        if (!indicatorIds.length) {
            const hrefs = await page.$$eval('main a[href^="/indicatoren/"]', (as) => as.map((a) => a.getAttribute('href')));
            indicatorIds = [...new Set(hrefs.map((h) => (h.match(/^\/indicatoren\/(\d+)$/) || [])[1]).filter(Boolean))];
        }
        assert.ok(indicatorIds.length >= 10, 'indicators listed');

        // One indicator with a breakdown: the trend and the bars, each with a table.
        let drawnBars = false;
        for (const id of indicatorIds.slice(0, 8)) {
            const res = await page.goto(`${srv.url}/indicatoren/${id}?per=${u.per}`);
            if (res.status() === 400) continue; // a breakdown this indicator cannot do
            assert.equal(res.status(), 200);
            await chartsDrawn(page);
            if ((await page.locator('#tabel-totaal').count()) === 0) {
                // No figures at all for this choice (e.g. nothing in the provider's scope): said so.
                assert.ok((await page.textContent('main')).includes('Er zijn (nog) geen cijfers voor deze keuze'));
                continue;
            }
            assert.equal(await page.locator('#tabel-verdeling').count(), 1, 'breakdown table');
            for (const m of await checkTrendMarks(page)) {
                assert.equal(m.dots, m.shown, `indicator ${id}: one point per shown period`);
                assert.equal(m.marks, m.hidden, `indicator ${id}: one "." per hidden period`);
            }
            assert.deepEqual(await checkDrawnIffData(page), [], `indicator ${id}: charts drawn where there is data`);
            const bars = await page.locator('figure[data-grafiek="verdeling"] svg rect').count();
            if (bars > 0) {
                drawnBars = true;
                if (u.per === 'aanbieder') barsId = id;
                await assertAxe(page, `/indicatoren/${id} as ${u.login}`);
                await screenshot(page, `indicator-${u.name}-per-${u.per}`);
                break;
            }
        }
        assert.ok(drawnBars, `${u.login}: a breakdown chart with bars`);
        const unexpected = problems.filter((p) => !/^http 400: GET .*\/indicatoren\/\d+\?per=/.test(p));
        assert.deepEqual(unexpected, [], 'console errors, CSP violations or failed requests');
        await context.close();
    });
}

test('context events ("gebeurtenissen") are drawn on the trend when the JSON has them', async () => {
    const context = await newContext(browser);
    const page = await loginAs(context, 'beleid.emmen');
    const problems = watchPage(page);
    let drawn = false;
    for (const id of indicatorIds) {
        // The view JSON gets an event in its middle period, as a later issue will deliver them.
        await page.route(`${srv.url}/indicatoren/${id}`, async (route) => {
            const res = await route.fetch();
            const html = await res.text();
            const body = html.replace(
                /(<script type="application\/json" id="cijfers-\d+">)([\s\S]*?)(<\/script>)/,
                (all, open, json, close) => {
                    const v = JSON.parse(json);
                    const mid = v.perioden[Math.floor(v.perioden.length / 2)];
                    v.gebeurtenissen = [{ datum: mid.begin, label: 'Nieuw contract' }];
                    return open + JSON.stringify(v).replace(/</g, '\\u003c') + close;
                }
            );
            await route.fulfill({ response: res, body });
        });
        await page.goto(`${srv.url}/indicatoren/${id}`);
        await page.waitForLoadState('load');
        await page.waitForTimeout(300);
        const texts = await page.$$eval('figure[data-grafiek="trend"] svg text', (ts) => ts.map((t) => t.textContent));
        await page.unroute(`${srv.url}/indicatoren/${id}`);
        if (!texts.length) continue; // nothing shown for this indicator: no chart
        assert.ok(texts.includes('Nieuw contract'), `event label drawn (${texts.join('|')})`);
        drawn = true;
        await screenshot(page, 'indicator-met-gebeurtenis');
        break;
    }
    assert.ok(drawn, 'an indicator with a trend chart to put the event on');
    assert.deepEqual(problems, []);
    await context.close();
});

test('at 320 px the dashboard fits the screen', async () => {
    const context = await newContext(browser, { viewport: { width: 320, height: 800 } });
    const page = await loginAs(context, 'beleid.emmen');
    const problems = watchPage(page);
    await page.goto(`${srv.url}/dashboard`);
    await chartsDrawn(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
    const widest = await page.$$eval('figure[data-grafiek] svg', (svgs) => Math.max(...svgs.map((s) => s.getBoundingClientRect().width)));
    assert.ok(widest <= 320, `a chart is ${widest}px wide`);
    await assertAxe(page, '/dashboard at 320 px');
    await screenshot(page, 'indicatoren-dashboard-320px');
    assert.ok(barsId, 'the first test found an indicator with bars');
    await page.goto(`${srv.url}/indicatoren/${barsId}?per=aanbieder`);
    assert.ok((await chartsDrawn(page)) >= 2, 'trend and bars drawn at 320 px');
    const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow2 <= 1, `indicator page scrolls sideways by ${overflow2}px`);
    await screenshot(page, 'indicator-320px');
    assert.deepEqual(problems, []);
    await context.close();
});

test('without JavaScript the tables remain and no empty chart shows', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false });
    const page = await loginAs(context, 'beleid.emmen');
    await page.goto(`${srv.url}/dashboard`);
    assert.ok((await page.locator('.duiding-dash-card table').count()) >= 10, 'card tables');
    assert.equal(await page.locator('figure[data-grafiek] svg').count(), 0, 'no charts drawn');
    assert.equal(await page.locator('figure[data-grafiek]:visible').count(), 0, 'charts stay hidden');
    await screenshot(page, 'indicatoren-dashboard-zonder-js');
    await page.goto(`${srv.url}/indicatoren/${barsId}?per=aanbieder`);
    assert.equal(await page.locator('#tabel-totaal').count(), 1);
    assert.equal(await page.locator('#tabel-verdeling').count(), 1);
    assert.ok((await page.locator('#tabel-totaal tbody tr').count()) >= 1, 'rows in the table');
    await screenshot(page, 'indicator-zonder-js');
    await context.close();
});
