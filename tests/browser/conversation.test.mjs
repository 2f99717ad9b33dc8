// conversation.test.mjs: one whole quality conversation in headless Chromium, as two users of
// different organisations in two browser contexts: beleid.emmen (the gemeente) and
// kwaliteit.aanbieder (the aanbieder). Plan with participants; prepare (a note per side, the
// aanbieder's shared; make and open the data pack); hold (notes in all four phases, the timer
// runs with JavaScript, the drift hint shows); conclude (summary, conclusions, an action through
// /gesprekken/{id}/acties/nieuw); approve by both; open the minutes and their PDF (page 1
// rendered with pdftoppm: not blank); evaluate by both. axe-core (WCAG 2.1 A/AA) on every page of
// the cycle at 1280 px, the main pages again at 375 px without horizontal scrolling, no console
// errors or failed requests, and screenshots in the screenshot directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
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

const TITLE = 'Kwaliteitsgesprek jeugd Emmen en aanbieder 2025';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 667 };

let srv;
let browser;
let tmp;
// The two sides: {context, page, problems, me}.
let gem;
let aan;
let conv = 0;

before(async () => {
    srv = await startServer({ demo: true });
    browser = await launchBrowser();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'duiding-gesprek-'));
    gem = await side('beleid.emmen');
    aan = await side('kwaliteit.aanbieder');
});
after(async () => {
    for (const s of [gem, aan]) await s?.context.close();
    await browser?.close();
    await srv?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
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

async function apiGet(page, p) {
    const res = await page.request.get(`${srv.url}/api/v1${p}`, { headers: { accept: 'application/json' } });
    assert.equal(res.status(), 200, `GET /api/v1${p}`);
    return res.json();
}

/** One side of the table: its own browser context, logged in. */
async function side(login, viewport = DESKTOP) {
    const context = await newContext(browser, { viewport });
    const page = await loginAs(context, login);
    const problems = watchPage(page);
    const me = await apiGet(page, '/ik');
    return { login, context, page, problems, me };
}

async function assertAxe(page, what) {
    const v = await checkA11y(page);
    assert.deepEqual(v, [], `${what}:\n${formatViolations(v)}`);
}

/** Goes to a page of the conversation, checks it answered 200 and passes axe. */
async function visit(s, suffix, what) {
    const res = await s.page.goto(`${srv.url}/gesprekken/${conv}${suffix}`);
    assert.equal(res.status(), 200, `${s.login} ${suffix}`);
    await assertAxe(s.page, `${what} (${s.login})`);
}

async function submitIn(page, action) {
    await page.click(`main form[action="${action}"] button[type=submit]`);
}

function run(cmd, args) {
    return new Promise((resolve, reject) =>
        execFile(cmd, args, { maxBuffer: 64 << 20, encoding: 'buffer' }, (err, stdout, stderr) =>
            err ? reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout)
        )
    );
}

/**
 * Downloads a PDF with the side's cookies, renders page 1 with pdftoppm (a PNG beside the
 * screenshots, a greyscale PGM to measure) and checks the page is not blank. Resolves its text.
 */
async function checkPdf(s, href, name) {
    const res = await s.page.request.get(`${srv.url}${href}`);
    assert.equal(res.status(), 200, href);
    assert.equal(res.headers()['content-type'], 'application/pdf', href);
    const body = await res.body();
    assert.equal(body.subarray(0, 5).toString(), '%PDF-');
    const file = path.join(tmp, `${name}.pdf`);
    await writeFile(file, body);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    await run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, path.join(SCREENSHOT_DIR, `${name}-pagina-1`)]);
    await run('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', '-singlefile', file, path.join(tmp, name)]);
    const pgm = await readFile(path.join(tmp, `${name}.pgm`));
    const m = pgm.toString('latin1', 0, 40).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
    assert.ok(m, 'pdftoppm wrote a PGM');
    const [w, h] = [Number(m[1]), Number(m[2])];
    const pixels = pgm.subarray(m[0].length);
    assert.equal(pixels.length, w * h, 'PGM size');
    let ink = 0;
    for (const p of pixels) if (p < 160) ink++;
    const share = ink / pixels.length;
    // A4 at 40 dpi is 331 x 468; text covers a few percent of a page, never all of it.
    assert.ok(w > 300 && h > 400 && h > w, `A4 portrait (${w}x${h})`);
    assert.ok(share > 0.005 && share < 0.5, `${name}: page 1 is not blank (${(share * 100).toFixed(2)}% ink)`);
    return (await run('pdftotext', ['-layout', file, '-'])).toString('utf8');
}

test('plan: beleid.emmen plans with the aanbieder and invites people from both sides', async () => {
    const { page } = gem;
    await page.goto(`${srv.url}/gesprekken`);
    await assertAxe(page, '/gesprekken');
    await page.click('main a[href="/gesprekken/nieuw"]');
    await page.waitForURL(/\/gesprekken\/nieuw$/);
    await assertAxe(page, '/gesprekken/nieuw');
    const results = await apiGet(page, '/maatschappelijke-resultaten?paginaGrootte=1000');
    const result = results.items.find((x) => x.eigenaarId === gem.me.organisatie.id && !x.gearchiveerd);
    assert.ok(result, 'Emmen owns a result');
    await page.fill('#veld-titel', TITLE);
    await page.fill('#veld-doel', 'Samen de uitval in de jeugdhulp duiden en afspreken wat beter kan.');
    await page.check(`#veld-resultaat-${result.id}`);
    await page.check(`#veld-partij-${aan.me.organisatie.id}`);
    await page.fill('#veld-periode_van', '1-1-2025');
    await page.fill('#veld-periode_tot', '31-12-2025');
    await page.fill('#veld-datum', '10-2-2026');
    await page.fill('#veld-plaats', 'Raadhuis Emmen, zaal 2');
    await page.selectOption(`#veld-rol-${gem.me.id}`, 'gespreksleider');
    await page.selectOption(`#veld-rol-${aan.me.id}`, 'deelnemer');
    await screenshot(page, 'gesprek-plannen');
    await page.click('main form[action="/gesprekken"] button[type=submit]');
    await page.waitForURL(/\/gesprekken\/\d+\?melding=gepland$/);
    conv = Number(new URL(page.url()).pathname.split('/')[2]);
    assert.equal(await page.textContent('h1'), TITLE);
    const main = await page.locator('main').innerText();
    assert.match(main, /Het gesprek is gepland/);
    assert.match(main, /Gespreksleider/);
    assert.match(main, /Deelnemer/);
    assert.equal(await page.locator('nav.duiding-steps [aria-current="step"]').count(), 1);
    await assertAxe(page, 'conversation overview');
    await screenshot(page, 'gesprek-overzicht');
    // The aanbieder sees it in its list.
    await aan.page.goto(`${srv.url}/gesprekken`);
    await aan.page.click(`main a[href="/gesprekken/${conv}"]`);
    await aan.page.waitForURL(new RegExp(`/gesprekken/${conv}$`));
    await assertAxe(aan.page, 'conversation overview (aanbieder)');
});

const OWN_NOTE = 'Gemeente: we willen weten waarom de uitval in Emmen-Noord hoger ligt.';
const SHARED_NOTE = 'Aanbieder: de wachttijd liep op door personeelstekort; dat delen we graag.';

test('prepare: a note per side, the shared one crosses over; the data pack is made and opened', async () => {
    await visit(gem, '/voorbereiden', 'prepare');
    await gem.page.fill('#veld-notitie', OWN_NOTE);
    await submitIn(gem.page, `/gesprekken/${conv}/notities`);
    await gem.page.waitForURL(/voorbereiden\?melding=notitie$/);
    await assertAxe(gem.page, 'prepare with an own note');

    await visit(aan, '/voorbereiden', 'prepare');
    await aan.page.fill('#veld-notitie', SHARED_NOTE);
    await aan.page.check('#veld-delen-1');
    await submitIn(aan.page, `/gesprekken/${conv}/notities`);
    await aan.page.waitForURL(/voorbereiden\?melding=notitie$/);
    const aanMain = await aan.page.locator('main').innerText();
    assert.ok(!aanMain.includes(OWN_NOTE), "the gemeente's unshared note stays with the gemeente");
    assert.match(aanMain, /gedeeld/);
    await assertAxe(aan.page, 'prepare with a shared note');

    await gem.page.reload();
    const gemMain = await gem.page.locator('main').innerText();
    assert.ok(gemMain.includes(SHARED_NOTE), 'the shared note reaches the gemeente');
    await screenshot(gem.page, 'gesprek-voorbereiden');

    // The data pack: none yet, make it, open it from both sides.
    await gem.page.click(`main a[href="/gesprekken/${conv}/datapakket"]`);
    await gem.page.waitForURL(new RegExp(`/gesprekken/${conv}/datapakket$`));
    await assertAxe(gem.page, 'data pack (none yet)');
    await submitIn(gem.page, `/gesprekken/${conv}/datapakket`);
    await gem.page.waitForURL(/datapakket\?melding=aangemaakt$/);
    const pack = await gem.page.locator('main').innerText();
    assert.match(pack, /Momentopname (van|gemaakt op) \d{2}-\d{2}-\d{4}[^<\n]*; latere correcties staan hier niet in/);
    if ((await gem.page.locator('script[type="application/json"]').count()) > 0)
        await gem.page.waitForSelector('html[data-grafieken="klaar"]', { state: 'attached', timeout: 30_000 });
    await assertAxe(gem.page, 'data pack');
    await screenshot(gem.page, 'gesprek-datapakket');
    await visit(aan, '/datapakket', 'data pack');
    const hash = await aan.page.locator('.duiding-pack-hash').innerText();
    assert.match(hash, /^[0-9a-f]{64}$/);
    const text = await checkPdf(aan, `/gesprekken/${conv}/datapakket.pdf`, 'gesprek-datapakket-pdf');
    assert.ok(text.replace(/\s+/g, ' ').includes(hash.slice(0, 16)), 'the PDF carries the hash');
});

const PHASES = {
    herkennen: ['gem', 'We herkennen de cijfers: de uitval is gedaald en ouders zeggen dat ze tevreden zijn.'],
    begrijpen: [
        'aan',
        'We hebben 12 bijeenkomsten georganiseerd en trainingen gegeven aan de wijkteams. ' +
            'Er waren 40 deelnemers en we hebben 30 uur ingezet voor huisbezoeken.',
    ],
    waarderen: ['aan', 'Trots op de lagere uitval; nog niet tevreden over de wachttijd voor jonge kinderen.'],
    verbeteren: ['gem', 'Afspraak: de wachttijd halveren; de aanbieder volgt het effect per kwartaal.'],
};

test('hold: notes in all four phases by both sides, the timer, the drift hint', async () => {
    await visit(gem, '/houden', 'run-sheet');
    // The timer: gesprek.js replaces the planned minutes by a clock with buttons.
    const timer = gem.page.locator('#herkennen .duiding-timer');
    const clock = timer.locator('[role="timer"]');
    await clock.waitFor();
    const start = await clock.innerText();
    await timer.getByRole('button', { name: 'Start timer' }).click();
    await gem.page.waitForFunction(
        ({ sel, before }) => document.querySelector(sel)?.textContent !== before,
        { sel: '#herkennen .duiding-timer [role="timer"]', before: start },
        { timeout: 5000 }
    );
    await timer.getByRole('button', { name: 'Pauze' }).click();
    const paused = await clock.innerText();
    assert.notEqual(paused, start, 'the clock ran');
    await gem.page.waitForTimeout(1300);
    assert.equal(await clock.innerText(), paused, 'paused: the clock stands still');
    await timer.getByRole('button', { name: 'Opnieuw' }).click();
    assert.equal(await clock.innerText(), start, 'reset to the planned time');
    await assertAxe(gem.page, 'run-sheet with the timer');
    await visit(aan, '/houden', 'run-sheet');

    for (const [phase, [who, notes]] of Object.entries(PHASES)) {
        const s = who === 'gem' ? gem : aan;
        await s.page.goto(`${srv.url}/gesprekken/${conv}/houden`);
        await s.page.fill(`#veld-aantekeningen-${phase}`, notes);
        await s.page.fill(`#veld-minuten-${phase}`, '15');
        await submitIn(s.page, `/gesprekken/${conv}/fasen/${phase}`);
        await s.page.waitForLoadState('load');
        const section = await s.page.locator(`#${phase}`).innerText();
        if (phase === 'begrijpen') {
            assert.match(section, /gaan vooral over activiteiten en inzet/, 'drift hint for activity talk');
            await assertAxe(s.page, 'run-sheet with the drift hint');
            await screenshot(s.page, 'gesprek-houden-hint');
        } else {
            assert.doesNotMatch(section, /gaan vooral over activiteiten/, `${phase}: no hint for outcome talk`);
        }
    }
    // Both sides see all four phases' notes.
    for (const s of [gem, aan]) {
        await s.page.goto(`${srv.url}/gesprekken/${conv}/houden`);
        for (const [phase, [, notes]] of Object.entries(PHASES))
            assert.equal(await s.page.inputValue(`#veld-aantekeningen-${phase}`), notes, `${s.login} ${phase}`);
    }
    await screenshot(gem.page, 'gesprek-houden');
    await submitIn(gem.page, `/gesprekken/${conv}/gehouden`);
    await gem.page.waitForURL(/afronden\?melding=gehouden$/);
});

test('conclude: summary, conclusions and an improvement action', async () => {
    const { page } = gem;
    await assertAxe(page, 'conclude form');
    await page.fill('#veld-samenvatting', 'Minder uitval dan vorig jaar; de wachttijd voor jonge kinderen blijft te lang.');
    await page.fill('#veld-conclusies', 'De wachttijd is het belangrijkste punt voor het komende half jaar.');
    await submitIn(page, `/gesprekken/${conv}/afronden`);
    await page.waitForURL(/afronden\?melding=afgerond$/);
    await assertAxe(page, 'concluded');
    await page.click(`main a[href="/gesprekken/${conv}/acties/nieuw"]`);
    await page.waitForURL(/acties\/nieuw$/);
    await assertAxe(page, 'new action');
    await page.fill('#veld-beschrijving', 'Wachttijd jonge kinderen halveren met een snelle intake');
    await page.selectOption('#veld-eigenaar', String(aan.me.organisatie.id));
    await page.fill('#veld-einddatum', '2027-06-30');
    await page.fill('#veld-effect', 'Binnen vier weken hulp voor negen op de tien kinderen');
    await page.click('main form button[type=submit].utrecht-button--primary-action');
    await page.waitForURL(/\/acties\/\d+\?melding=aangemaakt$/);
    await assertAxe(page, 'action detail');
    await visit(aan, '/afronden', 'concluded (aanbieder)');
    assert.match(await aan.page.inputValue('#veld-samenvatting'), /^Minder uitval dan vorig jaar/);
    assert.match(await aan.page.inputValue('#veld-conclusies'), /^De wachttijd is het belangrijkste punt/);
    assert.match(await aan.page.locator('main').innerText(), /Wachttijd jonge kinderen halveren/);
    await screenshot(aan.page, 'gesprek-afronden');
});

test('approve by both sides; the minutes, printed and as PDF', async () => {
    await visit(gem, '/verslag', 'minutes (concept)');
    assert.match(await gem.page.locator('main').innerText(), /Concept: nog niet alle partijen/);
    await submitIn(gem.page, `/gesprekken/${conv}/goedkeuren`);
    await gem.page.waitForURL(/verslag\?melding=goedgekeurd$/);
    await assertAxe(gem.page, 'minutes approved by one side');
    assert.equal(await gem.page.locator(`a[href="/gesprekken/${conv}/verslag.pdf"]`).count(), 0, 'no PDF yet');

    await visit(aan, '/verslag', 'minutes (one approval)');
    await submitIn(aan.page, `/gesprekken/${conv}/goedkeuren`);
    await aan.page.waitForURL(/verslag\?melding=goedgekeurd$/);
    const main = await aan.page.locator('main').innerText();
    assert.match(main, /Alle partijen hebben dit verslag goedgekeurd/);
    for (const [, notes] of Object.values(PHASES)) assert.ok(main.includes(notes.slice(0, 40)), notes);
    await assertAxe(aan.page, 'minutes approved by both');
    await screenshot(aan.page, 'gesprek-verslag');
    // Printing leaves out the buttons and the navigation.
    await aan.page.emulateMedia({ media: 'print' });
    assert.equal(await aan.page.locator('.duiding-no-print').first().isVisible(), false, 'buttons not printed');
    await screenshot(aan.page, 'gesprek-verslag-print');
    await aan.page.emulateMedia({ media: 'screen' });

    await gem.page.reload();
    const pdfLink = gem.page.locator(`main a[href="/gesprekken/${conv}/verslag.pdf"]`);
    assert.equal(await pdfLink.count(), 1, 'the PDF link once both approved');
    const text = (await checkPdf(gem, `/gesprekken/${conv}/verslag.pdf`, 'gesprek-verslag-pdf')).replace(/\s+/g, ' ');
    assert.ok(text.includes(TITLE), 'the PDF has the title');
    assert.ok(text.includes('Wachttijd jonge kinderen halveren'), 'the PDF lists the action');
});

test('evaluate by both sides', async () => {
    for (const [s, rating, goal] of [
        [gem, '4', 'ja'],
        [aan, '5', 'deels'],
    ]) {
        await visit(s, '/evaluatie', 'evaluation form');
        await s.page.selectOption('#veld-cijfer', rating);
        await s.page.selectOption('#veld-doel_bereikt', goal);
        await s.page.fill('#veld-goed', 'Cijfers en verhalen kwamen samen op tafel.');
        await s.page.fill('#veld-tips', 'Het datapakket een week eerder delen.');
        await submitIn(s.page, `/gesprekken/${conv}/evaluatie`);
        await s.page.waitForURL(/evaluatie\?melding=geevalueerd$/);
        assert.equal(await s.page.inputValue('#veld-cijfer'), rating);
        await assertAxe(s.page, 'evaluation saved');
    }
    assert.match(await aan.page.locator('main').innerText(), /2 evaluaties/);
    await screenshot(aan.page, 'gesprek-evaluatie');
    const res = await gem.page.goto(`${srv.url}/gesprekken/evaluaties`);
    assert.equal(res.status(), 200);
    await assertAxe(gem.page, '/gesprekken/evaluaties');
    for (const s of [gem, aan]) assert.deepEqual(s.problems, [], `${s.login}: console errors or failed requests`);
});

test('the main pages at 375 px: accessible, no horizontal scrolling', async () => {
    // Every page is checked before failing, so one run names every problem.
    const failures = [];
    const check = async (s, what) => {
        const v = await checkA11y(s.page);
        if (v.length) failures.push(`${s.login} ${what}:\n${formatViolations(v)}`);
        const overflow = await s.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 1) failures.push(`${s.login} ${what}: horizontal scrolling (${overflow}px)`);
    };
    for (const login of ['beleid.emmen', 'kwaliteit.aanbieder']) {
        const s = await side(login, PHONE);
        try {
            for (const suffix of ['', '/voorbereiden', '/datapakket', '/houden', '/afronden', '/verslag', '/evaluatie']) {
                const res = await s.page.goto(`${srv.url}/gesprekken/${conv}${suffix}`);
                assert.equal(res.status(), 200, `${login} ${suffix}`);
                await check(s, `/gesprekken/${conv}${suffix}`);
            }
            await s.page.goto(`${srv.url}/gesprekken`);
            await check(s, '/gesprekken');
            if (login === 'beleid.emmen') {
                await s.page.goto(`${srv.url}/gesprekken/${conv}/houden`);
                await screenshot(s.page, 'gesprek-houden-375');
                await s.page.goto(`${srv.url}/gesprekken/${conv}`);
                await screenshot(s.page, 'gesprek-overzicht-375');
                await s.page.goto(`${srv.url}/gesprekken/nieuw`);
                await check(s, '/gesprekken/nieuw');
            }
            assert.deepEqual(s.problems, [], `${login}: console errors or failed requests`);
        } finally {
            await s.context.close();
        }
    }
    assert.deepEqual(failures, [], failures.join('\n'));
});
