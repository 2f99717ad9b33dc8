// browser.mjs: headless Debian Chromium through playwright-core, axe-core checks, screenshots.
//
//   import { launchBrowser, checkA11y, assertNoA11yViolations, screenshot } from '../lib/browser.mjs';
//   const browser = await launchBrowser();
//   const page = await browser.newPage();
//   await page.goto(`${srv.url}/inloggen`);
//   await assertNoA11yViolations(page, 'login page');
//   await screenshot(page, 'login');
//   await browser.close();
import { chromium } from 'playwright-core';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { SOURCE_DIR } from './server.mjs';

export const CHROMIUM = process.env.DUIDING_CHROMIUM || '/usr/bin/chromium';

// The machine's network is closed: without the background-networking flags Chromium keeps
// trying to reach Google. Playwright gives every launch a fresh temporary profile
// (--user-data-dir), which is what we want.
export const CHROMIUM_ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];

/** Launches headless Chromium. Close it with browser.close(). */
export async function launchBrowser(options = {}) {
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        timeout: 60_000,
        ...options,
    });
}

/** New context with Dutch defaults (the product's default language). */
export async function newContext(browser, options = {}) {
    return browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 900 }, ...options });
}

/** Copies a cookie header string ("a=b; c=d") from tests/lib/server.mjs login() into a context. */
export async function addCookieHeader(context, url, cookieHeader) {
    const cookies = cookieHeader
        .split(';')
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => {
            const i = p.indexOf('=');
            return { name: p.slice(0, i), value: p.slice(i + 1), url };
        });
    await context.addCookies(cookies);
}

let axeSource;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core (node_modules/axe-core/axe.min.js) on the page for WCAG 2.1 A and AA.
 * The script is evaluated through the DevTools protocol, so the page's Content-Security-Policy
 * does not block it and no CSP bypass is needed. Resolves the violations:
 * [{id, impact, help, helpUrl, nodes: [{target, html, failureSummary}]}].
 * options: {include: css selector, disableRules: ['color-contrast', ...]}
 */
export async function checkA11y(page, { include, disableRules = [] } = {}) {
    if (!axeSource)
        axeSource = await readFile(path.join(SOURCE_DIR, 'node_modules/axe-core/axe.min.js'), 'utf8');
    const hasAxe = await page.evaluate(() => typeof window.axe === 'object');
    if (!hasAxe) await page.evaluate(axeSource);
    const rules = Object.fromEntries(disableRules.map((r) => [r, { enabled: false }]));
    return page.evaluate(
        async ({ tags, include, rules }) => {
            const result = await window.axe.run(include ? { include: [include] } : document, {
                runOnly: { type: 'tag', values: tags },
                rules,
                resultTypes: ['violations'],
            });
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target,
                    html: n.html,
                    failureSummary: n.failureSummary,
                })),
            }));
        },
        { tags: AXE_TAGS, include, rules }
    );
}

/** Readable text for a list of axe violations (one block per rule, one line per node). */
export function formatViolations(violations) {
    return violations
        .map((v) => {
            const nodes = v.nodes
                .map((n) => `    - ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}`)
                .join('\n');
            return `[${v.impact}] ${v.id}: ${v.help}\n  ${v.helpUrl}\n${nodes}`;
        })
        .join('\n');
}

/** Throws with a readable list when axe finds WCAG 2.1 A/AA violations. */
export async function assertNoA11yViolations(page, what = page.url(), options = {}) {
    const violations = await checkA11y(page, options);
    if (violations.length)
        throw new Error(
            `${violations.length} accessibility violation(s) on ${what}:\n${formatViolations(violations)}`
        );
}

/** Where screenshots go: $DUIDING_SCREENSHOT_DIR (ctest: build/<preset>/screenshots) or
 * tests/browser/screenshots (gitignored). */
export const SCREENSHOT_DIR =
    process.env.DUIDING_SCREENSHOT_DIR || path.join(SOURCE_DIR, 'tests', 'browser', 'screenshots');

/** Saves a full-page PNG as <SCREENSHOT_DIR>/<name>.png and resolves its path. */
export async function screenshot(page, name) {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
}

/**
 * Collects a page's problems as readable strings: console errors, uncaught exceptions, failed
 * requests and HTTP error responses (CSP violations show up as console errors). Chromium's own
 * /favicon.ico request is ignored. Use: const problems = watchPage(page); ... assert.deepEqual(problems, []).
 */
export function watchPage(page, { ignore = [/\/favicon\.ico$/] } = {}) {
    const problems = [];
    const ignored = (url) => ignore.some((re) => re.test(url));
    page.on('console', (msg) => {
        // "Failed to load resource" has no URL; the response handler reports it with one.
        if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
            problems.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('requestfailed', (req) => {
        // A navigation cancels the previous page's pending subresources (ERR_ABORTED): that is
        // the browser moving on, not a failed request.
        if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
        if (!ignored(req.url()))
            problems.push(`requestfailed: ${req.url()} ${req.failure()?.errorText ?? ''}`);
    });
    page.on('response', (res) => {
        if (res.status() >= 400 && !ignored(res.url()))
            problems.push(`http ${res.status()}: ${res.request().method()} ${res.url()}`);
    });
    return problems;
}
