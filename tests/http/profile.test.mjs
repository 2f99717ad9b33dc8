// profile.test.mjs: the column-profile wizard end to end over HTTP (web/page_profile.c): a
// kwaliteit user uploads a real messy sample export (Windows-1252, ';', title rows), sees the
// first rows with the BSNs masked and the suggested columns and translations, saves the
// profile and finds it in the list; edits it with optimistic locking; archives and restores
// it. A kwaliteit user of another aanbieder sees none of it, a draft is bound to its session,
// and nothing of the sample (BSN, names) ends up in the database or the logs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startServer, runCli, DEMO_PASSWORD, SOURCE_DIR } from '../lib/server.mjs';
import { demoDataDir, removeDir, cliOrgs, cliUsers, session, get, postForm } from './fixtures.mjs';

const SAMPLE = path.join(SOURCE_DIR, 'tests/data/intake/jeugd-export-puntkomma.csv');
const NAME = `HTTP-test Zorgboog ${Date.now()}`;
const OTHER_LOGIN = 'kwaliteit.anderaanbieder';

let dataDir;
let srv;
let mine; // kwaliteit.aanbieder
let other; // kwaliteit user of another aanbieder
let admin; // beheerder
let profileId;

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

/** The form with this action on a page: its action and the [name, value] pairs a browser sends. */
function formPairs(html, actionPrefix) {
    const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
    const form = forms.find((m) => (attr(m[1], 'action') ?? '').startsWith(actionPrefix));
    assert.ok(form, `no form with action ${actionPrefix}`);
    const body = form[2];
    const pairs = [];
    for (const m of body.matchAll(/<input\b[^>]*>/gi)) {
        const name = attr(m[0], 'name');
        const type = (attr(m[0], 'type') ?? 'text').toLowerCase();
        if (!name || ['submit', 'button', 'file'].includes(type)) continue;
        pairs.push([name, attr(m[0], 'value') ?? '']);
    }
    for (const m of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
        const name = attr(m[1], 'name');
        const options = [...m[2].matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)];
        const chosen = options.find((o) => /\sselected\b/i.test(o[1])) ?? options[0];
        pairs.push([name, chosen ? attr(chosen[1], 'value') ?? '' : '']);
    }
    return { action: attr(form[1], 'action'), pairs };
}

/** The chosen value of every <select> of a page: name -> value ('' when none is chosen). */
function selects(html) {
    const map = new Map();
    for (const m of html.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
        const o = [...m[2].matchAll(/<option\b([^>]*)>/gi)].find((x) => /\sselected\b/i.test(x[1]));
        map.set(attr(m[1], 'name'), o ? attr(o[1], 'value') : '');
    }
    return map;
}

/** Step 1 as `who`: uploads the sample; resolves the response. */
async function upload(who, fields, file = readFileSync(SAMPLE), fileName = 'jeugd-export.csv', csrf = who.csrf) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('bestand', new Blob([file], { type: 'text/csv' }), fileName);
    return fetch(`${srv.url}/gegevens/profielen/nieuw?csrf=${encodeURIComponent(csrf)}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: who.cookie },
        body: form,
    });
}

/** Every file under dir, recursively. */
function filesUnder(dir) {
    const out = [];
    for (const e of readdirSync(dir)) {
        const p = path.join(dir, e);
        let st;
        try {
            st = statSync(p);
        } catch {
            continue; /* removed while we looked */
        }
        if (st.isDirectory()) out.push(...filesUnder(p));
        else out.push(p);
    }
    return out;
}

before(async () => {
    dataDir = await demoDataDir();
    const orgs = await cliOrgs(dataDir);
    const users = await cliUsers(dataDir);
    const aanbieders = orgs.filter((o) => o.kind === 'aanbieder');
    const kw = users.find((u) => u.login === 'kwaliteit.aanbieder');
    const own = aanbieders
        .filter((o) => kw.line.includes(o.name))
        .sort((a, b) => b.name.length - a.name.length)[0];
    const otherOrg = aanbieders.find((o) => o.id !== own.id && !o.archived);
    assert.ok(own && otherOrg, 'the demo needs two aanbieders');
    const r = await runCli(
        ['-d', dataDir, 'user', 'add', '--login', OTHER_LOGIN, '--org', String(otherOrg.id), '--roles', 'kwaliteit', '--password-stdin'],
        { input: `${DEMO_PASSWORD}\n` }
    );
    assert.equal(r.code, 0, `user add: ${r.stdout}${r.stderr}`);
    srv = await startServer({ dataDir });
    mine = await session(srv.url, 'kwaliteit.aanbieder');
    other = await session(srv.url, OTHER_LOGIN);
    admin = await session(srv.url, 'beheerder');
});

after(async () => {
    await srv?.stop();
    await removeDir(dataDir);
});

test('the wizard: upload a sample, check the suggestion, save the profile', async () => {
    let { res, text } = await get(srv.url, '/gegevens/profielen', mine.cookie);
    assert.equal(res.status, 200);
    assert.match(text, /href="\/gegevens\/profielen\/nieuw"/);
    ({ res, text } = await get(srv.url, '/gegevens/profielen/nieuw', mine.cookie));
    assert.equal(res.status, 200);
    assert.match(text, /enctype="multipart\/form-data"/);
    assert.match(text, /action="\/gegevens\/profielen\/nieuw\?csrf=/);

    // Missing name and a file that is no table: the form again, with the reasons.
    let up = await upload(mine, { wet: 'jeugdwet', naam: '' });
    let page = await up.text();
    assert.equal(up.status, 422);
    assert.match(page, /Vul een naam in voor het profiel/);

    up = await upload(mine, { wet: 'jeugdwet', naam: NAME });
    await up.arrayBuffer();
    assert.equal(up.status, 303);
    const loc = up.headers.get('location');
    assert.match(loc, /^\/gegevens\/profielen\/concept\/[0-9a-f]{32}$/);

    ({ res, text } = await get(srv.url, loc, mine.cookie));
    assert.equal(res.status, 200);
    // The rows are shown, the BSNs masked; the name column is there for recognition.
    assert.match(text, /\*{5}2308/);
    assert.doesNotMatch(text, /111222308/);
    assert.match(text, /Jan de Vries/);
    assert.match(text, /Windows-1252/);
    // Header row 3 (two title rows above), and the suggested columns.
    const sel = selects(text);
    assert.equal(attr(text.match(/<input\b[^>]*name="kopregel"[^>]*>/)[0], 'value'), '3');
    assert.equal(sel.get('kolom_bsn'), 'BSN');
    assert.equal(sel.get('kolom_gemeente'), 'Woongemeente');
    assert.equal(sel.get('kolom_startdatum'), 'Datum aanvang');
    assert.equal(sel.get('kolom_reden'), 'Reden beëindiging');
    assert.equal(sel.get('kolom_clientsleutel'), '');
    // Translations of the provider's own words, suggestion preselected.
    assert.match(text, /<label[^>]*for="veld-naar_reden_0"[^>]*>Afgerond volgens plan<\/label>/);
    assert.equal(sel.get('naar_reden_0'), '01');
    assert.match(text, />Ambulant<\/label>/);
    assert.equal(sel.get('naar_hulpvorm_0'), '02');

    // The trial import of the preview rows: what is good, what is not and why.
    assert.match(text, /Proef met het voorbeeld/);
    assert.match(text, /3 van de 11 regels in het voorbeeld zijn goed/);
    assert.match(text, /kolom &#39;BSN&#39;: BSN voldoet niet aan de elfproef|kolom 'BSN': BSN voldoet niet aan de elfproef/);
    assert.match(text, /goed \(test-BSN\)/);

    // A draft belongs to its session: another user cannot open or save it.
    ({ res } = await get(srv.url, loc, other.cookie));
    assert.equal(res.status, 404);
    const { pairs } = formPairs(text, loc);
    const post = await postForm(srv.url, loc, other.cookie, [...pairs.filter(([k]) => k !== 'csrf'), ['csrf', other.csrf], ['actie', 'opslaan']]);
    assert.equal(post.res.status, 404);

    // Without a start column the profile cannot be saved: inline error and summary.
    const noStart = pairs.map(([k, v]) => [k, k === 'kolom_startdatum' ? '' : v]);
    let r = await postForm(srv.url, loc, mine.cookie, [...noStart, ['actie', 'opslaan']]);
    assert.equal(r.res.status, 422);
    assert.match(r.text, /href="#veld-kolom_startdatum"/);
    assert.match(r.text, /Kies de kolom met Startdatum/);

    // Saved as suggested.
    r = await postForm(srv.url, loc, mine.cookie, [...pairs, ['actie', 'opslaan']]);
    assert.equal(r.res.status, 303, r.text.slice(0, 2000));
    const m = r.res.headers.get('location').match(/^\/gegevens\/profielen\/(\d+)\?melding=aangemaakt$/);
    assert.ok(m, r.res.headers.get('location'));
    profileId = Number(m[1]);

    // The draft is gone once saved.
    ({ res } = await get(srv.url, loc, mine.cookie));
    assert.equal(res.status, 404);

    ({ res, text } = await get(srv.url, `/gegevens/profielen/${profileId}`, mine.cookie));
    assert.equal(res.status, 200);
    assert.ok(text.includes(NAME));
    assert.match(text, /Reden beëindiging/);
    assert.match(text, /Afgerond volgens plan/);
    assert.match(text, /Woongemeente/);

    ({ res, text } = await get(srv.url, '/gegevens/profielen', mine.cookie));
    assert.ok(text.includes(NAME));
    assert.ok(text.includes(`href="/gegevens/profielen/${profileId}"`));
});

test('a kwaliteit user of another aanbieder cannot see or change it; the beheerder can', async () => {
    assert.ok(profileId, 'the wizard test saved a profile');
    let { res, text } = await get(srv.url, '/gegevens/profielen', other.cookie);
    assert.equal(res.status, 200);
    assert.ok(!text.includes(NAME));
    ({ res } = await get(srv.url, `/gegevens/profielen/${profileId}`, other.cookie));
    assert.ok([403, 404].includes(res.status), `view: ${res.status}`);
    ({ res } = await get(srv.url, `/gegevens/profielen/${profileId}/bewerken`, other.cookie));
    assert.ok([403, 404].includes(res.status), `edit: ${res.status}`);
    const r = await postForm(srv.url, `/gegevens/profielen/${profileId}/archiveren`, other.cookie, { csrf: other.csrf });
    assert.ok([403, 404].includes(r.res.status), `archive: ${r.res.status}`);

    ({ res, text } = await get(srv.url, '/gegevens/profielen', admin.cookie));
    assert.equal(res.status, 200);
    assert.ok(text.includes(NAME));
    // A gemeente user does not work with profiles at all.
    const beleid = await session(srv.url, 'beleid.emmen');
    ({ res } = await get(srv.url, '/gegevens/profielen', beleid.cookie));
    assert.equal(res.status, 403);
});

test('edit with optimistic locking, archive and restore', async () => {
    assert.ok(profileId, 'the wizard test saved a profile');
    const editPath = `/gegevens/profielen/${profileId}/bewerken`;
    let { res, text } = await get(srv.url, editPath, mine.cookie);
    assert.equal(res.status, 200);
    const { pairs } = formPairs(text, editPath);
    const byName = new Map(pairs);
    assert.equal(byName.get('kolom_bsn'), 'BSN');
    assert.equal(byName.get('van_reden_0'), 'Afgerond volgens plan');
    assert.equal(byName.get('naar_reden_0'), '01');
    const version = Number(byName.get('versie'));

    // A new translation in an empty row, and a new name.
    const blank = pairs.find(([k, v]) => /^van_reden_\d+$/.test(k) && v === '')[0];
    const idx = blank.split('_').pop();
    const edited = pairs.map(([k, v]) => {
        if (k === 'naam') return [k, `${NAME} (2)`];
        if (k === blank) return [k, 'Verhuisd'];
        if (k === `naar_reden_${idx}`) return [k, '05'];
        return [k, v];
    });
    let r = await postForm(srv.url, editPath, mine.cookie, edited);
    assert.equal(r.res.status, 303, r.text.slice(0, 1500));
    ({ text } = await get(srv.url, `/gegevens/profielen/${profileId}`, mine.cookie));
    assert.ok(text.includes(`${NAME} (2)`));
    assert.match(text, /Verhuisd/);

    // The same form again carries the old version: a conflict, the user's input kept.
    r = await postForm(srv.url, editPath, mine.cookie, edited);
    assert.equal(r.res.status, 409);
    assert.match(r.text, /Iemand anders heeft dit profiel gewijzigd/);
    const again = formPairs(r.text, editPath);
    assert.equal(Number(new Map(again.pairs).get('versie')), version + 1);

    // An unknown code is refused by the domain, shown at the translations of that field.
    const bad = edited.map(([k, v]) => [k, k === `naar_reden_${idx}` ? '09' : k === 'versie' ? String(version + 1) : v]);
    r = await postForm(srv.url, editPath, mine.cookie, bad);
    assert.equal(r.res.status, 422);

    r = await postForm(srv.url, `/gegevens/profielen/${profileId}/archiveren`, mine.cookie, { csrf: mine.csrf });
    assert.equal(r.res.status, 303);
    ({ text } = await get(srv.url, '/gegevens/profielen', mine.cookie));
    assert.ok(!text.includes(`${NAME} (2)`));
    ({ text } = await get(srv.url, '/gegevens/profielen?archief=1', mine.cookie));
    assert.ok(text.includes(`${NAME} (2)`));
    r = await postForm(srv.url, `/gegevens/profielen/${profileId}/herstellen`, mine.cookie, { csrf: mine.csrf });
    assert.equal(r.res.status, 303);
    ({ text } = await get(srv.url, '/gegevens/profielen', mine.cookie));
    assert.ok(text.includes(`${NAME} (2)`));
});

test('uploads need the CSRF token; unreadable samples are refused', async () => {
    let up = await upload(mine, { wet: 'jeugdwet', naam: 'x' }, readFileSync(SAMPLE), 'a.csv', 'fout');
    await up.arrayBuffer();
    assert.equal(up.status, 403);
    up = await upload(mine, { wet: 'jeugdwet', naam: 'Plaatje' }, Buffer.from('\x89PNG\r\n\x1a\n'), 'plaatje.png');
    const page = await up.text();
    assert.equal(up.status, 422);
    assert.match(page, /CSV- of Excel-bestand/);
    up = await upload(mine, { wet: 'jeugdwet', naam: 'Kapot' }, Buffer.from('PK\x03\x04 geen zip'), 'kapot.xlsx');
    assert.equal(up.status, 422);
    await up.arrayBuffer();
});

test('nothing of the sample is stored or logged', async () => {
    // Upload temp files are removed when their request ends, which may be just after the
    // answer arrived: wait for them to go, then search every file of the data directory
    // (database, WAL, logs) for the sample's BSN, names and birth date.
    const deadline = Date.now() + 5000;
    const uploads = () => filesUnder(dataDir).filter((f) => path.basename(f).startsWith('upload-'));
    while (uploads().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(uploads(), [], 'upload temp files are removed');
    const needles = ['111222308', 'Jan de Vries', 'Piet Jansen', '12-05-2010'];
    for (const f of filesUnder(dataDir)) {
        let bytes;
        try {
            bytes = readFileSync(f);
        } catch {
            continue; /* removed while we looked */
        }
        for (const n of needles) {
            assert.ok(!bytes.includes(Buffer.from(n, 'latin1')) && !bytes.includes(Buffer.from(n, 'utf8')), `${n} found in ${f}`);
        }
    }
    for (const n of needles) assert.ok(!srv.logs().includes(n), `${n} found in the server log`);
});
