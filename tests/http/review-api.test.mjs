// review-api.test.mjs: the write side of the review API (/api/v1/toetsingen) against a real
// demo server, one admission from start to decision: POST /toetsingen (contract.regio), PUT
// .../criteria/{c}/zelfverklaring (kwaliteit.aanbieder), POST .../indienen with the principles
// accepted in the same step, PUT .../criteria/{c}/oordelen/{gezichtspunt} (toegang, toezicht,
// contract manager), PUT .../gesprek and POST .../besluit. For each: the allowed call, a refused
// one (403/404), invalid input (400 problem+json naming the attribute: the API's convention for
// validation, docs/api.md; the pages answer 422) and a stale `versie` (409). Policy and
// lifecycle are the domain's (the same functions as the pages), so this checks the mapping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { session } from './fixtures.mjs';

const API = '/api/v1';
let srv;
const who = {};
let aanbieder = 0;
let review = null; // the last answer for the review under test
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

async function api(method, p, { as, body, csrf = true } = {}) {
    const h = { accept: 'application/json' };
    if (as) {
        h.cookie = who[as].cookie;
        if (method !== 'GET' && csrf) h['x-csrf-token'] = who[as].csrf;
    }
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(srv.url + API + p, {
        method,
        headers: h,
        body: body !== undefined ? JSON.stringify(body) : undefined,
        redirect: 'manual',
    });
    const text = await res.text();
    const ct = res.headers.get('content-type') ?? '';
    if (res.status >= 400 && res.status !== 403) assert.match(ct, /^application\/problem\+json/, `${method} ${p} -> ${res.status} ${text}`);
    return { status: res.status, headers: res.headers, json: /json/.test(ct) && text ? JSON.parse(text) : undefined, text };
}

/** Asserts a 400 naming attribute `field` with a Dutch reason. */
function invalid(r, field) {
    assert.equal(r.status, 400, r.text);
    const p = (r.json.invalidParams ?? []).find((x) => x.name === field);
    assert.ok(p, `invalidParams does not name ${field}: ${r.text}`);
    assert.match(p.reason, /[a-z]/);
}

const base = () => `/toetsingen/${review.id}`;
const critPath = (c, rest) => `${base()}/criteria/${c}/${rest}`;

async function refresh(as = 'contract.regio') {
    const r = await api('GET', base(), { as });
    assert.equal(r.status, 200, r.text);
    review = r.json;
    return review;
}

before(async () => {
    srv = await startServer({ demo: true });
    for (const login of LOGINS) who[login] = await session(srv.url, login);
    const ik = await api('GET', '/ik', { as: 'kwaliteit.aanbieder' });
    aanbieder = ik.json.organisatie.id;
    assert.ok(aanbieder > 0);
});

after(async () => {
    await srv?.stop();
});

const START = () => ({ aanbiederId: aanbieder, soort: 'toelating', periodeVan: '2026-01-01', periodeTot: '2026-12-31', wet: 'jw,wmo' });

test('POST /toetsingen: refused, invalid, then created in concept', async () => {
    assert.equal((await api('POST', '/toetsingen', { body: START() })).status, 401);
    assert.equal((await api('POST', '/toetsingen', { as: 'contract.regio', body: START(), csrf: false })).status, 403);
    for (const l of ['kwaliteit.aanbieder', 'toegang.emmen', 'backoffice.regio', 'toezicht.ggd', 'raad.emmen', 'beheerder'])
        assert.equal((await api('POST', '/toetsingen', { as: l, body: START() })).status, 403, l);
    invalid(await api('POST', '/toetsingen', { as: 'contract.regio', body: { ...START(), soort: 'keuring' } }), 'soort');
    invalid(await api('POST', '/toetsingen', { as: 'contract.regio', body: { ...START(), wet: 'awbz' } }), 'wet');
    invalid(await api('POST', '/toetsingen', { as: 'contract.regio', body: { ...START(), periodeTot: '2025-01-01' } }), 'periodeTot');
    invalid(await api('POST', '/toetsingen', { as: 'contract.regio', body: { ...START(), periodeVan: '31-02-2026x' } }), 'periodeVan');
    invalid(await api('POST', '/toetsingen', { as: 'contract.regio', body: { ...START(), aanbiederId: 987654321 } }), 'aanbiederId');
    invalid(await api('POST', '/toetsingen', { as: 'contract.regio', body: { ...START(), soort: 'gebeurtenis' } }), 'gebeurtenisId');
    invalid(await api('POST', '/toetsingen', { as: 'contract.regio', body: { ...START(), onbekend: 1 } }), 'onbekend');
    const ok = await api('POST', '/toetsingen', { as: 'contract.regio', body: START() });
    assert.equal(ok.status, 201, ok.text);
    assert.match(ok.headers.get('location'), new RegExp(`^/api/v1/toetsingen/${ok.json.id}$`));
    review = ok.json;
    assert.equal(review.status, 'concept');
    assert.equal(review.aanbiederId, aanbieder);
    assert.equal(review.soort, 'toelating');
    assert.equal(review.leidendePrincipesAanvaardOp, null);
    crits = review.criteria.map((c) => c.criteriumId);
    assert.ok(crits.length >= 30, `the regional criteria apply (${crits.length})`);
    // The other aanbieder and the raad do not see it.
    for (const l of ['kwaliteit.hunzedal', 'raad.emmen', 'beheerder']) assert.equal((await api('GET', base(), { as: l })).status, 404, l);
});

test('PUT .../zelfverklaring: only the aanbieder, in concept; 400 at the field; 409 when stale', async () => {
    const decl = (i) => ({ versie: review.versie, vanToepassing: true, zelfverklaring: `Ons handboek, paragraaf ${i + 1}.`, oordeel: 'voldoet' });
    assert.equal((await api('PUT', critPath(crits[0], 'zelfverklaring'), { as: 'contract.regio', body: decl(0) })).status, 403);
    assert.equal((await api('PUT', critPath(crits[0], 'zelfverklaring'), { as: 'kwaliteit.hunzedal', body: decl(0) })).status, 404);
    assert.equal((await api('PUT', critPath(987654321, 'zelfverklaring'), { as: 'kwaliteit.aanbieder', body: decl(0) })).status, 404);
    invalid(await api('PUT', critPath(crits[0], 'zelfverklaring'), { as: 'kwaliteit.aanbieder', body: { ...decl(0), oordeel: 'prima' } }), 'oordeel');
    invalid(
        await api('PUT', critPath(crits[0], 'zelfverklaring'), { as: 'kwaliteit.aanbieder', body: { versie: review.versie, vanToepassing: false, redenNietVanToepassing: '' } }),
        'redenNietVanToepassing',
    );
    invalid(await api('PUT', critPath(crits[0], 'zelfverklaring'), { as: 'kwaliteit.aanbieder', body: { oordeel: 'voldoet' } }), 'versie');
    // Submitting too early, accepting the principles in the same call: all or nothing.
    const early = await api('POST', `${base()}/indienen`, { as: 'kwaliteit.aanbieder', body: { versie: review.versie, leidendePrincipesAanvaard: true } });
    invalid(early, 'zelfverklaring');
    assert.equal((await refresh()).leidendePrincipesAanvaardOp, null);
    for (const [i, c] of crits.entries()) {
        const r = await api('PUT', critPath(c, 'zelfverklaring'), { as: 'kwaliteit.aanbieder', body: decl(i) });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.versie, review.versie + 1);
        review = r.json;
    }
    assert.equal(review.criteria[0].zelfverklaring, 'Ons handboek, paragraaf 1.');
    const own = review.criteria[0].oordelen.find((o) => o.gezichtspunt === 'aanbieder');
    assert.equal(own.oordeel, 'voldoet');
    const stale = await api('PUT', critPath(crits[0], 'zelfverklaring'), { as: 'kwaliteit.aanbieder', body: { ...decl(0), versie: review.versie - 1 } });
    assert.equal(stale.status, 409, stale.text);
    assert.match(stale.json.detail, /intussen gewijzigd/);
});

test('POST .../indienen: the principles must be accepted; refused for others; 409 when stale', async () => {
    invalid(await api('POST', `${base()}/indienen`, { as: 'kwaliteit.aanbieder', body: { versie: review.versie } }), 'leidendePrincipesAanvaard');
    assert.equal((await api('POST', `${base()}/indienen`, { as: 'contract.regio', body: { versie: review.versie, leidendePrincipesAanvaard: true } })).status, 403);
    assert.equal((await api('POST', `${base()}/indienen`, { as: 'kwaliteit.hunzedal', body: { versie: review.versie, leidendePrincipesAanvaard: true } })).status, 404);
    const stale = await api('POST', `${base()}/indienen`, { as: 'kwaliteit.aanbieder', body: { versie: review.versie - 1, leidendePrincipesAanvaard: true } });
    assert.equal(stale.status, 409);
    const ok = await api('POST', `${base()}/indienen`, { as: 'kwaliteit.aanbieder', body: { versie: review.versie, leidendePrincipesAanvaard: true } });
    assert.equal(ok.status, 200, ok.text);
    review = ok.json;
    assert.equal(review.status, 'ingediend');
    assert.match(review.leidendePrincipesAanvaardOp, /^\d{4}-\d\d-\d\dT/);
    // Once submitted, the self-declaration is closed: 409 naming the state.
    const late = await api('PUT', critPath(crits[0], 'zelfverklaring'), { as: 'kwaliteit.aanbieder', body: { versie: review.versie, zelfverklaring: 'later', oordeel: 'deels' } });
    assert.equal(late.status, 409);
    assert.match(late.json.detail, /concept/);
});

test('PUT .../oordelen/{gezichtspunt}: each viewpoint its own; the unshared supervisor view stays hidden', async () => {
    const view = (extra = {}) => ({ versie: review.versie, oordeel: 'nog_niet', onderbouwing: 'De hulp start vaak pas na zes weken.', methode: 'gesprek', ...extra });
    // A toegang user cannot write the contract manager's verdict; outsiders do not see the review.
    assert.equal((await api('PUT', critPath(crits[1], 'oordelen/contractmanager'), { as: 'toegang.emmen', body: view() })).status, 403);
    assert.equal((await api('PUT', critPath(crits[1], 'oordelen/toegang'), { as: 'raad.emmen', body: view() })).status, 404);
    assert.equal((await api('PUT', critPath(crits[1], 'oordelen/iedereen'), { as: 'toegang.emmen', body: view() })).status, 404);
    invalid(await api('PUT', critPath(crits[1], 'oordelen/toegang'), { as: 'toegang.emmen', body: view({ onderbouwing: null }) }), 'onderbouwing');
    invalid(await api('PUT', critPath(crits[1], 'oordelen/toegang'), { as: 'toegang.emmen', body: view({ oordeel: 'slecht' }) }), 'oordeel');
    invalid(await api('PUT', critPath(crits[1], 'oordelen/toegang'), { as: 'toegang.emmen', body: view({ methode: 'telepathie' }) }), 'methode');
    const tg = await api('PUT', critPath(crits[1], 'oordelen/toegang'), { as: 'toegang.emmen', body: view() });
    assert.equal(tg.status, 200, tg.text);
    review = tg.json;
    assert.equal(review.status, 'in_beoordeling');
    const stale = await api('PUT', critPath(crits[1], 'oordelen/toegang'), { as: 'toegang.emmen', body: view({ versie: review.versie - 1 }) });
    assert.equal(stale.status, 409);
    // The supervisor's view is unshared unless said otherwise.
    const secret = 'Onderzoek naar meldingen loopt nog';
    await refresh();
    const tz = await api('PUT', critPath(crits[2], 'oordelen/toezichthouder'), { as: 'toezicht.ggd', body: view({ onderbouwing: secret, methode: 'onderzoek' }) });
    assert.equal(tz.status, 200, tz.text);
    const cm = await refresh('contract.regio');
    const cmCell = cm.criteria.find((c) => c.criteriumId === crits[2]).oordelen.find((o) => o.gezichtspunt === 'toezichthouder');
    assert.equal(cmCell.onderbouwing, secret);
    assert.equal(cmCell.gedeeld, false);
    const own = await api('GET', base(), { as: 'kwaliteit.aanbieder' });
    const ownCell = own.json.criteria.find((c) => c.criteriumId === crits[2]).oordelen.find((o) => o.gezichtspunt === 'toezichthouder');
    assert.deepEqual(ownCell, { gezichtspunt: 'toezichthouder', gedeeld: false, verborgen: true });
    assert.doesNotMatch(own.text, new RegExp(secret));
    // The contract manager records its own verdict: two steps from the aanbieder's "voldoet".
    const c = await api('PUT', critPath(crits[1], 'oordelen/contractmanager'), { as: 'contract.regio', body: view({ versie: review.versie }) });
    assert.equal(c.status, 200, c.text);
    review = c.json;
    assert.equal(review.criteria.find((x) => x.criteriumId === crits[1]).verschilStappen, 2);
});

test('PUT .../gesprek and POST .../besluit: the contract manager, with a reason unless admitted', async () => {
    await refresh();
    const conv = { versie: review.versie, datum: '2026-03-02', verslag: 'Zelfverklaring en oordelen besproken.' };
    assert.equal((await api('PUT', `${base()}/gesprek`, { as: 'toegang.emmen', body: conv })).status, 403);
    assert.equal((await api('PUT', `${base()}/gesprek`, { as: 'kwaliteit.aanbieder', body: conv })).status, 403);
    invalid(await api('PUT', `${base()}/gesprek`, { as: 'contract.regio', body: { ...conv, datum: '2 maart' } }), 'datum');
    invalid(await api('PUT', `${base()}/gesprek`, { as: 'contract.regio', body: { ...conv, verslag: ' ' } }), 'verslag');
    assert.equal((await api('PUT', `${base()}/gesprek`, { as: 'contract.regio', body: { ...conv, versie: review.versie - 1 } })).status, 409);
    const ok = await api('PUT', `${base()}/gesprek`, { as: 'contract.regio', body: conv });
    assert.equal(ok.status, 200, ok.text);
    review = ok.json;
    assert.equal(review.gesprekOp, '2026-03-02');
    assert.equal(review.gespreksverslag, conv.verslag);

    const dec = { versie: review.versie, besluit: 'voorwaardelijk', reden: 'Start binnen vier weken is een voorwaarde.' };
    for (const l of ['toegang.emmen', 'beleid.regio', 'kwaliteit.aanbieder'])
        assert.equal((await api('POST', `${base()}/besluit`, { as: l, body: dec })).status, 403, l);
    assert.equal((await api('POST', `${base()}/besluit`, { as: 'raad.emmen', body: dec })).status, 404);
    invalid(await api('POST', `${base()}/besluit`, { as: 'contract.regio', body: { ...dec, reden: null } }), 'reden');
    invalid(await api('POST', `${base()}/besluit`, { as: 'contract.regio', body: { ...dec, besluit: 'misschien' } }), 'besluit');
    assert.equal((await api('POST', `${base()}/besluit`, { as: 'contract.regio', body: { ...dec, versie: review.versie - 1 } })).status, 409);
    const done = await api('POST', `${base()}/besluit`, { as: 'contract.regio', body: dec });
    assert.equal(done.status, 200, done.text);
    review = done.json;
    assert.equal(review.status, 'besloten');
    assert.equal(review.besluit, 'voorwaardelijk');
    assert.equal(review.besluitReden, dec.reden);
    // Decided: read-only (409 naming the state), for the decision and for views alike.
    const again = await api('POST', `${base()}/besluit`, { as: 'contract.regio', body: { ...dec, versie: review.versie } });
    assert.equal(again.status, 409);
    assert.match(again.json.detail, /besloten/);
    const late = await api('PUT', critPath(crits[3], 'oordelen/toegang'), {
        as: 'toegang.emmen',
        body: { versie: review.versie, oordeel: 'voldoet', methode: 'document' },
    });
    assert.equal(late.status, 409);
    // The aanbieder sees the decision through the API.
    const own = await api('GET', base(), { as: 'kwaliteit.aanbieder' });
    assert.equal(own.json.besluit, 'voorwaardelijk');
});
