// actions.test.mjs: improvement actions and the data pack in headless Chromium. Set-up over
// HTTP: beleid.emmen plans a conversation with the aanbieder of kwaliteit.aanbieder (invited),
// makes its data pack and agrees actions (one overdue, some with linked indicators). Then, at
// desktop width and at 375 px, with axe-core (WCAG 2.1 A/AA) on every page and no console
// errors or CSP violations: the /acties overview (overdue said in words), an action's detail
// page with "how did it move", a status change through the form and the history that records
// it; dropping an action without a reason and then with one (kwaliteit.aanbieder, the other
// side); the data pack page; and the data pack PDF, whose first page is rendered with pdftoppm
// into the screenshots and must not be blank.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, DEMO_PASSWORD } from '../lib/server.mjs';
import {
    launchBrowser,
    newContext,
    checkA11y,
    formatViolations,
    screenshot,
    watchPage,
    SCREENSHOT_DIR,
} from '../lib/browser.mjs';
import { session, get, postForm } from '../http/fixtures.mjs';

const PDFTOPPM = '/usr/bin/pdftoppm';
let srv;
let browser;
const who = {};
let conv = 0;
let aanbieder = 0;
const actions = {}; // name -> id

function post(login, p, fields) {
    return postForm(srv.url, p, who[login].cookie, { csrf: who[login].csrf, ...fields });
}

async function apiGet(login, p) {
    const res = await fetch(`${srv.url}/api/v1${p}`, { headers: { cookie: who[login].cookie, accept: 'application/json' } });
    assert.equal(res.status, 200, p);
    return res.json();
}

async function newAction(fields, indicators = []) {
    const body = new URLSearchParams({
        csrf: who['beleid.emmen'].csrf,
        eigenaar: String(aanbieder),
        effect: 'Minder jongeren die de hulp te vroeg stoppen',
        ...fields,
    });
    for (const i of indicators) body.append('indicator', i);
    const r = await postForm(srv.url, `/gesprekken/${conv}/acties/nieuw`, who['beleid.emmen'].cookie, body);
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    return Number(r.res.headers.get('location').match(/^\/acties\/(\d+)/)[1]);
}

before(async () => {
    srv = await startServer({ demo: true });
    browser = await launchBrowser();
    for (const login of ['beleid.emmen', 'kwaliteit.aanbieder']) who[login] = await session(srv.url, login);
    const kw = await apiGet('kwaliteit.aanbieder', '/ik');
    aanbieder = kw.organisatie.id;
    const emmen = (await apiGet('beleid.emmen', '/ik')).organisatie.id;
    const rs = await apiGet('beleid.emmen', '/maatschappelijke-resultaten?paginaGrootte=1000');
    const own = rs.items.filter((x) => x.eigenaarId === emmen && !x.gearchiveerd);
    const result = (own.find((x) => /jongeren|jeugd/i.test(x.titel)) ?? own[0])?.id;
    assert.ok(result, 'Emmen owns a societal result');
    const r = await post('beleid.emmen', '/gesprekken', {
        soort: 'achterkant',
        titel: 'Browsertest: kwaliteitsgesprek jeugd',
        doel: 'De uitval samen duiden',
        periode_van: '2025-01-01',
        periode_tot: '2025-12-31',
        datum: '2026-02-10',
        plaats: 'Gemeentehuis',
        resultaat: String(result),
        partij: String(aanbieder),
        [`rol-${kw.id}`]: 'deelnemer',
    });
    assert.equal(r.res.status, 303, r.text.slice(0, 800));
    conv = Number(r.res.headers.get('location').match(/^\/gesprekken\/(\d+)/)[1]);
    const pack = await post('beleid.emmen', `/gesprekken/${conv}/datapakket`, {});
    assert.equal(pack.res.status, 303, pack.text.slice(0, 500));
    const form = await get(srv.url, `/gesprekken/${conv}/acties/nieuw`, who['beleid.emmen'].cookie);
    const inds = [...form.text.matchAll(/name="indicator" value="(\d+)"/g)].map((m) => m[1]);
    assert.ok(inds.length > 0, 'the result has indicators');
    actions.late = await newAction({ beschrijving: 'Wachtlijst jeugd-GGZ in kaart brengen', einddatum: '2024-01-31' });
    for (const label of ['desktop', 'phone'])
        actions[label] = await newAction(
            { beschrijving: `Huisbezoek binnen twee weken (${label})`, einddatum: '2027-06-30' },
            inds.slice(0, 2)
        );
    actions.drop = await newAction({ beschrijving: 'Extra spreekuur op zaterdag', einddatum: '2027-03-31' });
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
    test(`actions overview and detail with a status change are accessible (${label})`, async () => {
        const context = await newContext(browser, { viewport });
        const page = await loginAs(context, 'beleid.emmen');
        const problems = watchPage(page);
        const id = actions[label];

        await page.goto(`${srv.url}/acties`);
        await page.waitForSelector(`main a[href="/acties/${id}"]`);
        const lateRow = page.locator('tr', { has: page.locator(`a[href="/acties/${actions.late}"]`) });
        assert.match(await lateRow.innerText(), /Te laat/, 'overdue in words');
        await assertAxe(page, `/acties (${label})`);
        await noOverflow(page, `/acties (${label})`);
        await screenshot(page, `acties-${label}`);

        await page.check('#veld-te_laat');
        await page.click('form[role=search] button[type=submit]');
        await page.waitForURL(/te_laat=1/);
        assert.equal(await page.locator(`main a[href="/acties/${actions.late}"]`).count(), 1);
        assert.equal(await page.locator(`main a[href="/acties/${id}"]`).count(), 0, 'not overdue');
        await assertAxe(page, `/acties?te_laat=1 (${label})`);

        await page.goto(`${srv.url}/acties`);
        await page.click(`main a[href="/acties/${id}"]`);
        await page.waitForURL(new RegExp(`/acties/${id}$`));
        const main = page.locator('main');
        assert.match(await main.innerText(), /Hoe bewogen de cijfers sinds de afspraak\?/);
        assert.equal(await page.locator('main .duiding-move').count(), 2, 'two linked indicators');
        assert.equal(await page.locator('main .duiding-action-status').getAttribute('data-status'), 'open');
        await assertAxe(page, `action detail (${label})`);
        await noOverflow(page, `action detail (${label})`);

        // The status change through the form.
        await page.selectOption('#veld-status', 'bezig');
        await page.fill('#veld-reden', 'Eerste huisbezoeken zijn gepland');
        await page.click('form[action$="/status"] button[type=submit]');
        await page.waitForURL(new RegExp(`/acties/${id}(\\?|$)`));
        assert.equal(await page.locator('main .duiding-action-status').getAttribute('data-status'), 'bezig');
        const hist = await page.locator('main table', { hasText: 'Aangemaakt' }).innerText();
        assert.match(hist, /Status van Open naar Bezig/);
        assert.match(hist, /Eerste huisbezoeken zijn gepland/);
        await assertAxe(page, `action detail after the change (${label})`);
        await screenshot(page, `actie-${label}`);
        assert.deepEqual(problems, []);
        await context.close();
    });
}

test('the other side drops an action: a reason is required, then it is recorded', async () => {
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    const page = await loginAs(context, 'kwaliteit.aanbieder');
    // The first POST answers 422 on purpose (the form comes back with the error).
    const problems = watchPage(page, { ignore: [/\/favicon\.ico$/, /\/acties\/\d+\/status$/] });
    const id = actions.drop;
    await page.goto(`${srv.url}/acties/${id}`);
    await page.selectOption('#veld-status', 'vervallen');
    await page.click('form[action$="/status"] button[type=submit]');
    await page.waitForSelector('#fout-reden');
    assert.match(await page.locator('#fout-reden').innerText(), /\S/);
    await assertAxe(page, 'status form with an error');
    await page.selectOption('#veld-status', 'vervallen');
    await page.fill('#veld-reden', 'Opgenomen in het nieuwe contract');
    await page.click('form[action$="/status"] button[type=submit]');
    await page.waitForURL(new RegExp(`/acties/${id}(\\?|$)`));
    assert.equal(await page.locator('main .duiding-action-status').getAttribute('data-status'), 'vervallen');
    assert.match(await page.locator('main').innerText(), /Opgenomen in het nieuwe contract/);
    await assertAxe(page, 'dropped action');
    assert.deepEqual(problems, []);
    await context.close();
});

for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 375, height: 667 }],
]) {
    test(`the data pack page is accessible (${label})`, async () => {
        const context = await newContext(browser, { viewport });
        const page = await loginAs(context, 'kwaliteit.aanbieder');
        const problems = watchPage(page);
        await page.goto(`${srv.url}/gesprekken/${conv}/datapakket`);
        assert.match(await page.locator('main').innerText(), /latere correcties staan hier niet in/);
        await page.waitForSelector('html[data-grafieken="klaar"]', { state: 'attached', timeout: 30_000 });
        await assertAxe(page, `data pack (${label})`);
        await noOverflow(page, `data pack (${label})`);
        await screenshot(page, `datapakket-${label}`);
        assert.deepEqual(problems, []);
        await context.close();
    });
}

// The share of pixels darker than light grey in a binary PGM (P5, 8 bit) image.
function inkShare(pgm) {
    const header = pgm.subarray(0, 64).toString('latin1');
    const m = header.match(/^P5\s+(?:#[^\n]*\n\s*)*(\d+)\s+(\d+)\s+(\d+)\s/);
    assert.ok(m, `a PGM header: ${JSON.stringify(header.slice(0, 20))}`);
    const [w, h, max] = [Number(m[1]), Number(m[2]), Number(m[3])];
    assert.equal(max, 255);
    const pixels = pgm.subarray(m[0].length, m[0].length + w * h);
    assert.equal(pixels.length, w * h, 'the whole image');
    let ink = 0;
    for (const p of pixels) if (p < 200) ink++;
    return { w, h, share: ink / (w * h) };
}

test('the data pack PDF: its first page rendered with pdftoppm is not blank', { skip: !existsSync(PDFTOPPM) && 'no pdftoppm' }, async () => {
    const res = await fetch(`${srv.url}/gesprekken/${conv}/datapakket.pdf`, {
        headers: { cookie: who['beleid.emmen'].cookie },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    const dir = await mkdtemp(path.join(os.tmpdir(), 'duiding-pdfpage-'));
    try {
        const file = path.join(dir, 'datapakket.pdf');
        await writeFile(file, pdf);
        // The screenshot: page 1 as PNG at 100 dpi (A4: 827 x 1170 px).
        await mkdir(SCREENSHOT_DIR, { recursive: true });
        const shot = path.join(SCREENSHOT_DIR, 'datapakket-pdf-pagina-1');
        execFileSync(PDFTOPPM, ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', file, shot]);
        const png = await readFile(`${shot}.png`);
        assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
        // The same page in grey values to look at: text, rules and tables, not an empty sheet.
        execFileSync(PDFTOPPM, ['-gray', '-r', '50', '-f', '1', '-l', '1', '-singlefile', file, path.join(dir, 'p1')]);
        const { w, h, share } = inkShare(await readFile(path.join(dir, 'p1.pgm')));
        assert.ok(Math.abs(w / h - 210 / 297) < 0.01, `A4 portrait (${w} x ${h})`);
        assert.ok(share > 0.01, `page 1 has ink (${(share * 100).toFixed(2)}% of the pixels)`);
        assert.ok(share < 0.6, `page 1 is not a dark block (${(share * 100).toFixed(2)}%)`);
        // Every page renders: as many images as pdfinfo counts pages, none blank.
        const info = execFileSync('/usr/bin/pdfinfo', [file], { encoding: 'utf8' });
        const pages = Number(info.match(/^Pages:\s+(\d+)/m)?.[1]);
        assert.ok(pages >= 1, info);
        execFileSync(PDFTOPPM, ['-gray', '-r', '30', file, path.join(dir, 'all')]);
        for (let i = 1; i <= pages; i++) {
            const n = String(i).padStart(String(pages).length, '0');
            const { share: s } = inkShare(await readFile(path.join(dir, `all-${n}.pgm`)));
            assert.ok(s > 0.002, `page ${i} is not blank (${(s * 100).toFixed(2)}%)`);
        }
    } finally {
        await rm(dir, { recursive: true, force: true });
    }
});
