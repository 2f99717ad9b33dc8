// lint.mjs: the openapi-lint suite. Starts a server, fetches /api/v1/openapi.json and lints it
// with Spectral against the Logius API Design Rules ruleset (NL API strategie), failing on any
// error. Also checks the live response carries the API-Version header that the rules require.
// Run: node tests/openapi/lint.mjs   (env from tests/suites.cmake; see tests/lib/server.mjs)
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, SOURCE_DIR, SHARED_DIR } from '../lib/server.mjs';

const RULESET =
    process.env.OPENAPI_RULESET || path.join(SHARED_DIR, 'external/api-design-rules/linter.yaml');
const SPECTRAL = path.join(SOURCE_DIR, 'node_modules/.bin/spectral');
const SPEC_PATH = '/api/v1/openapi.json';

function run(cmd, args) {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
        child.on('error', reject);
        child.on('close', (code) => resolve(code));
    });
}

async function main() {
    for (const [what, p] of [['ruleset', RULESET], ['spectral', SPECTRAL]])
        if (!existsSync(p)) throw new Error(`${what} not found at ${p}`);

    const srv = await startServer({ demo: false });
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'duiding-openapi-'));
    let failed = false;
    try {
        const res = await fetch(srv.url + SPEC_PATH);
        const text = await res.text();
        if (res.status !== 200) throw new Error(`GET ${SPEC_PATH} answered ${res.status}`);
        let doc;
        try {
            doc = JSON.parse(text);
        } catch (err) {
            throw new Error(`GET ${SPEC_PATH} is not JSON: ${err.message}`);
        }
        const ctype = res.headers.get('content-type') || '';
        if (!ctype.startsWith('application/json') && !ctype.startsWith('application/vnd.oai.openapi+json')) {
            console.error(`FAIL: ${SPEC_PATH} has Content-Type "${ctype}", expected application/json`);
            failed = true;
        }
        if (!res.headers.get('api-version')) {
            console.error(`FAIL: ${SPEC_PATH} response has no API-Version header (ADR /core/version-header)`);
            failed = true;
        }
        const file = path.join(tmp, 'openapi.json');
        await writeFile(file, JSON.stringify(doc, null, 2));
        console.log(`openapi-lint: ${SPEC_PATH} (OpenAPI ${doc.openapi}, ${Object.keys(doc.paths || {}).length} paths)`);
        console.log(`openapi-lint: spectral lint -r ${RULESET}`);
        const code = await run(SPECTRAL, ['lint', '-r', RULESET, '--fail-severity', 'error', file]);
        if (code !== 0) {
            console.error(`FAIL: Spectral reported errors (exit ${code})`);
            failed = true;
        }
    } finally {
        await rm(tmp, { recursive: true, force: true });
        await srv.stop();
    }
    if (failed) process.exit(1);
    console.log('openapi-lint: ok');
}

main().catch((err) => {
    console.error(`FAIL: ${err.stack || err}`);
    process.exit(1);
});
