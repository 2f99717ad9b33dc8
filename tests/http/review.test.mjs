// review.test.mjs: provider verification over HTTP against a real demo server: the provider
// pages (/aanbieders, /aanbieders/{id}) per role, a whole admission through the forms
// (contract.regio starts it, kwaliteit.aanbieder declares every criterion, accepts the guiding
// principles and submits; toegang, back office and toezicht record their views; the contract
// manager holds the conversation and decides), the triangulation with its "verschil van 2
// stappen", the supervisor's unshared view that the aanbieder cannot read, a toegang user who
// cannot write the contract manager's verdict, 404 for outsiders, CSRF, 422 with Dutch messages
// at the field, 409 on a stale version, and provider events with the person-data check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, formField } from '../lib/server.mjs';
import { session, get, postForm } from './fixtures.mjs';

let srv;
const who = {};
let aanbieder = 0;
let review = 0;
let crits = [];

const LOGINS = [
    'contract.regio',
    'beleid.regio',
    'kwaliteit.aanbieder',
    'kwaliteit.hunzedal',
    'toegang.emmen',
    'backoffice.regio',
    'toezicht.ggd',
    'raad.emmen',
    'beheerder',
];

function post(login, p, fields, { csrf = true } = {}) {
    return postForm(srv.url, p, who[login].cookie, csrf ? { csrf: who[login].csrf, ...fields } : fields);
}

function page(login, p) {
    return get(srv.url, p, who[login].cookie);
}

async function version() {
    const r = await page('contract.regio', `/toetsingen/${review}`);
    assert.equal(r.res.status, 200);
    // Every form on the page carries the same version; the contract manager's forms show it
    // once the review is submitted, the aanbieder's before.
    const v = formField(r.text, 'versie') ?? formField((await page('kwaliteit.aanbieder', `/toetsingen/${review}`)).text, 'versie');
    return v;
}

before(async () => {
    srv = await startServer({ demo: true });
    for (const login of LOGINS) who[login] = await session(srv.url, login);
    const ik = await fetch(`${srv.url}/api/v1/ik`, {
        headers: { cookie: who['kwaliteit.aanbieder'].cookie, accept: 'application/json' },
    });
    aanbieder = (await ik.json()).organisatie.id;
    assert.ok(aanbieder > 0);
});

after(async () => {
    await srv?.stop();
});

test('the provider list: every aanbieder for the region, only its own for an aanbieder', async () => {
    const r = await page('contract.regio', '/aanbieders');
    assert.equal(r.res.status, 200);
    const rows = r.text.match(/href="\/aanbieders\/\d+"/g) ?? [];
    assert.ok(rows.length >= 5, `the region sees the demo aanbieders (${rows.length})`);
    assert.match(r.text, /Toegelaten|Voorwaardelijk toegelaten/);
    const own = await page('kwaliteit.aanbieder', '/aanbieders');
    assert.equal(own.res.status, 200);
    assert.deepEqual(own.text.match(/href="\/aanbieders\/\d+"/g), [`href="/aanbieders/${aanbieder}"`]);
    const anon = await get(srv.url, '/aanbieders');
    assert.equal(anon.res.status, 303);
});

test('the provider page: own page for the aanbieder, 404 for another aanbieder', async () => {
    const r = await page('contract.regio', `/aanbieders/${aanbieder}`);
    assert.equal(r.res.status, 200);
    assert.match(r.text, /Stand van de verificatie/);
    assert.match(r.text, new RegExp(`/aanbieders/${aanbieder}/spiegelrapportage`));
    assert.match(r.text, new RegExp(`/contracten\\?aanbieder=${aanbieder}`));
    assert.match(r.text, /Toetsing starten/);
    assert.equal((await page('kwaliteit.aanbieder', `/aanbieders/${aanbieder}`)).res.status, 200);
    const other = (await page('contract.regio', '/aanbieders')).text
        .match(/href="\/aanbieders\/(\d+)"/g)
        .map((m) => Number(m.match(/\d+/)[0]))
        .find((id) => id !== aanbieder);
    assert.equal((await page('kwaliteit.aanbieder', `/aanbieders/${other}`)).res.status, 404);
    // The aanbieder may not start a review of itself.
    const own = await page('kwaliteit.aanbieder', `/aanbieders/${aanbieder}`);
    assert.doesNotMatch(own.text, /name="kader"/);
});

test('starting a review: CSRF, Dutch errors at the field, then created', async () => {
    const fields = { soort: 'toelating', wet: 'jw,wmo', van: '2026-01-01', tot: '2026-12-31' };
    const page1 = await page('contract.regio', `/aanbieders/${aanbieder}`);
    fields.kader = page1.text.match(/<select[^>]*name="kader"[\s\S]*?<option value="(\d+)"/)[1];
    const noCsrf = await post('contract.regio', `/aanbieders/${aanbieder}/toetsingen`, fields, { csrf: false });
    assert.equal(noCsrf.res.status, 403);
    const bad = await post('contract.regio', `/aanbieders/${aanbieder}/toetsingen`, { ...fields, tot: '2025-01-01' });
    assert.equal(bad.res.status, 422);
    assert.match(bad.text, /einddatum/);
    assert.match(bad.text, /id="fout-tot"/);
    const noDate = await post('contract.regio', `/aanbieders/${aanbieder}/toetsingen`, { ...fields, van: '31-02-2026x' });
    assert.equal(noDate.res.status, 422);
    assert.match(noDate.text, /begindatum/);
    const denied = await post('kwaliteit.aanbieder', `/aanbieders/${aanbieder}/toetsingen`, fields);
    assert.equal(denied.res.status, 403);
    const ok = await post('contract.regio', `/aanbieders/${aanbieder}/toetsingen`, fields);
    assert.equal(ok.res.status, 303, ok.text.slice(0, 400));
    review = Number(ok.res.headers.get('location').match(/^\/toetsingen\/(\d+)\?melding=aangemaakt$/)[1]);
    const view = await page('kwaliteit.aanbieder', `/toetsingen/${review}`);
    assert.equal(view.res.status, 200);
    crits = [...view.text.matchAll(/\/toetsingen\/\d+\/zelfverklaring\?criterium=(\d+)/g)].map((m) => m[1]);
    assert.ok(crits.length >= 30, `the regional criteria apply (${crits.length})`);
    assert.match(view.text, /Leidende principes/);
});

test('outsiders get 404 for the review; raad and beheerder have no part in it', async () => {
    for (const login of ['kwaliteit.hunzedal', 'raad.emmen', 'beheerder'])
        assert.equal((await page(login, `/toetsingen/${review}`)).res.status, 404, login);
    for (const login of ['contract.regio', 'beleid.regio', 'toegang.emmen', 'backoffice.regio', 'toezicht.ggd'])
        assert.equal((await page(login, `/toetsingen/${review}`)).res.status, 200, login);
});

test('the aanbieder declares, accepts the principles and submits; stale versions get 409', async () => {
    let v = Number(await version());
    // Submitting too early: the principles first.
    const early = await post('kwaliteit.aanbieder', `/toetsingen/${review}/indienen`, { versie: String(v) });
    assert.equal(early.res.status, 422);
    assert.match(early.text, /leidende principes/);
    // A not-applicable answer needs a reason.
    const noReason = await post('kwaliteit.aanbieder', `/toetsingen/${review}/zelfverklaring`, {
        versie: String(v),
        criterium: crits[0],
        toepassing: 'nee',
        reden: '',
        zelfverklaring: '',
        oordeel: '',
    });
    assert.equal(noReason.res.status, 422);
    assert.match(noReason.text, /id="fout-reden"/);
    for (const [i, c] of crits.entries()) {
        const r = await post('kwaliteit.aanbieder', `/toetsingen/${review}/zelfverklaring`, {
            versie: String(v),
            criterium: c,
            toepassing: 'ja',
            reden: '',
            zelfverklaring: `Wij werken hieraan volgens het handboek, paragraaf ${i + 1}.`,
            oordeel: 'voldoet',
        });
        assert.equal(r.res.status, 303, r.text.slice(0, 300));
        v++;
    }
    const stale = await post('kwaliteit.aanbieder', `/toetsingen/${review}/zelfverklaring`, {
        versie: String(v - 1),
        criterium: crits[0],
        toepassing: 'ja',
        zelfverklaring: 'later',
        oordeel: 'voldoet',
    });
    assert.equal(stale.res.status, 409);
    assert.match(stale.text, /intussen gewijzigd/);
    assert.equal((await post('kwaliteit.aanbieder', `/toetsingen/${review}/principes`, { versie: String(v) })).res.status, 303);
    v++;
    const sub = await post('kwaliteit.aanbieder', `/toetsingen/${review}/indienen`, { versie: String(v) });
    assert.equal(sub.res.status, 303, sub.text.slice(0, 300));
    const after = await page('kwaliteit.aanbieder', `/toetsingen/${review}`);
    assert.match(after.text, /Ingediend/);
    assert.doesNotMatch(after.text, /zelfverklaring\?criterium=/);
});

test('views per viewpoint: toegang cannot write the contract manager verdict; the unshared supervisor view stays hidden', async () => {
    const v = async () => Number(await version());
    const verdict = (login, fields) =>
        post(login, `/toetsingen/${review}/oordeel`, { criterium: crits[1], methode: 'gesprek', ...fields });
    const forged = await verdict('toegang.emmen', {
        versie: String(await v()),
        gezichtspunt: 'contractmanager',
        oordeel: 'voldoet',
        onderbouwing: '',
        gedeeld: '1',
    });
    assert.equal(forged.res.status, 403);
    const needReason = await verdict('toegang.emmen', {
        versie: String(await v()),
        gezichtspunt: 'toegang',
        oordeel: 'nog_niet',
        onderbouwing: '',
        gedeeld: '1',
    });
    assert.equal(needReason.res.status, 422);
    assert.match(needReason.text, /onderbouwing/);
    const tg = await verdict('toegang.emmen', {
        versie: String(await v()),
        gezichtspunt: 'toegang',
        oordeel: 'nog_niet',
        onderbouwing: 'De hulp start vaak pas na zes weken.',
        gedeeld: '1',
    });
    assert.equal(tg.res.status, 303, tg.text.slice(0, 300));
    const secret = 'Onderzoek naar meldingen loopt nog';
    const tz = await post('toezicht.ggd', `/toetsingen/${review}/oordeel`, {
        versie: String(await v()),
        criterium: crits[2],
        gezichtspunt: 'toezichthouder',
        oordeel: 'nog_niet',
        onderbouwing: secret,
        methode: 'onderzoek',
    });
    assert.equal(tz.res.status, 303, tz.text.slice(0, 300));
    const cm = await page('contract.regio', `/toetsingen/${review}`);
    assert.match(cm.text, /verschil van 2 stappen/);
    assert.match(cm.text, /Voor het volgende gesprek/);
    assert.match(cm.text, /\(niet gedeeld\)/);
    const own = await page('kwaliteit.aanbieder', `/toetsingen/${review}`);
    assert.match(own.text, /<em>niet gedeeld<\/em>/);
    // The aanbieder learns neither the verdict nor the difference it makes.
    const ownRow = own.text.split('</tr>').find((row) => row.includes('<em>niet gedeeld</em>'));
    assert.ok(ownRow);
    assert.doesNotMatch(ownRow, /Voldoet nog niet|verschil van/);
    assert.doesNotMatch(own.text, new RegExp(secret));
    // The toegang user sees its own difference but not the supervisor's view either.
    const tgPage = await page('toegang.emmen', `/toetsingen/${review}`);
    assert.match(tgPage.text, /<em>niet gedeeld<\/em>/);
});

test('conversation and decision by the contract manager; a reason is needed unless admitted', async () => {
    const v = async () => String(await version());
    const conv = await post('contract.regio', `/toetsingen/${review}/gesprek`, {
        versie: await v(),
        datum: '2026-03-02',
        verslag: 'Zelfverklaring en oordelen besproken.',
    });
    assert.equal(conv.res.status, 303, conv.text.slice(0, 300));
    const byToegang = await post('toegang.emmen', `/toetsingen/${review}/besluit`, { versie: await v(), besluit: 'toegelaten' });
    assert.equal(byToegang.res.status, 403);
    const noReason = await post('contract.regio', `/toetsingen/${review}/besluit`, { versie: await v(), besluit: 'voorwaardelijk', reden: '' });
    assert.equal(noReason.res.status, 422);
    assert.match(noReason.text, /reden van het besluit/);
    const ok = await post('contract.regio', `/toetsingen/${review}/besluit`, {
        versie: await v(),
        besluit: 'voorwaardelijk',
        reden: 'Start binnen vier weken is een voorwaarde.',
    });
    assert.equal(ok.res.status, 303);
    const done = await page('kwaliteit.aanbieder', `/toetsingen/${review}`);
    assert.match(done.text, /Voorwaardelijk toegelaten/);
    const late = await post('toegang.emmen', `/toetsingen/${review}/oordeel`, {
        versie: await v(),
        criterium: crits[3],
        gezichtspunt: 'toegang',
        oordeel: 'voldoet',
        methode: 'document',
        gedeeld: '1',
    });
    assert.equal(late.res.status, 409);
});

test('provider events: person data refused, who may record, event-driven review', async () => {
    const ev = { soort_gebeurtenis: 'calamiteit', datum: '2026-01-15' };
    const pii = await post('contract.regio', `/aanbieders/${aanbieder}/gebeurtenissen`, {
        ...ev,
        beschrijving: 'Jongere met BSN 123456782 raakte gewond, bel 06-12345678.',
    });
    assert.equal(pii.res.status, 422);
    assert.match(pii.text, /persoonsgegevens/);
    const toegang = await post('toegang.emmen', `/aanbieders/${aanbieder}/gebeurtenissen`, { ...ev, beschrijving: 'Melding' });
    assert.equal(toegang.res.status, 403);
    const ok = await post('toezicht.ggd', `/aanbieders/${aanbieder}/gebeurtenissen`, {
        soort_gebeurtenis: 'maatregel_toezichthouder',
        datum: '2026-01-15',
        beschrijving: 'Aanwijzing over het melden van calamiteiten.',
    });
    assert.equal(ok.res.status, 303, ok.text.slice(0, 300));
    const pageCm = await page('contract.regio', `/aanbieders/${aanbieder}`);
    assert.match(pageCm.text, /Aanwijzing over het melden van calamiteiten/);
    assert.match(pageCm.text, /Toetsing starten na deze gebeurtenis/);
    const other = await page('kwaliteit.hunzedal', `/aanbieders/${aanbieder}`);
    assert.equal(other.res.status, 404);
});
