// authz-matrix.test.mjs: THE authorisation matrix (DESIGN.md §7: "a test covers every route x
// role"). Every route printed by `duiding routes` is requested by every demo role (one login
// per role, plus the Hoogeveen and region beleid logins for ownership cases) and by an anonymous
// visitor, and the outcome is compared with the expectation written BY HAND in
// authz-matrix.json from the policy rules (src/domain/policy.c, docs/security.md).
//
// Outcomes:
//   allow    2xx or 3xx (other than the login redirect); for unsafe methods also 400/409/422,
//            because POSTs carry an intentionally invalid but well-formed body (a valid CSRF
//            token, fields that fail validation) so that "allowed" changes nothing
//   deny     403 (or 404 when the route has an {id}: hiding an object is a refusal too)
//   login    303 to /inloggen?terug=... (pages) or 401 problem+json (API)
//   notfound 404 (e.g. a well-formed id that does not exist)
//
// A route without an expectation fails the test, so every new route needs a decision. A
// readable table of all mismatches is printed when anything differs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, runCli, SHARED_DIR } from '../lib/server.mjs';
import {
    demoDataDir,
    removeDir,
    cliOrgs,
    cliUsers,
    findOrg,
    session,
    anonymous,
    resultIdsOnPage,
} from './fixtures.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MATRIX = JSON.parse(readFileSync(path.join(HERE, 'authz-matrix.json'), 'utf8'));
// A feature may keep its part of the matrix in its own file, authz-matrix.<feature>.json:
// {"actors": [...extra logins], "symbols": [...], "routes": [...]}. Its symbols are made after
// the ones above, in file order: {"name", "as", "create": api, "body": {...}} POSTs body to the
// API collection (string values "sym:<symbol>" are replaced by that symbol's value, and
// "symcode:<org symbol>" by the organisation's code) and keeps the new id; {"name", "as",
// "list": api, "pick": n} keeps the id of the n-th item (default 0) of a GET of that list.
const FRAGMENTS = readdirSync(HERE)
    .filter((f) => /^authz-matrix\.[a-z0-9-]+\.json$/.test(f))
    .sort()
    .map((f) => ({ file: f, ...JSON.parse(readFileSync(path.join(HERE, f), 'utf8')) }));
// A feature file's extra actors (say a back-office login) are asked only its own routes.
const BASE_ACTORS = [...MATRIX.actors]; // "anonymous" + demo logins
for (const f of FRAGMENTS) {
    const actors = [...BASE_ACTORS, ...(f.actors ?? []).filter((a) => !BASE_ACTORS.includes(a))];
    for (const a of actors) if (!MATRIX.actors.includes(a)) MATRIX.actors.push(a);
    MATRIX.routes.push(...(f.routes ?? []).map((r) => ({ ...r, actors })));
}
const ACTORS = MATRIX.actors; // every actor that logs in
const SAFE = new Set(['GET', 'HEAD']);

let dataDir;
let srv;
let routes = [];
const sessions = new Map(); // actor -> {cookie, csrf}
const symbols = new Map(); // "org:emmen" -> id (per actor for "user:self")

before(async () => {
    const r = await runCli(['routes']);
    assert.equal(r.code, 0, `duiding routes failed:\n${r.stderr}`);
    routes = r.stdout
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l));

    dataDir = await demoDataDir();
    const orgs = await cliOrgs(dataDir);
    const users = await cliUsers(dataDir);
    const userId = (login) => {
        const u = users.find((x) => x.login === login);
        if (!u) throw new Error(`demo user ${login} missing from 'user list'`);
        return u.id;
    };
    srv = await startServer({ dataDir });

    for (const actor of ACTORS) {
        sessions.set(actor, actor === 'anonymous' ? await anonymous(srv.url) : await session(srv.url, actor));
    }

    // Organisations: found by kind and name, never by a hard-coded id.
    const region = findOrg(orgs, 'region');
    const emmen = findOrg(orgs, 'gemeente', /^Emmen$/);
    const hoogeveen = findOrg(orgs, 'gemeente', /^Hoogeveen$/);
    const toezicht = findOrg(orgs, 'toezichthouder');
    const aanbieders = orgs.filter((o) => o.kind === 'aanbieder');
    const provider = orgOfUser(users, 'kwaliteit.aanbieder', aanbieders);
    if (!provider) throw new Error('cannot tell the organisation of kwaliteit.aanbieder');
    const otherProvider = aanbieders.find((o) => o.id !== provider.id);
    const toegang = orgs.find((o) => o.kind === 'toegang');
    Object.entries({
        'org:region': region.id,
        'org:emmen': emmen.id,
        'org:hoogeveen': hoogeveen.id,
        'org:toezicht': toezicht.id,
        'org:aanbieder': provider.id,
        'org:other-aanbieder': otherProvider?.id,
        'org:toegang': toegang?.id,
    }).forEach(([k, v]) => v && symbols.set(k, v));

    symbols.set('name:org:aanbieder', provider.name);
    symbols.set('agb:org:aanbieder', provider.code);
    for (const u of users) symbols.set(`user:${u.login}`, u.id);
    // A user none of the actors logs in as: the target of destructive beheerder actions.
    const victim = users.find((u) => !ACTORS.includes(u.login));
    if (!victim) throw new Error('the demo has no user besides the actors');
    symbols.set('user:victim', victim.id);
    symbols.set('user:self', (actor) => (actor === 'anonymous' ? userId('beheerder') : userId(actor)));

    // Results: from the list page filtered by owner, as the beheerder sees it.
    const admin = sessions.get('beheerder').cookie;
    for (const [key, org] of [['emmen', emmen], ['hoogeveen', hoogeveen], ['region', region]]) {
        const ids = await resultIdsOnPage(srv.url, admin, `/resultaten?eigenaar=${org.id}`);
        if (ids.length < 2) throw new Error(`demo has fewer than 2 results of ${org.name}`);
        symbols.set(`result:${key}`, ids[0]);
        symbols.set(`result:${key}#2`, ids[1]);
    }
    symbols.set('missing', 987654321);
    // Data intake: one import batch delivered (through the API, with the session's CSRF
    // header) by a deliverer of each kind, and an upload job of the beheerder.
    for (const [key, actor] of [['emmen', 'beleid.emmen'], ['region', 'contract.regio'], ['aanbieder', 'kwaliteit.aanbieder']])
        symbols.set(`batch:${key}`, await deliverBatch(actor, key));
    const job = await startUploadJob('beheerder');
    symbols.set('job:beheerder', job);
    symbols.set('job-json:beheerder', `${job}.json`);
    // API tokens: a fresh own token per request (an allowed revoke uses it up), and one of
    // beleid.hoogeveen's, made through the account page like a user would.
    symbols.set('token:self', (actor) => createToken(actor === 'anonymous' ? 'beheerder' : actor));
    const hoogeveenToken = await createToken('beleid.hoogeveen');
    symbols.set('token:beleid.hoogeveen', hoogeveenToken);
    // Stories and context events (issue 5), made through the API: three stories of Emmen by
    // beleid.emmen, one per consent (the gesprek one with the provider as party), an event of
    // Emmen and a region-wide one of beleid.regio.
    for (const consent of ['intern', 'gesprek', 'publicatie']) {
        const extra = consent === 'gesprek' ? { gemeente: `GM${emmen.code.replace(/^GM/, '')}`, aanbiederId: provider.id } : {};
        symbols.set(`story:emmen-${consent}`, await createVia('beleid.emmen', '/api/v1/verhalen', {
            soort: 'citaat', toestemming: consent, titel: `Matrix ${consent}`, tekst: 'Een verhaal voor de matrix.',
            vertellerRol: 'inwoner', datum: '2025-01-01', ...extra,
        }));
    }
    symbols.set('event:emmen', await createVia('beleid.emmen', '/api/v1/contextgebeurtenissen', {
        titel: 'Matrix Emmen', datum: '2025-01-01', gemeente: `GM${emmen.code.replace(/^GM/, '')}`,
    }));
    symbols.set('event:region', await createVia('beleid.regio', '/api/v1/contextgebeurtenissen', {
        titel: 'Matrix regio', datum: '2025-01-01',
    }));
    // Conversations (issue 6): a planned conversation of Emmen about result:emmen with the
    // provider of kwaliteit.aanbieder as party, made through the plan form by beleid.emmen.
    symbols.set('conv:emmen', await planConversation('beleid.emmen', symbols.get('result:emmen'), provider.id));
    // Questionnaires and rounds (issue 5): the demo questionnaire of Emmen, one of the region
    // and a second one of Emmen (archived and restored by the matrix), made through the API; a
    // round of Emmen's questionnaire about the provider of kwaliteit.aanbieder (a party).
    const emmenSurveys = await fetch(`${srv.url}/api/v1/vragenlijsten?eigenaar=${emmen.id}`, {
        headers: { cookie: admin, accept: 'application/json' },
    }).then((r) => r.json());
    if (!emmenSurveys.items?.length) throw new Error('the demo has no questionnaire of Emmen');
    symbols.set('survey:emmen', emmenSurveys.items[0].id);
    symbols.set('survey:emmen#2', await createVia('beleid.emmen', '/api/v1/vragenlijsten', { sjabloon: 'jeugd-uitkomst' }));
    symbols.set('survey:region', await createVia('beleid.regio', '/api/v1/vragenlijsten', { sjabloon: 'jeugd-uitkomst' }));
    symbols.set('round:emmen', await createVia('beleid.emmen', '/api/v1/uitvragen', {
        vragenlijst: emmenSurveys.items[0].id, naam: 'Matrix', gemeente: emmen.code.replace(/^GM/, ''),
        aanbieder: provider.id, opentOp: '2026-11-01', sluitOp: '2026-12-31',
    }));
    for (const [kind, api, keys] of [
        ['story', '/api/v1/verhalen', ['emmen-intern', 'emmen-gesprek', 'emmen-publicatie']],
        ['event', '/api/v1/contextgebeurtenissen', ['emmen', 'region']],
    ]) {
        for (const key of keys) {
            // Read as the owner's editor (the beheerder may not read an internal story).
            const reader = kind === 'event' && key === 'region' ? 'beleid.regio' : 'beleid.emmen';
            symbols.set(`version:${kind}:${key}`, async () => {
                const id = symbols.get(`${kind}:${key}`);
                const res = await fetch(`${srv.url}${api}/${id}`, {
                    headers: { cookie: sessions.get(reader).cookie, accept: 'application/json' },
                });
                const j = await res.json();
                if (typeof j.versie !== 'number') throw new Error(`no versie for ${kind} ${id}: ${JSON.stringify(j)}`);
                return j.versie;
            });
        }
    }
    // The symbols of the feature files (see FRAGMENTS above).
    const orgCodes = new Map(orgs.map((o) => [o.id, o.code]));
    const resolve = (v) => {
        if (typeof v === 'string' && v.startsWith('sym:')) {
            const got = symbols.get(v.slice(4));
            if (got === undefined) throw new Error(`unknown symbol ${v}`);
            return got;
        }
        if (typeof v === 'string' && v.startsWith('symcode:')) return orgCodes.get(symbols.get(v.slice(8)));
        if (Array.isArray(v)) return v.map(resolve);
        if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
        return v;
    };
    for (const f of FRAGMENTS) {
        for (const sym of f.symbols ?? []) {
            if (sym.create) {
                symbols.set(sym.name, await createVia(sym.as, sym.create, resolve(sym.body ?? {})));
            } else if (sym.list) {
                const res = await fetch(`${srv.url}${resolve(sym.list)}`, {
                    headers: { cookie: sessions.get(sym.as)?.cookie ?? (await session(srv.url, sym.as)).cookie, accept: 'application/json' },
                });
                const j = await res.json();
                const item = (j.items ?? j.data ?? [])[sym.pick ?? 0];
                if (!item) throw new Error(`${f.file}: symbol ${sym.name}: ${sym.list} has no item ${sym.pick ?? 0}`);
                symbols.set(sym.name, item.id);
            } else {
                throw new Error(`${f.file}: symbol ${sym.name} has neither create nor list`);
            }
        }
    }
    // The current version of a result, read at request time (edits need it).
    for (const key of ['emmen', 'hoogeveen', 'region', 'emmen#2']) {
        symbols.set(`version:result:${key}`, async () => {
            const id = symbols.get(`result:${key}`);
            const res = await fetch(`${srv.url}/api/v1/maatschappelijke-resultaten/${id}`, {
                headers: { cookie: sessions.get('beheerder').cookie, accept: 'application/json' },
            });
            const j = await res.json();
            if (typeof j.versie !== 'number') throw new Error(`no versie for result ${id}: ${JSON.stringify(j)}`);
            return j.versie;
        });
    }
});

after(async () => {
    await srv?.stop();
    await removeDir(dataDir);
});

/** POSTs a JSON body to an API collection as `login` (session + CSRF header); resolves the id. */
async function createVia(login, api, body) {
    const who = sessions.get(login);
    const res = await fetch(`${srv.url}${api}`, {
        method: 'POST',
        headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`POST ${api} as ${login}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text).id;
}

/** Plans a conversation through POST /gesprekken as `login`; resolves its id (from the redirect). */
async function planConversation(login, resultId, partyId) {
    const who = sessions.get(login);
    const res = await fetch(`${srv.url}/gesprekken`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
            csrf: who.csrf, soort: 'achterkant', titel: 'Matrix-gesprek', doel: '', resultaat: String(resultId),
            partij: String(partyId), periode_van: '2025-01-01', periode_tot: '2025-12-31', datum: '2026-02-10',
        }).toString(),
    });
    const text = await res.text();
    const m = (res.headers.get('location') ?? '').match(/^\/gesprekken\/(\d+)\?/);
    if (res.status !== 303 || !m) throw new Error(`plan conversation as ${login}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return Number(m[1]);
}

/** Creates an API token for a demo user through POST /account/tokens; resolves its id. */
async function createToken(login) {
    const who = sessions.get(login);
    const label = `matrix-${login}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const res = await fetch(`${srv.url}/account/tokens`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ label, rechten: 'read', dagen: '1', csrf: who.csrf }).toString(),
    });
    await res.text();
    if (res.status !== 200 && res.status !== 303) throw new Error(`token for ${login}: POST /account/tokens answered ${res.status}`);
    const list = await fetch(`${srv.url}/account/tokens`, { headers: { cookie: who.cookie } });
    const html = await list.text();
    const ids = [...html.matchAll(/\/account\/tokens\/(\d+)\/intrekken/g)].map((m) => Number(m[1]));
    if (!ids.length) throw new Error(`token for ${login}: no revoke form on /account/tokens`);
    return Math.max(...ids);
}

/** A real sample message, made unique per caller (an XML comment) so no upload is a duplicate. */
function sampleMessage(tag) {
    const xml = readFileSync(path.join(SHARED_DIR, 'external/istandaarden/ijw-3.2/berichten/JW301.xml'), 'utf8');
    return `${xml}\n<!-- authz-matrix ${tag} ${Date.now()} -->\n`;
}

/** Delivers a sample message as `login` through POST /api/v1/aanleveringen; resolves the batch id. */
async function deliverBatch(login, tag) {
    const who = sessions.get(login);
    const res = await fetch(`${srv.url}/api/v1/aanleveringen?bestandsnaam=matrix-${tag}.xml`, {
        method: 'POST',
        headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': 'application/xml', accept: 'application/json' },
        body: sampleMessage(tag),
    });
    const text = await res.text();
    let j = {};
    try {
        j = JSON.parse(text);
    } catch {
        /* reported below */
    }
    const id = j.id ?? j.aanleveringId;
    if (!Number.isInteger(id)) throw new Error(`delivery as ${login}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return id;
}

/** Uploads a sample message through the web form as `login`; resolves the job id. */
async function startUploadJob(login) {
    const who = sessions.get(login);
    const form = new FormData();
    form.append('soort', 'automatisch');
    form.append('bestand', new Blob([sampleMessage('job')], { type: 'application/xml' }), 'matrix-job.xml');
    const res = await fetch(`${srv.url}/gegevens/aanleveren?csrf=${encodeURIComponent(who.csrf)}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: who.cookie },
        body: form,
    });
    await res.arrayBuffer();
    const m = (res.headers.get('location') ?? '').match(/^\/gegevens\/taken\/([0-9a-f]{32})$/);
    if (res.status !== 303 || !m) throw new Error(`upload as ${login}: HTTP ${res.status} ${res.headers.get('location')}`);
    return m[1];
}

/** The organisation (among candidates) of a demo user, from the org column of `user list`. */
function orgOfUser(users, login, candidates) {
    const u = users.find((x) => x.login === login);
    if (!u) return undefined;
    const hits = candidates.filter((o) => u.line.includes(o.name));
    hits.sort((a, b) => b.name.length - a.name.length); // the longest name that fits
    return hits[0];
}

const routeKey = (r) => `${r.method} ${r.pattern}`;

function expectationFor(expect, actor) {
    if (expect[actor] !== undefined) return expect[actor];
    if (expect['*'] !== undefined) return expect['*'];
    return undefined;
}

const SYMBOL = /\{([a-z-]+(?::[a-z-]+)?:[A-Za-z0-9.#_-]+|missing)\}/g;

async function symbolValue(sym, actor) {
    let v = symbols.get(sym);
    if (typeof v === 'function') v = await v(actor);
    if (v === undefined) throw new Error(`unknown symbol {${sym}} (known: ${[...symbols.keys()].join(', ')})`);
    return v;
}

/** Resolves "{org:emmen}"-style placeholders in a string for one actor. */
async function resolve(value, actor) {
    if (typeof value !== 'string') return value;
    const syms = [...value.matchAll(SYMBOL)].map((m) => m[1]);
    const vals = new Map();
    for (const sym of syms) vals.set(sym, await symbolValue(sym, actor));
    return value.replace(SYMBOL, (_, sym) => String(vals.get(sym)));
}

/** Resolves placeholders in a JSON body; a string that is exactly one numeric symbol becomes a number. */
async function resolveJson(value, actor) {
    if (typeof value === 'string') {
        const whole = value.match(/^\{([^{}]+)\}$/);
        if (whole) {
            const v = await symbolValue(whole[1], actor);
            return typeof v === 'number' ? v : String(v);
        }
        return resolve(value, actor);
    }
    if (Array.isArray(value)) return Promise.all(value.map((v) => resolveJson(v, actor)));
    if (value && typeof value === 'object') {
        const out = {};
        for (const [k, v] of Object.entries(value)) out[k] = await resolveJson(v, actor);
        return out;
    }
    return value;
}

async function buildPath(pattern, params, actor) {
    let out = '';
    let last = 0;
    const seen = {}; // a name used twice ("/enquetes/{id}/rondes/{id}") takes an array of symbols
    for (const m of pattern.matchAll(/\{([a-z_]+)\}/g)) {
        const given = params?.[m[1]];
        const nth = (seen[m[1]] = (seen[m[1]] ?? -1) + 1);
        const sym = Array.isArray(given) ? given[nth] : given;
        if (sym === undefined) throw new Error(`${pattern}: no value for {${m[1]}} in the case`);
        const v = sym.startsWith('lit:') ? sym.slice(4) : String(await symbolValue(sym, actor));
        out += pattern.slice(last, m.index) + encodeURIComponent(v);
        last = m.index + m[0].length;
    }
    return out + pattern.slice(last);
}

function htmlUnescape(t) {
    return t
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
}

const attr = (tag, name) => {
    const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i'));
    return m ? htmlUnescape(m[2] ?? m[3]) : undefined;
};

/**
 * The fields a browser would submit from the form with this action on page (fetched as
 * `as`): [name, value] pairs of inputs (checked boxes only), selects and textareas.
 */
async function formOnPage(page, as, action) {
    const res = await fetch(`${srv.url}${page}`, { headers: { cookie: sessions.get(as).cookie }, redirect: 'manual' });
    const html = await res.text();
    if (res.status !== 200) throw new Error(`form_from ${page} as ${as}: HTTP ${res.status}`);
    const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
    const form = forms.find((m) => attr(m[1], 'action') === action);
    if (!form) throw new Error(`form_from ${page}: no form with action ${action}`);
    const body = form[2];
    const pairs = [];
    for (const m of body.matchAll(/<input\b[^>]*>/gi)) {
        const tag = m[0];
        const name = attr(tag, 'name');
        const type = (attr(tag, 'type') ?? 'text').toLowerCase();
        if (!name || ['submit', 'button', 'reset', 'file'].includes(type)) continue;
        if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/i.test(tag)) continue;
        pairs.push([name, attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '')]);
    }
    for (const m of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi)) {
        const name = attr(m[1], 'name');
        if (name) pairs.push([name, htmlUnescape(m[2].replace(/^\n/, ''))]);
    }
    for (const m of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
        const name = attr(m[1], 'name');
        if (!name) continue;
        const options = [...m[2].matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)];
        const chosen = options.filter((o) => /\sselected\b/i.test(o[1]));
        for (const o of chosen.length ? chosen : options.slice(0, 1))
            pairs.push([name, attr(o[1], 'value') ?? htmlUnescape(o[2]).trim()]);
    }
    return pairs;
}

/** Classifies a response into allow / deny / login / notfound / "status N". */
function classify(res, { api, unsafe, allowStatus = [] }) {
    const s = res.status;
    const loc = res.headers.get('location') ?? '';
    if (api ? s === 401 : s >= 300 && s < 400 && /^\/inloggen(\?terug=|$)/.test(loc)) return 'login';
    if (s === 403) return 'deny';
    if (s === 404) return 'notfound';
    if (s >= 200 && s < 400) return 'allow';
    if (unsafe && [400, 409, 422].includes(s)) return 'allow';
    if (allowStatus.includes(s)) return 'allow';
    return `status ${s}`;
}

function matches(expected, got, hasId) {
    if (expected === got) return true;
    if (expected === 'deny' && got === 'notfound' && hasId) return true;
    return false;
}

async function request(route, spec, kase, actor) {
    const api = route.api || route.pattern.startsWith('/api/');
    const unsafe = !SAFE.has(route.method);
    let who = sessions.get(actor);
    if (spec.fresh_session && actor !== 'anonymous') who = await session(srv.url, actor);
    const p = (await buildPath(route.pattern, kase.params, actor)) + (kase.query ? `?${await resolve(kase.query, actor)}` : '');
    const headers = { cookie: who.cookie };
    let body;
    if (api) {
        headers.accept = 'application/json';
        if (unsafe) {
            headers['x-csrf-token'] = who.csrf;
            headers['content-type'] = 'application/json';
            const json = kase.json ?? spec.json ?? {};
            body = JSON.stringify(await resolveJson(json, actor));
        }
    } else if (unsafe) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        // Base: the fields of a real form (form_from: the page that shows it, fetched by the
        // actor allowed to see it), then the route's and the case's fields on top.
        let pairs = [];
        const from = kase.form_from ?? spec.form_from;
        if (from) {
            const page = await buildPath(from.path, kase.params, actor);
            const action = await buildPath(route.pattern, kase.params, actor);
            pairs = await formOnPage(page, from.as, action);
        }
        for (const fields of [spec.form, kase.form]) {
            if (!fields) continue;
            for (const [k, v] of Object.entries(fields)) {
                pairs = pairs.filter(([name]) => name !== k);
                for (const one of Array.isArray(v) ? v : [v]) pairs.push([k, await resolve(String(one), actor)]);
            }
        }
        const params = new URLSearchParams(pairs.filter(([k]) => k !== 'csrf'));
        params.append('csrf', who.csrf ?? '');
        body = params.toString();
    }
    const res = await fetch(`${srv.url}${p}`, { method: route.method, headers, body, redirect: 'manual' });
    await res.arrayBuffer();
    return {
        path: p,
        status: res.status,
        location: res.headers.get('location'),
        outcome: classify(res, { api, unsafe, allowStatus: spec.allow_status ?? [] }),
    };
}

/** A plain-text table of result rows. */
function tableOf(list) {
    const cols = ['route', 'case', 'actor', 'expected', 'got', 'status'];
    const width = Object.fromEntries(
        cols.map((c) => [c, Math.min(60, Math.max(c.length, ...list.map((m) => String(m[c]).length)))])
    );
    const line = (m) => cols.map((c) => String(m[c]).slice(0, 60).padEnd(width[c])).join(' | ');
    return [
        line(Object.fromEntries(cols.map((c) => [c, c]))),
        cols.map((c) => '-'.repeat(width[c])).join('-+-'),
        ...list.map(line),
    ].join('\n');
}

test('every route has an expectation in authz-matrix.json (and no stale entries)', () => {
    const have = new Set(MATRIX.routes.map((r) => r.route));
    const live = new Set(routes.map(routeKey));
    const missing = routes.filter((r) => !have.has(routeKey(r)));
    const stale = [...have].filter((k) => !live.has(k));
    const msg = [];
    if (missing.length) {
        msg.push('Routes without an expectation (add them to tests/http/authz-matrix.json, decided from the policy):');
        for (const r of missing) msg.push(`  ${routeKey(r).padEnd(48)} name=${r.name} public=${r.public} api=${r.api}`);
    }
    if (stale.length) {
        msg.push('Expectations for routes that no longer exist (remove or rename them):');
        for (const k of stale) msg.push(`  ${k}`);
    }
    assert.ok(!missing.length && !stale.length, msg.join('\n'));
});

test('the public flag of every route agrees with the anonymous expectation', () => {
    const bad = [];
    for (const spec of MATRIX.routes) {
        const r = routes.find((x) => routeKey(x) === spec.route);
        if (!r) continue;
        for (const kase of spec.cases ?? [{}]) {
            const exp = expectationFor({ ...(spec.expect ?? {}), ...(kase.expect ?? {}) }, 'anonymous');
            if (!r.public && exp !== 'login') bad.push(`${spec.route}: not public, but anonymous expects ${exp}`);
            if (r.public && exp === 'login') bad.push(`${spec.route}: public, but anonymous expects login`);
        }
    }
    assert.deepEqual(bad, []);
});

test('authorisation matrix: every route x every role', async (t) => {
    const rows = []; // every request, for the summary
    const mismatches = [];
    for (const spec of MATRIX.routes) {
        const route = routes.find((x) => routeKey(x) === spec.route);
        if (!route) continue; // reported by the coverage test
        const hasId = /\{[a-z_]+\}/.test(route.pattern);
        const cases = spec.cases ?? [{}];
        for (const kase of cases) {
            const expect = { ...(spec.expect ?? {}), ...(kase.expect ?? {}) };
            for (const actor of spec.actors ?? BASE_ACTORS) {
                const expected = expectationFor(expect, actor);
                const label = kase.label ?? (kase.params ? Object.values(kase.params).join(',') : '');
                if (expected === undefined) {
                    mismatches.push({ route: spec.route, case: label, actor, expected: '(none)', got: '-', status: '', path: '' });
                    continue;
                }
                if (expected === 'skip') continue;
                let got;
                try {
                    got = await request(route, spec, kase, actor);
                } catch (err) {
                    got = { outcome: `error: ${err.message}`, status: 0, path: '', location: null };
                }
                const row = {
                    route: spec.route,
                    case: label,
                    actor,
                    expected,
                    got: got.outcome,
                    status: got.status + (got.location ? ` -> ${got.location}` : ''),
                    path: got.path,
                };
                rows.push(row);
                if (!matches(expected, got.outcome, hasId)) mismatches.push(row);
            }
        }
    }
    t.diagnostic(`${rows.length} requests, ${mismatches.length} mismatches`);
    // DUIDING_MATRIX_VERBOSE=1 prints every request of the matrix, not only the mismatches.
    if (process.env.DUIDING_MATRIX_VERBOSE) console.log(`\nAll requests:\n${tableOf(rows)}\n`);
    if (mismatches.length) {
        const table = tableOf(mismatches);
        console.log(`\nAuthorisation matrix mismatches (${mismatches.length} of ${rows.length}):\n${table}\n`);
        assert.fail(`${mismatches.length} authorisation mismatches:\n${table}`);
    }
});
