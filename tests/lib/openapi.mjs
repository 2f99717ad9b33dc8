// openapi.mjs: checks API answers against data/openapi.json (the subset of OpenAPI 3.0 schemas
// the document uses: $ref, allOf, type, nullable, enum, pattern, date-time, min/max, items,
// required, additionalProperties false).
//
//   import { checkAnswer } from '../lib/openapi.mjs';
//   checkAnswer('POST', '/aanleveringen', res.status, json);  // throws on a mismatch
import { readFileSync } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { SOURCE_DIR } from './server.mjs';

export const SPEC = JSON.parse(readFileSync(path.join(SOURCE_DIR, 'data/openapi.json'), 'utf8'));

export function resolve(node) {
    while (node && node.$ref) {
        const parts = node.$ref.replace(/^#\//, '').split('/');
        node = parts.reduce((o, k) => o?.[k], SPEC);
        if (!node) throw new Error('unresolved $ref');
    }
    return node;
}

/** Returns a list of "path: problem" strings; empty when value matches schema. */
export function validate(schemaRef, value, where = '$') {
    const s = resolve(schemaRef);
    const errors = [];
    if (s.allOf) {
        for (const part of s.allOf) errors.push(...validate(part, value, where));
        return errors;
    }
    if (value === null) {
        if (!s.nullable) errors.push(`${where}: null but not nullable`);
        return errors;
    }
    const actual = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
    if (s.type && !(s.type === actual || (s.type === 'number' && actual === 'integer'))) {
        errors.push(`${where}: expected ${s.type}, got ${actual}`);
        return errors;
    }
    if (s.enum && !s.enum.includes(value)) errors.push(`${where}: ${JSON.stringify(value)} not in enum`);
    if (typeof value === 'string') {
        if (s.pattern && !new RegExp(s.pattern).test(value)) errors.push(`${where}: "${value}" !~ ${s.pattern}`);
        if (s.format === 'date-time' && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value))
            errors.push(`${where}: "${value}" is not an RFC 3339 date-time`);
    }
    if (typeof value === 'number') {
        if (s.minimum !== undefined && value < s.minimum) errors.push(`${where}: ${value} < ${s.minimum}`);
        if (s.maximum !== undefined && value > s.maximum) errors.push(`${where}: ${value} > ${s.maximum}`);
    }
    if (Array.isArray(value) && s.items) value.forEach((v, i) => errors.push(...validate(s.items, v, `${where}[${i}]`)));
    if (actual === 'object') {
        for (const r of s.required || []) if (!(r in value)) errors.push(`${where}: missing ${r}`);
        for (const [k, v] of Object.entries(value)) {
            if (s.properties?.[k]) errors.push(...validate(s.properties[k], v, `${where}.${k}`));
            else if (s.additionalProperties === false) errors.push(`${where}: unexpected ${k}`);
        }
    }
    return errors;
}

/** The documented operation for a method and a path relative to /api/v1, or null. */
export function operationFor(method, p) {
    const rel = p.replace(/\?.*$/, '');
    for (const [tmpl, item] of Object.entries(SPEC.paths)) {
        const re = new RegExp('^' + tmpl.replace(/\{[^}]+\}/g, '[^/]+') + '$');
        if (re.test(rel) && item[method.toLowerCase()]) return { tmpl, op: item[method.toLowerCase()] };
    }
    return null;
}

/**
 * Asserts that status is documented for the operation and that json matches its schema.
 * p is relative to /api/v1 ("/aanleveringen/3").
 */
export function checkAnswer(method, p, status, json) {
    const found = operationFor(method, p);
    assert.ok(found, `${method} ${p} is not documented in openapi.json`);
    const declared = found.op.responses[String(status)];
    assert.ok(declared, `status ${status} not documented for ${method} ${found.tmpl}`);
    const resp = resolve(declared);
    const media = resp.content && Object.values(resp.content)[0];
    if (media?.schema && json !== undefined)
        assert.deepEqual(validate(media.schema, json), [], `${method} ${p} ${status} does not match its schema: ${JSON.stringify(json).slice(0, 400)}`);
}
