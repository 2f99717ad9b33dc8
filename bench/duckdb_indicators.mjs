// duckdb_indicators.mjs: the reference figure for bench/indicators. Loads the tables that
// bench/indicators exported from the duiding store (sqlite3 -csv) into an in-memory DuckDB,
// then computes the whole standard indicator set for every gemeente x quarter plus the totals
// per quarter, with the SQL of the correctness oracle (tests/oracle/indicators.sql) adapted
// to DuckDB, and prints one JSON line:
//   {"load_seconds": L, "seconds": S, "cells": N, "threads": T}
// BENCH_DUCK_DUMP=FILE also writes the cells as lines like the oracle's, to check the SQL.
//
//   node bench/duckdb_indicators.mjs CSV_DIR FIRST_QUARTER LAST_QUARTER
//
// The rules are those of docs/indicators.md ("Rekenregels") with the default settings. The
// timed part starts from the loaded raw tables, as the engine's starts from its built columns.
import { DuckDBInstance } from '@duckdb/node-api';

const [dir, first, last] = process.argv.slice(2);
const quarter = (s) => {
    const m = /^(\d{4})-Q([1-4])$/.exec(s ?? '');
    if (!m) {
        console.error('usage: node bench/duckdb_indicators.mjs CSV_DIR 2016-Q1 2025-Q4');
        process.exit(2);
    }
    return Number(m[1]) * 4 + Number(m[2]) - 1;
};
const q0 = quarter(first), q1 = quarter(last);
const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;
const csv = (name, columns) =>
    `CREATE TABLE ${name} AS SELECT * FROM read_csv(${sqlString(`${dir}/${name}.csv`)}, ` +
    `header = true, columns = {${Object.entries(columns).map(([k, v]) => `'${k}': '${v}'`).join(', ')}})`;

const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const threads = Number((await con.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]);

let t0 = process.hrtime.bigint();
await con.run(csv('trajectory', {
    id: 'BIGINT', person_id: 'BIGINT', aanbieder_id: 'BIGINT', law: 'INTEGER', gemeente: 'VARCHAR',
    start_date: 'INTEGER', end_date: 'INTEGER', cbs_reason: 'VARCHAR', age_band: 'VARCHAR',
    date_assigned: 'INTEGER', flags: 'INTEGER',
}));
await con.run(csv('measurement', {
    trajectory_id: 'BIGINT', informant: 'VARCHAR', satisfaction: 'INTEGER', zonder_hulp: 'VARCHAR',
    goal_realisation: 'INTEGER',
}));
await con.run(csv('population', {
    gemeente: 'VARCHAR', year: 'INTEGER', age_band: 'VARCHAR', inhabitants: 'BIGINT', batch_id: 'BIGINT',
}));
await con.run(csv('import_batch', { id: 'BIGINT', status: 'VARCHAR' }));
await con.run(csv('survey_response', {
    id: 'BIGINT', gemeente: 'VARCHAR', aanbieder_id: 'BIGINT', law: 'INTEGER', age: 'INTEGER',
    response_date: 'INTEGER',
}));
await con.run(csv('survey_answer', { response_id: 'BIGINT', item: 'VARCHAR', value: 'INTEGER' }));
const loadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

// The standard set (25 definitions) by gemeente x quarter with the per-quarter totals.
// The standard set (25 definitions) by gemeente x quarter with the per-quarter totals. Written
// as an analyst would for DuckDB: every row is classified once (its end, start and response
// quarter as an index year * 4 + quarter - 1; active quarters by unnesting a range), and one
// grouped scan per anchor computes all definitions of that anchor with FILTER clauses.
const K = (day) => `(year(DATE '1970-01-01' + ${day}) * 4 + (month(DATE '1970-01-01' + ${day}) - 1) // 3)`;
const statements = [
    `CREATE TEMP TABLE dd AS
     SELECT max(greatest(start_date, coalesce(end_date, start_date))) AS data_date
     FROM trajectory WHERE flags & 16 = 0`,
    `CREATE TEMP TABLE t AS
     WITH m AS (
         SELECT trajectory_id,
                coalesce(max(satisfaction) FILTER (WHERE informant = '01'),
                         max(satisfaction) FILTER (WHERE informant = '02'),
                         max(satisfaction) FILTER (WHERE informant IS NULL OR informant = '')) AS tev,
                coalesce(max(nullif(zonder_hulp, '')) FILTER (WHERE informant = '01'),
                         max(nullif(zonder_hulp, '')) FILTER (WHERE informant = '02'),
                         max(nullif(zonder_hulp, '')) FILTER (WHERE informant IS NULL OR informant = '')) AS zh,
                max(goal_realisation) AS doel
         FROM measurement GROUP BY trajectory_id),
     b AS (
         SELECT tr.id, tr.person_id AS person, tr.law, tr.gemeente,
                tr.start_date AS s, tr.end_date AS e, tr.date_assigned,
                CASE WHEN tr.end_date IS NOT NULL THEN nullif(tr.cbs_reason, '') END AS reden_cbs,
                m.tev, m.zh, m.doel,
                ${K('tr.start_date')} AS qs,
                CASE WHEN tr.end_date IS NOT NULL THEN ${K('tr.end_date')} END AS qe,
                CASE WHEN tr.end_date IS NOT NULL THEN date_diff('day', DATE '1970-01-01',
                    CAST(DATE '1970-01-01' + tr.end_date + INTERVAL 6 MONTH AS DATE)) END AS we6,
                CASE WHEN tr.end_date IS NOT NULL THEN date_diff('day', DATE '1970-01-01',
                    CAST(DATE '1970-01-01' + tr.end_date + INTERVAL 12 MONTH AS DATE)) END AS we12
         FROM trajectory tr LEFT JOIN m ON m.trajectory_id = tr.id
         WHERE tr.flags & 16 = 0),
     ns AS ( -- a new start of the same person and law, more than 1 day after the end
         SELECT b.id,
                bool_or(o.start_date <= b.we6) AS ns6,
                bool_or(o.start_date <= b.we12) AS ns12
         FROM b JOIN trajectory o
             ON o.person_id = b.person AND o.law = b.law AND o.flags & 16 = 0
            AND o.start_date > b.e + 1 AND o.start_date <= b.we12
         GROUP BY b.id)
     SELECT b.*,
            CASE WHEN b.e IS NOT NULL THEN coalesce(ns.ns6, false) END AS ns6,
            CASE WHEN b.e IS NOT NULL THEN coalesce(ns.ns12, false) END AS ns12,
            b.e IS NOT NULL AND b.we6 <= (SELECT data_date FROM dd) AS vv6,
            b.e IS NOT NULL AND b.we12 <= (SELECT data_date FROM dd) AS vv12
     FROM b LEFT JOIN ns ON ns.id = b.id`,
    // anchor einde: the youth outcome set and the throughput time
    `CREATE TEMP TABLE a_end AS
     SELECT qe AS k, gemeente,
            count(*) FILTER (WHERE law = 1 AND reden_cbs IN ('01', '02', '03', '04', '05')) AS n_reden,
            count(*) FILTER (WHERE law = 1 AND reden_cbs = '03') AS e_uitval,
            count(*) FILTER (WHERE law = 1 AND reden_cbs = '04') AS e_eenzijdig,
            count(*) FILTER (WHERE law = 1 AND reden_cbs = '01') AS e_plan,
            count(*) FILTER (WHERE law = 1 AND tev IS NOT NULL) AS n_tev,
            sum(tev) FILTER (WHERE law = 1) AS s_tev,
            count(*) FILTER (WHERE law = 1 AND zh IS NOT NULL) AS n_zh,
            count(*) FILTER (WHERE law = 1 AND zh IN ('03', '04')) AS e_zh,
            count(*) FILTER (WHERE law = 1 AND vv6) AS n_6,
            count(*) FILTER (WHERE law = 1 AND vv6 AND NOT ns6) AS e_6,
            count(*) FILTER (WHERE law = 1 AND vv12) AS n_12,
            count(*) FILTER (WHERE law = 1 AND vv12 AND NOT ns12) AS e_12,
            count(*) FILTER (WHERE law = 1 AND doel IS NOT NULL) AS n_doel,
            sum(doel) FILTER (WHERE law = 1) AS s_doel,
            count(*) AS n_door, median(e - s) AS med_door
     FROM t WHERE qe BETWEEN ${q0} AND ${q1}
     GROUP BY GROUPING SETS ((qe, gemeente), (qe))`,
    // anchor start: new starts and the waiting time
    `CREATE TEMP TABLE a_start AS
     SELECT qs AS k, gemeente, count(*) AS n_starts,
            count(*) FILTER (WHERE s - date_assigned >= 0) AS n_wait,
            median(s - date_assigned) FILTER (WHERE s - date_assigned >= 0) AS med_wait
     FROM t WHERE qs BETWEEN ${q0} AND ${q1}
     GROUP BY GROUPING SETS ((qs, gemeente), (qs))`,
    // anchor actief: every quarter from the start's to the end's (or the last); distinct persons
    // by deduplicating first (count(DISTINCT) over grouping sets is slow in DuckDB)
    `CREATE TEMP TABLE x_act AS
     SELECT gemeente, person, law,
            unnest(range(greatest(qs, ${q0}), least(coalesce(qe, ${q1}), ${q1}) + 1)) AS k
     FROM t WHERE qs <= ${q1} AND coalesce(qe, ${q1}) >= ${q0}`,
    `CREATE TEMP TABLE a_act AS
     WITH g AS (SELECT k, gemeente, count(*) AS n_traj FROM x_act
                GROUP BY GROUPING SETS ((k, gemeente), (k))),
     pg AS (SELECT k, gemeente, person, bool_or(law = 1) AS jw, bool_or(law = 2) AS wmo
            FROM x_act GROUP BY k, gemeente, person),
     p AS (SELECT k, person, bool_or(law = 1) AS jw, bool_or(law = 2) AS wmo
           FROM x_act GROUP BY k, person),
     c AS (SELECT k, gemeente, count(*) AS n_cl, count(*) FILTER (WHERE jw) AS n_jw,
                  count(*) FILTER (WHERE wmo) AS n_wmo FROM pg GROUP BY k, gemeente
           UNION ALL
           SELECT k, NULL, count(*), count(*) FILTER (WHERE jw), count(*) FILTER (WHERE wmo)
           FROM p GROUP BY k)
     SELECT g.k, g.gemeente, g.n_traj, c.n_cl, c.n_jw, c.n_wmo
     FROM g JOIN c ON c.k = g.k AND c.gemeente IS NOT DISTINCT FROM g.gemeente`,
    // anchor antwoord: the client-experience items
    `CREATE TEMP TABLE a_resp AS
     SELECT k, gemeente, item, count(*) FILTER (WHERE pop) AS n, count(*) FILTER (WHERE pop AND ev) AS e
     FROM (SELECT ${K('r.response_date')} AS k, r.gemeente, a.item,
                  CASE WHEN a.item = 'wmo_ceo_5' THEN a.value IN (1, 2) ELSE a.value BETWEEN 1 AND 5 END AS pop,
                  CASE WHEN a.item = 'wmo_ceo_5' THEN a.value = 1 ELSE a.value >= 4 END AS ev
           FROM survey_response r JOIN survey_answer a ON a.response_id = r.id
           WHERE a.item IN ('wmo_ceo_1', 'wmo_ceo_2', 'wmo_ceo_3', 'wmo_ceo_4', 'wmo_ceo_5',
                            'wmo_ceo_6', 'wmo_ceo_7', 'wmo_ceo_8', 'wmo_ceo_9', 'wmo_ceo_10'))
     WHERE k BETWEEN ${q0} AND ${q1}
     GROUP BY GROUPING SETS ((k, gemeente, item), (k, item))`,
    // population of the band per gemeente and year (newest active batch; latest year <= year)
    `CREATE TEMP TABLE popband AS
     WITH pop AS (
         SELECT gemeente, year, inhabitants,
                CAST(regexp_extract(age_band, '^[0-9]+') AS INTEGER) AS lo,
                CASE WHEN age_band LIKE '%+' THEN 104
                     ELSE CAST(regexp_extract(age_band, '-([0-9]+)$', 1) AS INTEGER) END AS hi
         FROM (SELECT p.*, row_number() OVER (PARTITION BY p.gemeente, p.year, p.age_band
                                              ORDER BY p.batch_id DESC) AS rn
               FROM population p JOIN import_batch b ON b.id = p.batch_id AND b.status = 'actief')
         WHERE rn = 1),
     def(code, afrom, ato) AS (VALUES ('jw_bereik', 0, 17), ('wmo_bereik', 18, 104)),
     years AS (SELECT DISTINCT k // 4 AS year FROM range(${q0}, ${q1 + 1}) r(k)),
     pick AS (
         SELECT g.gemeente, y.year, max(p.year) AS used
         FROM (SELECT DISTINCT gemeente FROM pop) g CROSS JOIN years y
         JOIN (SELECT DISTINCT gemeente, year FROM pop) p ON p.gemeente = g.gemeente AND p.year <= y.year
         GROUP BY g.gemeente, y.year)
     SELECT def.code, pick.gemeente, pick.year,
            sum(p.inhabitants * greatest(0, least(p.hi, def.ato) - greatest(p.lo, def.afrom) + 1)
                / (p.hi - p.lo + 1)) AS x
     FROM def CROSS JOIN pick JOIN pop p ON p.gemeente = pick.gemeente AND p.year = pick.used
     GROUP BY def.code, pick.gemeente, pick.year`,
    // the cells, one line per definition, quarter and gemeente (NULL: the quarter's total)
    `CREATE TEMP TABLE cell AS
     WITH e AS (SELECT * FROM a_end), s AS (SELECT * FROM a_start), a AS (SELECT * FROM a_act),
     rate AS (
         SELECT x.code, a.k, a.gemeente, x.num,
                CAST(floor(coalesce(CASE WHEN a.gemeente IS NULL THEN pt.x ELSE pb.x END, 0) + 0.5)
                     AS BIGINT) AS den
         FROM a CROSS JOIN LATERAL (VALUES ('jw_bereik', a.n_jw), ('wmo_bereik', a.n_wmo)) x(code, num)
         LEFT JOIN popband pb ON pb.code = x.code AND pb.year = a.k // 4 AND pb.gemeente = a.gemeente
         LEFT JOIN (SELECT code, year, sum(x) AS x FROM popband GROUP BY code, year) pt
             ON pt.code = x.code AND pt.year = a.k // 4
         WHERE x.num > 0)
     SELECT code, k, gemeente, num, den, value FROM (
         SELECT 'jw_uitval' AS code, k, gemeente, e_uitval AS num, n_reden AS den, e_uitval / n_reden AS value FROM e
         UNION ALL SELECT 'jw_eenzijdig_aanbieder', k, gemeente, e_eenzijdig, n_reden, e_eenzijdig / n_reden FROM e
         UNION ALL SELECT 'jw_volgens_plan', k, gemeente, e_plan, n_reden, e_plan / n_reden FROM e
         UNION ALL SELECT 'jw_tevredenheid', k, gemeente, s_tev, n_tev, s_tev / n_tev FROM e
         UNION ALL SELECT 'jw_zonder_hulp_verder', k, gemeente, e_zh, n_zh, e_zh / n_zh FROM e
         UNION ALL SELECT 'jw_geen_nieuwe_start_6m', k, gemeente, e_6, n_6, e_6 / n_6 FROM e
         UNION ALL SELECT 'jw_geen_nieuwe_start_12m', k, gemeente, e_12, n_12, e_12 / n_12 FROM e
         UNION ALL SELECT 'jw_doelrealisatie', k, gemeente, s_doel, n_doel, s_doel / n_doel FROM e
         UNION ALL SELECT 'doorlooptijd', k, gemeente, 0, n_door, med_door FROM e
         UNION ALL SELECT 'nieuwe_starts', k, gemeente, n_starts, n_starts, n_starts FROM s
         UNION ALL SELECT 'wachttijd', k, gemeente, 0, n_wait, med_wait FROM s
         UNION ALL SELECT 'trajecten_actief', k, gemeente, n_traj, n_traj, n_traj FROM a
         UNION ALL SELECT 'clienten', k, gemeente, n_cl, n_cl, n_cl FROM a
         UNION ALL SELECT item, k, gemeente, e, n, e / n FROM a_resp)
     WHERE den > 0
     UNION ALL
     SELECT code, k, gemeente, num, den, CASE WHEN den > 0 THEN 1000.0 * num / den END FROM rate`,
];

t0 = process.hrtime.bigint();
for (const s of statements) await con.run(s);
const cells = Number((await con.runAndReadAll('SELECT count(*) FROM cell')).getRows()[0][0]);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
if (process.env.BENCH_DUCK_DUMP) {
    // the cells as the oracle writes them (tests/oracle/run.sh), to check this SQL against it
    const rows = (await con.runAndReadAll(
        `SELECT code || ',' || printf('%d-Q%d', k // 4, k % 4 + 1) || ',' || CASE WHEN gemeente IS NULL THEN 'totaal,' ELSE 'gemeente,' || gemeente END
                || ',' || num || ',' || den || ',' || coalesce(printf('%.17g', value), '')
         FROM cell WHERE num <> 0 OR den <> 0 ORDER BY 1`)).getRows();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(process.env.BENCH_DUCK_DUMP, rows.map((r) => r[0]).join('\n') + '\n');
}
con.closeSync?.();
console.log(JSON.stringify({ load_seconds: loadSeconds, seconds, cells, threads }));
