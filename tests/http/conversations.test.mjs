// conversations.test.mjs: the quality conversation cycle (/gesprekken) over HTTP against a real
// demo server. beleid.emmen plans a conversation with the aanbieder of kwaliteit.aanbieder;
// refused plans (no title, a period that ends before it starts, a result of another gemeente, no
// other party) come back with a Dutch message at the field and the entered values; no CSRF
// token, nothing saved. Then the cycle: preparation notes (the aanbieder's unshared note stays
// with the aanbieder until shared), the data pack, phase notes with optimistic locking (a stale
// version gets 409 with both texts) and the drift hint (activity talk yes, outcome talk no),
// held, concluded, minutes approved per side (the PDF only when every side approved; a later
// edit withdraws the approvals), evaluated by both sides. Outsiders (another aanbieder's user,
// another gemeente, an uninvited raad member, the beheerder) get 404 on every page of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, runCli, formField, DEMO_PASSWORD } from '../lib/server.mjs';
import { session, get, postForm, demoDataDir, removeDir, cliOrgs, cliUsers } from './fixtures.mjs';

const OTHER = 'kwaliteit.anderaanbieder';
const TITLE = 'Kwaliteitsgesprek jeugd Emmen 2025 (HTTP-test)';

let dataDir;
let srv;
const who = {};
let conv = 0;
let aanbieder = 0;
let emmenResult = 0;
let hoogeveenResult = 0;
let kwUser = 0;
let beleidUser = 0;

async function api(p, login) {
    const res = await fetch(`${srv.url}/api/v1${p}`, {
        headers: { accept: 'application/json', cookie: who[login].cookie },
        redirect: 'manual',
    });
    const text = await res.text();
    assert.equal(res.status, 200, `GET /api/v1${p} as ${login}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
}

/** Like assert.match, but a failure shows only the text around the main content, not whole pages. */
function has(text, re, msg) {
    if (!re.test(text)) assert.fail(`${msg ? msg + ': ' : ''}expected ${re} in ${excerpt(text)}`);
}
function hasnt(text, re, msg) {
    const m = text.match(re);
    if (m) assert.fail(`${msg ? msg + ': ' : ''}unexpected ${re} at …${text.slice(Math.max(0, m.index - 200), m.index + 200)}…`);
}
function excerpt(text) {
    const i = text.indexOf('<main');
    const body = (i >= 0 ? text.slice(i) : text).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    return body.slice(0, 1500);
}

function post(login, p, fields) {
    return postForm(srv.url, p, who[login].cookie, { csrf: who[login].csrf, ...fields });
}

function page(login, p) {
    return get(srv.url, p, who[login].cookie);
}

/** The plan form's fields for a good conversation; override some to make it bad. */
function plan(fields = {}) {
    return {
        soort: 'achterkant',
        titel: TITLE,
        doel: 'Samen de uitval in het eerste half jaar duiden',
        periode_van: '1-1-2025',
        periode_tot: '31-12-2025',
        datum: '10-2-2026',
        plaats: 'Raadhuis Emmen',
        resultaat: String(emmenResult),
        partij: String(aanbieder),
        [`rol-${kwUser}`]: 'deelnemer',
        [`rol-${beleidUser}`]: 'gespreksleider',
        ...fields,
    };
}

/** The <form> whose action is exactly `action` (the HTML between its tags). */
function formWithAction(html, action) {
    const i = html.indexOf(`action="${action}"`);
    if (i < 0) return undefined;
    const start = html.lastIndexOf('<form', i);
    const end = html.indexOf('</form>', i);
    return html.slice(start, end);
}

/** The value of a <textarea name="..."> (entities decoded the way the pages encode them). */
function textarea(html, name) {
    const m = html.match(new RegExp(`<textarea[^>]*name="${name}"[^>]*>([\\s\\S]*?)</textarea>`));
    if (!m) return undefined;
    return m[1]
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
}

function pdftotext(buf) {
    return new Promise((resolve, reject) => {
        const child = execFile('pdftotext', ['-layout', '-', '-'], { maxBuffer: 32 << 20 }, (err, out) =>
            err ? reject(err) : resolve(out)
        );
        child.stdin.end(buf);
    });
}

async function getPdf(login, p) {
    const res = await fetch(`${srv.url}${p}`, { headers: { cookie: who[login].cookie }, redirect: 'manual' });
    return { res, body: Buffer.from(await res.arrayBuffer()) };
}

before(async () => {
    dataDir = await demoDataDir();
    const orgs = await cliOrgs(dataDir);
    const users = await cliUsers(dataDir);
    const kw = users.find((u) => u.login === 'kwaliteit.aanbieder');
    const own = orgs
        .filter((o) => o.kind === 'aanbieder' && kw.line.includes(o.name))
        .sort((a, b) => b.name.length - a.name.length)[0];
    const other = orgs.find((o) => o.kind === 'aanbieder' && o.id !== own?.id && !o.archived);
    assert.ok(own && other, 'the demo needs two aanbieders');
    // A quality officer of another aanbieder: not a party to the conversation.
    const r = await runCli(
        ['-d', dataDir, 'user', 'add', '--login', OTHER, '--org', String(other.id), '--roles', 'kwaliteit', '--password-stdin'],
        { input: `${DEMO_PASSWORD}\n` }
    );
    assert.equal(r.code, 0, `user add: ${r.stdout}${r.stderr}`);
    srv = await startServer({ dataDir });
    for (const login of ['beleid.emmen', 'kwaliteit.aanbieder', 'professional.aanbieder', OTHER, 'beleid.hoogeveen', 'raad.emmen', 'beheerder'])
        who[login] = await session(srv.url, login);
    const kwMe = await api('/ik', 'kwaliteit.aanbieder');
    aanbieder = kwMe.organisatie.id;
    assert.equal(aanbieder, own.id);
    kwUser = kwMe.id;
    const emMe = await api('/ik', 'beleid.emmen');
    beleidUser = emMe.id;
    const hvMe = await api('/ik', 'beleid.hoogeveen');
    const em = await api('/maatschappelijke-resultaten?paginaGrootte=1000', 'beleid.emmen');
    emmenResult = em.items.find((x) => x.eigenaarId === emMe.organisatie.id && !x.gearchiveerd)?.id;
    const hv = await api('/maatschappelijke-resultaten?paginaGrootte=1000', 'beleid.hoogeveen');
    hoogeveenResult = hv.items.find((x) => x.eigenaarId === hvMe.organisatie.id && !x.gearchiveerd)?.id;
    assert.ok(emmenResult && hoogeveenResult, 'Emmen and Hoogeveen each own a societal result');
});

after(async () => {
    await srv?.stop();
    await removeDir(dataDir);
});

test('the plan form is for the gemeente; it lists the results, the aanbieder and its people', async () => {
    const r = await page('beleid.emmen', '/gesprekken/nieuw');
    assert.equal(r.res.status, 200);
    has(r.text, new RegExp(`name="resultaat" value="${emmenResult}"`));
    hasnt(r.text, new RegExp(`name="resultaat" value="${hoogeveenResult}"`));
    has(r.text, new RegExp(`name="partij" value="${aanbieder}"`));
    has(r.text, new RegExp(`name="rol-${kwUser}"`));
    has(r.text, /werk in duo(&#39;|')s/);
    // An aanbieder does not plan.
    const kw = await page('kwaliteit.aanbieder', '/gesprekken/nieuw');
    assert.equal(kw.res.status, 403);
    const kwPost = await post('kwaliteit.aanbieder', '/gesprekken', plan());
    assert.equal(kwPost.res.status, 403);
});

test('a refused plan names the field in Dutch and keeps what was entered', async () => {
    const cases = [
        [{ titel: '   ' }, 'titel', /Vul een titel in/],
        [{ periode_van: '1-7-2025', periode_tot: '31-12-2024' }, 'periode_tot', /Het einde van de periode mag niet voor het begin liggen/],
        [{ periode_tot: '31-13-2025' }, 'periode_tot', /Vul het einde van de periode in/],
        [{ resultaat: String(hoogeveenResult) }, 'resultaat', /Kies resultaten van de eigen gemeente of regio/],
        [{ resultaat: undefined }, 'resultaat', /Kies minstens één maatschappelijk resultaat/],
        [{ partij: undefined }, 'partij', /Kies minstens één aanbieder of andere partij/],
        [{ partij: '999999' }, 'partij', /Een gekozen partij bestaat niet of doet niet mee/],
    ];
    for (const [override, field, message] of cases) {
        const fields = plan(override);
        for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
        const label = JSON.stringify(override);
        const r = await post('beleid.emmen', '/gesprekken', fields);
        assert.equal(r.res.status, 422, `${label}: ${r.res.status}`);
        has(r.text, message, label);
        // The summary links to the field; text fields carry the message beside them.
        has(r.text, new RegExp(`href="#veld-${field}"`), label);
        if (!['resultaat', 'partij'].includes(field))
            has(r.text, new RegExp(`id="fout-${field}"`), label);
        // What was entered comes back.
        if (field !== 'titel') assert.equal(formField(r.text, 'titel'), TITLE, label);
        assert.equal(textarea(r.text, 'doel'), 'Samen de uitval in het eerste half jaar duiden', label);
        assert.equal(formField(r.text, 'periode_van'), fields.periode_van, label);
        assert.equal(formField(r.text, 'periode_tot'), fields.periode_tot, label);
        assert.equal(formField(r.text, 'plaats'), 'Raadhuis Emmen', label);
        if (fields.partij === String(aanbieder))
            has(r.text, new RegExp(`name="partij" value="${aanbieder}" id="[^"]*" checked`), label);
        if (fields.resultaat === String(emmenResult))
            has(r.text, new RegExp(`name="resultaat" value="${emmenResult}" id="[^"]*" checked`), label);
        has(
            r.text,
            new RegExp(`name="rol-${kwUser}"[\\s\\S]*?<option value="deelnemer" selected`),
            `${label}: the invited role is kept`
        );
    }
    // Without the CSRF token nothing is planned.
    const f = plan({ titel: 'Zonder token' });
    const r = await postForm(srv.url, '/gesprekken', who['beleid.emmen'].cookie, f);
    assert.equal(r.res.status, 403);
    const list = await page('beleid.emmen', '/gesprekken');
    hasnt(list.text, /Zonder token/);
});

test('planning: the conversation is visible to both sides with its participants', async () => {
    const r = await post('beleid.emmen', '/gesprekken', plan());
    assert.equal(r.res.status, 303, r.text.slice(0, 800));
    const m = r.res.headers.get('location').match(/^\/gesprekken\/(\d+)\?melding=gepland$/);
    assert.ok(m, r.res.headers.get('location'));
    conv = Number(m[1]);
    for (const login of ['beleid.emmen', 'kwaliteit.aanbieder']) {
        const v = await page(login, `/gesprekken/${conv}`);
        assert.equal(v.res.status, 200, login);
        assert.ok(v.text.includes(TITLE), login);
        has(v.text, /Gespreksleider/);
        has(v.text, /Deelnemer/);
        has(v.text, /aria-current="step"/);
        const list = await page(login, '/gesprekken');
        has(list.text, new RegExp(`href="/gesprekken/${conv}"`), login);
    }
    // Each side has one person: the duo hint shows.
    const v = await page('beleid.emmen', `/gesprekken/${conv}`);
    has(v.text, /Een duo per kant helpt/);
});

test('preparation notes: the own side only, until shared', async () => {
    const secret = 'Eigen voorbereiding aanbieder: wachtlijst in Emmen-Noord loopt op.';
    let r = await post('kwaliteit.aanbieder', `/gesprekken/${conv}/notities`, { notitie: secret });
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    assert.equal(r.res.headers.get('location'), `/gesprekken/${conv}/voorbereiden?melding=notitie`);
    // An empty note is refused with the reason.
    r = await post('kwaliteit.aanbieder', `/gesprekken/${conv}/notities`, { notitie: '  ' });
    assert.equal(r.res.status, 422);
    has(r.text, /Vul de notitie in/);
    const gemeenteNote = 'Voorbereiding gemeente: vragen over de terugval na afsluiting.';
    r = await post('beleid.emmen', `/gesprekken/${conv}/notities`, { notitie: gemeenteNote });
    assert.equal(r.res.status, 303);

    const own = await page('kwaliteit.aanbieder', `/gesprekken/${conv}/voorbereiden`);
    assert.equal(own.res.status, 200);
    assert.ok(own.text.includes(secret), 'the aanbieder sees its own note');
    assert.ok(!own.text.includes(gemeenteNote), 'the gemeente note is not shared yet');
    // A colleague of the same aanbieder (another role) sees it: the side is the organisation.
    const colleague = await page('professional.aanbieder', `/gesprekken/${conv}/voorbereiden`);
    assert.equal(colleague.res.status, 200);
    assert.ok(colleague.text.includes(secret), 'same organisation, same side');
    assert.ok(!colleague.text.includes(gemeenteNote));
    let other = await page('beleid.emmen', `/gesprekken/${conv}/voorbereiden`);
    assert.ok(!other.text.includes(secret), 'the unshared note stays with the aanbieder');
    assert.ok(other.text.includes(gemeenteNote));

    // Share it: the form of that note carries its id and version.
    const m = own.text.match(new RegExp(`action="/gesprekken/${conv}/notities/(\\d+)"`));
    assert.ok(m, 'the own note has an edit form');
    const nid = m[1];
    const form = formWithAction(own.text, `/gesprekken/${conv}/notities/${nid}`);
    const version = formField(form, 'versie');
    assert.ok(version, 'note version');
    // Stale version: refused, nothing shared.
    r = await post('kwaliteit.aanbieder', `/gesprekken/${conv}/notities/${nid}`, {
        [`notitie-${nid}`]: secret,
        [`delen-${nid}`]: '1',
        versie: String(Number(version) + 5),
    });
    assert.equal(r.res.status, 409);
    other = await page('beleid.emmen', `/gesprekken/${conv}/voorbereiden`);
    assert.ok(!other.text.includes(secret));
    // The gemeente cannot change or share the aanbieder's note either.
    r = await post('beleid.emmen', `/gesprekken/${conv}/notities/${nid}`, {
        [`notitie-${nid}`]: 'overschreven',
        [`delen-${nid}`]: '1',
        versie: version,
    });
    assert.ok([403, 404].includes(r.res.status), `gemeente edits the aanbieder's note: ${r.res.status}`);
    r = await post('kwaliteit.aanbieder', `/gesprekken/${conv}/notities/${nid}`, {
        [`notitie-${nid}`]: secret,
        [`delen-${nid}`]: '1',
        versie: version,
    });
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    other = await page('beleid.emmen', `/gesprekken/${conv}/voorbereiden`);
    assert.ok(other.text.includes(secret), 'shared: the gemeente sees it now');
    // Outsiders never see it.
    for (const login of [OTHER, 'raad.emmen']) {
        const o = await page(login, `/gesprekken/${conv}/voorbereiden`);
        assert.equal(o.res.status, 404, login);
        assert.ok(!o.text.includes(secret));
    }
});

// A stale edit of a preparation note comes back in that note's own form with the text that was
// sent, beside the version saved in between.
test('a stale edit of a preparation note keeps the edited text', async () => {
    const own = await page('beleid.emmen', `/gesprekken/${conv}/voorbereiden`);
    const m = own.text.match(new RegExp(`action="/gesprekken/${conv}/notities/(\\d+)"`));
    assert.ok(m, 'the gemeente has a note');
    const nid = m[1];
    const version = formField(formWithAction(own.text, `/gesprekken/${conv}/notities/${nid}`), 'versie');
    const edited = 'Bijgewerkte voorbereiding gemeente: ook de wachttijd bespreken.';
    const r = await post('beleid.emmen', `/gesprekken/${conv}/notities/${nid}`, {
        [`notitie-${nid}`]: edited,
        versie: String(Number(version) + 1),
    });
    assert.equal(r.res.status, 409);
    assert.equal(textarea(r.text, `notitie-${nid}`), edited, 'the edited text comes back in its own form');
    hasnt(r.text, /id="fout-notitie"/, 'the conflict is not shown at the new-note form');
});

test('the data pack is made by a member and frozen', async () => {
    let r = await page('beleid.emmen', `/gesprekken/${conv}/datapakket`);
    assert.equal(r.res.status, 200);
    has(r.text, /nog geen datapakket/);
    r = await post('beleid.emmen', `/gesprekken/${conv}/datapakket`, {});
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    for (const login of ['beleid.emmen', 'kwaliteit.aanbieder']) {
        const p = await page(login, `/gesprekken/${conv}/datapakket`);
        assert.equal(p.res.status, 200, login);
        has(p.text, /Momentopname (van|gemaakt op) \d{2}-\d{2}-\d{4}[^<\n]*; latere correcties staan hier niet in/);
        has(p.text, /[0-9a-f]{64}/);
    }
    const v = await page('beleid.emmen', `/gesprekken/${conv}`);
    has(v.text, /Voorbereid/);
    const pdf = await getPdf('kwaliteit.aanbieder', `/gesprekken/${conv}/datapakket.pdf`);
    assert.equal(pdf.res.status, 200);
    assert.equal(pdf.res.headers.get('content-type'), 'application/pdf');
    assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
});

const OUTCOME = 'We herkennen de cijfers: de uitval is gedaald en ouders zeggen dat ze tevreden zijn.';
const ACTIVITY =
    'We hebben 12 bijeenkomsten georganiseerd en trainingen gegeven aan de wijkteams. ' +
    'Er waren 40 deelnemers en we hebben 30 uur ingezet voor huisbezoeken.';

test('phase notes: saved per phase, stale versions refused with both texts, the drift hint', async () => {
    const hold = await page('beleid.emmen', `/gesprekken/${conv}/houden`);
    assert.equal(hold.res.status, 200);
    for (const phase of ['herkennen', 'begrijpen', 'waarderen', 'verbeteren'])
        assert.ok(formWithAction(hold.text, `/gesprekken/${conv}/fasen/${phase}`), phase);
    has(hold.text, /Herkennen we de cijfers, verhalen en resultaten in de praktijk\?/);
    has(hold.text, /class="utrecht-paragraph duiding-timer" data-minuten="\d+"/);
    const herkennen = formWithAction(hold.text, `/gesprekken/${conv}/fasen/herkennen`);
    const v0 = formField(herkennen, 'versie');

    // Outcome talk: saved, no hint (a redirect back to the phase).
    let r = await post('beleid.emmen', `/gesprekken/${conv}/fasen/herkennen`, {
        'aantekeningen-herkennen': OUTCOME,
        'minuten-herkennen': '20',
        versie: v0,
    });
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    has(r.res.headers.get('location'), /#herkennen$/);
    let after = await page('kwaliteit.aanbieder', `/gesprekken/${conv}/houden`);
    assert.ok(after.text.includes('de uitval is gedaald en ouders zeggen'), 'the other side sees the phase note');
    hasnt(after.text, /vooral over activiteiten/);
    has(after.text, /data-minuten="20"/);

    // The aanbieder's note-taker still has the old version: 409, its text kept, the saved one shown.
    const mine = 'Aanbieder: herkennen wij ook, vooral bij de jongste kinderen.';
    r = await post('kwaliteit.aanbieder', `/gesprekken/${conv}/fasen/herkennen`, {
        'aantekeningen-herkennen': mine,
        'minuten-herkennen': '20',
        versie: v0,
    });
    assert.equal(r.res.status, 409);
    has(r.text, /Iemand anders heeft de aantekeningen van deze fase intussen opgeslagen/);
    assert.equal(textarea(r.text, 'aantekeningen-herkennen'), mine, 'the refused text is still in the form');
    assert.ok(r.text.includes('de uitval is gedaald en ouders zeggen'), 'the saved text is shown beside it');
    has(r.text, /De versie die intussen is opgeslagen/);
    after = await page('beleid.emmen', `/gesprekken/${conv}/houden`);
    assert.equal(textarea(after.text, 'aantekeningen-herkennen'), OUTCOME, 'nothing overwritten');

    // Activity talk: saved, and the gentle hint on the page.
    const begrijpen = formWithAction(after.text, `/gesprekken/${conv}/fasen/begrijpen`);
    r = await post('kwaliteit.aanbieder', `/gesprekken/${conv}/fasen/begrijpen`, {
        'aantekeningen-begrijpen': ACTIVITY,
        'minuten-begrijpen': '25',
        versie: formField(begrijpen, 'versie'),
    });
    // Post/redirect/get: the page after saving shows the hint from the saved notes (and keeps
    // showing it until the notes are about outcomes).
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    const saved = await page('kwaliteit.aanbieder', `/gesprekken/${conv}/houden`);
    has(saved.text, /Deze aantekeningen gaan vooral over activiteiten en inzet/);
    assert.equal(textarea(saved.text, 'aantekeningen-begrijpen'), ACTIVITY);
    // Bad minutes: refused, text kept.
    const cur = await page('beleid.emmen', `/gesprekken/${conv}/houden`);
    const waarderen = formWithAction(cur.text, `/gesprekken/${conv}/fasen/waarderen`);
    r = await post('beleid.emmen', `/gesprekken/${conv}/fasen/waarderen`, {
        'aantekeningen-waarderen': 'Trots op de lagere uitval.',
        'minuten-waarderen': '999',
        versie: formField(waarderen, 'versie'),
    });
    assert.equal(r.res.status, 422);
    has(r.text, /Vul de geplande minuten in als een getal van 0 tot 240/);
    assert.equal(textarea(r.text, 'aantekeningen-waarderen'), 'Trots op de lagere uitval.');
    r = await post('beleid.emmen', `/gesprekken/${conv}/fasen/waarderen`, {
        'aantekeningen-waarderen': 'Trots op de lagere uitval; nog niet tevreden over de wachttijd.',
        'minuten-waarderen': '15',
        versie: formField(waarderen, 'versie'),
    });
    assert.equal(r.res.status, 303);
    const verbeteren = formWithAction(cur.text, `/gesprekken/${conv}/fasen/verbeteren`);
    r = await post('beleid.emmen', `/gesprekken/${conv}/fasen/verbeteren`, {
        'aantekeningen-verbeteren': 'Afspraak: de wachttijd halveren; de aanbieder meet het effect per kwartaal.',
        'minuten-verbeteren': '',
        versie: formField(verbeteren, 'versie'),
    });
    assert.equal(r.res.status, 303);
    // An unknown phase is not found.
    r = await post('beleid.emmen', `/gesprekken/${conv}/fasen/dromen`, { 'aantekeningen-dromen': 'x', versie: '1' });
    assert.equal(r.res.status, 404);
});

test('concluding needs a held conversation and a summary', async () => {
    let r = await page('beleid.emmen', `/gesprekken/${conv}/afronden`);
    has(r.text, /Rond het gesprek af nadat het gehouden is/);
    const hold = await page('beleid.emmen', `/gesprekken/${conv}/houden`);
    const held = formWithAction(hold.text, `/gesprekken/${conv}/gehouden`);
    assert.ok(held, 'the "held" form is on the run-sheet');
    r = await post('beleid.emmen', `/gesprekken/${conv}/gehouden`, { versie: formField(held, 'versie') });
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    assert.equal(r.res.headers.get('location'), `/gesprekken/${conv}/afronden?melding=gehouden`);
    // No more pack once held.
    r = await post('beleid.emmen', `/gesprekken/${conv}/datapakket`, {});
    assert.equal(r.res.status, 409);

    let form = await page('beleid.emmen', `/gesprekken/${conv}/afronden`);
    let f = formWithAction(form.text, `/gesprekken/${conv}/afronden`);
    r = await post('beleid.emmen', `/gesprekken/${conv}/afronden`, {
        samenvatting: ' ',
        conclusies: 'Wachttijd is het punt.',
        versie: formField(f, 'versie'),
    });
    assert.equal(r.res.status, 422);
    has(r.text, /Vul een samenvatting in/);
    has(r.text, /id="fout-samenvatting"/);
    assert.equal(textarea(r.text, 'conclusies'), 'Wachttijd is het punt.');
    r = await post('beleid.emmen', `/gesprekken/${conv}/afronden`, {
        samenvatting: 'We zagen minder uitval dan vorig jaar; de wachttijd blijft lang.',
        conclusies: 'Wachttijd is het punt.',
        versie: formField(f, 'versie'),
    });
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    form = await page('kwaliteit.aanbieder', `/gesprekken/${conv}/afronden`);
    has(form.text, /We zagen minder uitval dan vorig jaar/);
    has(form.text, new RegExp(`href="/gesprekken/${conv}/acties/nieuw"`));
    // The form again with the old version: 409, the text kept.
    f = formWithAction(form.text, `/gesprekken/${conv}/afronden`);
    r = await post('kwaliteit.aanbieder', `/gesprekken/${conv}/afronden`, {
        samenvatting: 'Andere samenvatting',
        conclusies: '',
        versie: String(Number(formField(f, 'versie')) - 1),
    });
    assert.equal(r.res.status, 409);
    assert.equal(textarea(r.text, 'samenvatting'), 'Andere samenvatting');
    const v = await page('beleid.emmen', `/gesprekken/${conv}`);
    has(v.text, /Afgerond/);
});

async function approve(login) {
    const r = await post(login, `/gesprekken/${conv}/goedkeuren`, {});
    assert.equal(r.res.status, 303, `${login}: ${r.text.slice(0, 300)}`);
    assert.equal(r.res.headers.get('location'), `/gesprekken/${conv}/verslag?melding=goedgekeurd`);
}

test('minutes: the PDF only after both sides approved; an edit withdraws the approvals', async () => {
    let m = await page('beleid.emmen', `/gesprekken/${conv}/verslag`);
    assert.equal(m.res.status, 200);
    has(m.text, /Concept: nog niet alle partijen/);
    assert.ok(m.text.includes('de uitval is gedaald en ouders zeggen'));
    hasnt(m.text, /verslag\.pdf/);
    let pdf = await getPdf('beleid.emmen', `/gesprekken/${conv}/verslag.pdf`);
    assert.equal(pdf.res.status, 409);

    await approve('beleid.emmen');
    pdf = await getPdf('kwaliteit.aanbieder', `/gesprekken/${conv}/verslag.pdf`);
    assert.equal(pdf.res.status, 409, 'one side is not enough');
    m = await page('kwaliteit.aanbieder', `/gesprekken/${conv}/verslag`);
    has(m.text, /Verslag goedkeuren namens mijn organisatie/);
    // Outsiders cannot approve for anyone.
    for (const login of ['raad.emmen', OTHER, 'beheerder']) {
        const r = await post(login, `/gesprekken/${conv}/goedkeuren`, {});
        assert.equal(r.res.status, 404, login);
    }
    await approve('kwaliteit.aanbieder');
    m = await page('beleid.emmen', `/gesprekken/${conv}/verslag`);
    has(m.text, /Alle partijen hebben dit verslag goedgekeurd/);
    has(m.text, new RegExp(`href="/gesprekken/${conv}/verslag.pdf"`));
    pdf = await getPdf('beleid.emmen', `/gesprekken/${conv}/verslag.pdf`);
    assert.equal(pdf.res.status, 200);
    assert.equal(pdf.res.headers.get('content-type'), 'application/pdf');
    assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
    const text = (await pdftotext(pdf.body)).replace(/\s+/g, ' ');
    assert.ok(text.includes('Kwaliteitsgesprek jeugd Emmen 2025'), text.slice(0, 400));
    assert.ok(text.includes('We zagen minder uitval dan vorig jaar'), 'summary in the PDF');
    has(text, /pagina 1 van \d+/);

    // Saving a phase afterwards withdraws both approvals.
    const hold = await page('kwaliteit.aanbieder', `/gesprekken/${conv}/houden`);
    const f = formWithAction(hold.text, `/gesprekken/${conv}/fasen/verbeteren`);
    let r = await post('kwaliteit.aanbieder', `/gesprekken/${conv}/fasen/verbeteren`, {
        'aantekeningen-verbeteren': `${textarea(f, 'aantekeningen-verbeteren')}\nAanvulling: ook de uitstroom volgen.`,
        'minuten-verbeteren': '10',
        versie: formField(f, 'versie'),
    });
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    pdf = await getPdf('beleid.emmen', `/gesprekken/${conv}/verslag.pdf`);
    assert.equal(pdf.res.status, 409, 'approvals withdrawn after a phase edit');
    const v = await page('beleid.emmen', `/gesprekken/${conv}`);
    assert.equal((v.text.match(/Nog niet/g) || []).length, 2, 'both parties: not approved');

    // Approve again; then changing the conclusions withdraws them too.
    await approve('beleid.emmen');
    await approve('kwaliteit.aanbieder');
    pdf = await getPdf('beleid.emmen', `/gesprekken/${conv}/verslag.pdf`);
    assert.equal(pdf.res.status, 200);
    const form = await page('beleid.emmen', `/gesprekken/${conv}/afronden`);
    const cf = formWithAction(form.text, `/gesprekken/${conv}/afronden`);
    r = await post('beleid.emmen', `/gesprekken/${conv}/afronden`, {
        samenvatting: textarea(cf, 'samenvatting'),
        conclusies: 'Wachttijd is het punt. De uitstroom volgen we ook.',
        versie: formField(cf, 'versie'),
    });
    assert.equal(r.res.status, 303);
    pdf = await getPdf('kwaliteit.aanbieder', `/gesprekken/${conv}/verslag.pdf`);
    assert.equal(pdf.res.status, 409, 'approvals withdrawn after new conclusions');
    // Withdrawing one's own approval works too.
    await approve('beleid.emmen');
    r = await post('beleid.emmen', `/gesprekken/${conv}/goedkeuring-intrekken`, {});
    assert.equal(r.res.status, 303);
    m = await page('beleid.emmen', `/gesprekken/${conv}/verslag`);
    has(m.text, /Verslag goedkeuren namens mijn organisatie/);
    await approve('beleid.emmen');
    await approve('kwaliteit.aanbieder');
});

test('evaluation by both sides; averages only from three', async () => {
    let r = await post('beleid.emmen', `/gesprekken/${conv}/evaluatie`, {
        cijfer: '',
        doel_bereikt: 'ja',
        goed: 'Open sfeer',
        tips: '',
    });
    assert.equal(r.res.status, 422);
    has(r.text, /Kies een cijfer van 1 tot 5/);
    has(r.text, /href="#veld-cijfer"/);
    assert.equal(textarea(r.text, 'goed'), 'Open sfeer');
    r = await post('beleid.emmen', `/gesprekken/${conv}/evaluatie`, {
        cijfer: '4',
        doel_bereikt: 'ja',
        goed: 'Open sfeer',
        tips: 'Eerder het datapakket delen',
    });
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    r = await post('kwaliteit.aanbieder', `/gesprekken/${conv}/evaluatie`, {
        cijfer: '5',
        doel_bereikt: 'deels',
        goed: 'Cijfers en verhalen samen',
        tips: 'Meer tijd voor verbeteren',
    });
    assert.equal(r.res.status, 303, r.text.slice(0, 500));
    const e = await page('kwaliteit.aanbieder', `/gesprekken/${conv}/evaluatie`);
    assert.equal(e.res.status, 200);
    has(e.text, /2 evaluaties\. Gemiddelden verschijnen vanaf 3 evaluaties/);
    has(e.text, /<option value="5" selected/);
    has(e.text, /Evaluatie bijwerken/);
    // Tips of fewer than three people are not shown (nobody is recognisable).
    assert.ok(!e.text.includes('Eerder het datapakket delen'));
    // The raad member cannot evaluate.
    r = await post('raad.emmen', `/gesprekken/${conv}/evaluatie`, { cijfer: '1', doel_bereikt: 'nee' });
    assert.equal(r.res.status, 404);
});

test('posting without the CSRF token changes nothing', async () => {
    const cookie = who['beleid.emmen'].cookie;
    for (const [p, fields] of [
        [`/gesprekken/${conv}/notities`, { notitie: 'zonder token' }],
        [`/gesprekken/${conv}/fasen/herkennen`, { 'aantekeningen-herkennen': 'zonder token', versie: '1' }],
        [`/gesprekken/${conv}/afronden`, { samenvatting: 'zonder token', versie: '1' }],
        [`/gesprekken/${conv}/goedkeuring-intrekken`, {}],
        [`/gesprekken/${conv}/evaluatie`, { cijfer: '1', doel_bereikt: 'nee' }],
        [`/gesprekken/${conv}/annuleren`, { versie: '1' }],
    ]) {
        const r = await postForm(srv.url, p, cookie, fields);
        assert.equal(r.res.status, 403, p);
    }
    const m = await page('beleid.emmen', `/gesprekken/${conv}/verslag`);
    hasnt(m.text, /zonder token/);
    has(m.text, /Alle partijen hebben dit verslag goedgekeurd/);
});

test('outsiders get 404 on every page of the conversation', async () => {
    const pages = [
        '',
        '/bewerken',
        '/voorbereiden',
        '/houden',
        '/afronden',
        '/verslag',
        '/verslag.pdf',
        '/evaluatie',
        '/datapakket',
        '/datapakket.pdf',
        '/acties/nieuw',
    ];
    for (const login of [OTHER, 'beleid.hoogeveen', 'raad.emmen', 'beheerder']) {
        for (const p of pages) {
            const r = await page(login, `/gesprekken/${conv}${p}`);
            assert.equal(r.res.status, 404, `${login} GET ${p || '/'}: ${r.res.status}`);
            assert.ok(!r.text.includes('Kwaliteitsgesprek jeugd Emmen 2025'), `${login} ${p}: title leaked`);
        }
        for (const [p, fields] of [
            ['/notities', { notitie: 'van buiten' }],
            ['/fasen/herkennen', { 'aantekeningen-herkennen': 'van buiten', versie: '1' }],
            ['/afronden', { samenvatting: 'van buiten', versie: '1' }],
            ['/evaluatie', { cijfer: '3', doel_bereikt: 'ja' }],
            ['/datapakket', {}],
            ['', { titel: 'van buiten', versie: '1' }],
        ]) {
            const r = await post(login, `/gesprekken/${conv}${p}`, fields);
            assert.equal(r.res.status, 404, `${login} POST ${p || '/'}: ${r.res.status}`);
        }
        const list = await page(login, '/gesprekken');
        assert.equal(list.res.status, 200, login);
        hasnt(list.text, new RegExp(`href="/gesprekken/${conv}"`), login);
    }
    const m = await page('beleid.emmen', `/gesprekken/${conv}/verslag`);
    hasnt(m.text, /van buiten/);
});
