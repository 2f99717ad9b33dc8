-- indicators.sql: the correctness oracle of the indicator engine (issue 4). An independent
-- reference computation of every indicator of the standard set, in plain SQL, following
-- the calculation rules of docs/indicators.md ("Rekenregels") rule by rule. Run by tests/oracle/run.sh with the sqlite3 tool on a read-only database; its lines are
-- compared with those of tests/tools/mx_dump (the engine).
--
-- Input: a temp table oracle_param(van_y, van_q, tot_y, tot_q), the range of quarters.
-- Output: one line per cell, "code,period,dim,key,num,den,value", for every standard
-- definition x quarter x (dim "totaal" | gemeente | aanbieder | wet | leeftijd); value with
-- %.17g, empty when undefined. per_1000 has no aanbieder / leeftijd breakdown. Cells without
-- units are not written (aandeel/gemiddelde/mediaan/aantal: den = 0; per_1000: num = 0); the
-- engine's side drops them too, so the oracle does not depend on which empty cells the engine
-- lists.
--
-- Settings are the defaults of the standard set: externe_redenen_in_noemer = ja,
-- lichtere_hulp_telt_mee = nee. Deliberately written apart from the engine's code: no shared
-- helper, dates through SQLite's own date functions.

-- ---- periods: the quarters of the range, first and last day as days since 1970-01-01 -------
CREATE TEMP TABLE q AS
WITH RECURSIVE qq(y, i) AS (
    SELECT van_y, van_q FROM oracle_param
    UNION ALL
    SELECT CASE WHEN i = 4 THEN y + 1 ELSE y END, CASE WHEN i = 4 THEN 1 ELSE i + 1 END
    FROM qq, oracle_param
    WHERE y * 4 + i < tot_y * 4 + tot_q)
SELECT printf('%d-Q%d', y, i) AS period, y AS year,
       CAST(julianday(printf('%04d-%02d-01', y, 3 * i - 2)) - 2440587.5 AS INTEGER) AS ps,
       CAST(julianday(printf('%04d-%02d-01', y, 3 * i - 2), '+3 months', '-1 day')
            - 2440587.5 AS INTEGER) AS pe
FROM qq;

-- ---- trajectory rows (test persons excluded) with the fields the definitions read ----------
CREATE TEMP TABLE dd AS -- data_date: newest start or end of a non-test trajectory
SELECT max(max(start_date, coalesce(end_date, start_date))) AS data_date
FROM trajectory WHERE (flags & 16) = 0;

-- window_end(end, N): end + N calendar months, same day of month clamped to the month's end.
CREATE TEMP TABLE t0 AS
SELECT tr.id, tr.person_id AS person, tr.law, CAST(tr.aanbieder_id AS TEXT) AS aanbieder,
       CASE tr.law WHEN 1 THEN 'jw' WHEN 2 THEN 'wmo' END AS wet,
       tr.gemeente, coalesce(tr.age_band, 'onbekend') AS leeftijd,
       tr.start_date AS s, tr.end_date AS e, tr.date_assigned,
       CASE WHEN tr.end_date IS NOT NULL THEN nullif(tr.cbs_reason, '') END AS reden_cbs,
       coalesce((SELECT m.satisfaction FROM measurement m
                 WHERE m.trajectory_id = tr.id AND m.informant = '01'),
                (SELECT m.satisfaction FROM measurement m
                 WHERE m.trajectory_id = tr.id AND m.informant = '02'),
                (SELECT m.satisfaction FROM measurement m
                 WHERE m.trajectory_id = tr.id AND m.informant = '')) AS tevredenheid,
       coalesce((SELECT nullif(m.zonder_hulp, '') FROM measurement m
                 WHERE m.trajectory_id = tr.id AND m.informant = '01'),
                (SELECT nullif(m.zonder_hulp, '') FROM measurement m
                 WHERE m.trajectory_id = tr.id AND m.informant = '02'),
                (SELECT nullif(m.zonder_hulp, '') FROM measurement m
                 WHERE m.trajectory_id = tr.id AND m.informant = '')) AS zonder_hulp,
       (SELECT max(m.goal_realisation) FROM measurement m
        WHERE m.trajectory_id = tr.id) AS doelrealisatie,
       CAST(strftime('%Y', tr.end_date * 86400, 'unixepoch') AS INTEGER) AS ey,
       CAST(strftime('%m', tr.end_date * 86400, 'unixepoch') AS INTEGER) AS em,
       CAST(strftime('%d', tr.end_date * 86400, 'unixepoch') AS INTEGER) AS ed
FROM trajectory tr
WHERE (tr.flags & 16) = 0;

CREATE TEMP TABLE t1 AS
SELECT t0.*,
       -- target month of the 6- and 12-month windows (N = 6, 12)
       ey + (em - 1 + 6) / 12 AS y6, (em - 1 + 6) % 12 + 1 AS m6,
       ey + (em - 1 + 12) / 12 AS y12, (em - 1 + 12) % 12 + 1 AS m12
FROM t0;

CREATE TEMP TABLE t2 AS
SELECT t1.*,
       CASE WHEN e IS NULL THEN NULL ELSE
           CAST(julianday(printf('%04d-%02d-%02d', y6, m6,
               min(ed, CAST(strftime('%d', printf('%04d-%02d-01', y6, m6), '+1 month', '-1 day')
                            AS INTEGER)))) - 2440587.5 AS INTEGER) END AS we6,
       CASE WHEN e IS NULL THEN NULL ELSE
           CAST(julianday(printf('%04d-%02d-%02d', y12, m12,
               min(ed, CAST(strftime('%d', printf('%04d-%02d-01', y12, m12), '+1 month', '-1 day')
                            AS INTEGER)))) - 2440587.5 AS INTEGER) END AS we12
FROM t1;

-- Follow-up with correlated subqueries: another non-test row of the same person and law (any
-- aanbieder) starting more than tussenruimte_dagen (1) after the end, up to the window's end.
CREATE TEMP TABLE t AS
SELECT t2.*,
       CASE WHEN e IS NULL THEN NULL ELSE EXISTS (
           SELECT 1 FROM trajectory o
           WHERE o.person_id = t2.person AND o.law = t2.law AND (o.flags & 16) = 0
             AND o.start_date > t2.e + 1 AND o.start_date <= t2.we6) END AS ns6,
       CASE WHEN e IS NULL THEN NULL ELSE EXISTS (
           SELECT 1 FROM trajectory o
           WHERE o.person_id = t2.person AND o.law = t2.law AND (o.flags & 16) = 0
             AND o.start_date > t2.e + 1 AND o.start_date <= t2.we12) END AS ns12,
       (e IS NOT NULL AND we6 <= (SELECT data_date FROM dd)) AS vv6,
       (e IS NOT NULL AND we12 <= (SELECT data_date FROM dd)) AS vv12
FROM t2;

-- ---- survey responses --------------------------------------------------------------------
CREATE TEMP TABLE r AS
SELECT sr.id, sr.gemeente, coalesce(CAST(sr.aanbieder_id AS TEXT), '') AS aanbieder,
       CASE sr.law WHEN 1 THEN 'jw' WHEN 2 THEN 'wmo' ELSE '' END AS wet,
       CASE WHEN sr.age IS NULL OR sr.age < 0 THEN 'onbekend'
            WHEN sr.law = 1 THEN CASE WHEN sr.age <= 3 THEN '0-3' WHEN sr.age <= 11 THEN '4-11'
                                      WHEN sr.age <= 17 THEN '12-17'
                                      WHEN sr.age <= 22 THEN '18-22' ELSE '23+' END
            ELSE CASE WHEN sr.age <= 17 THEN '0-17' WHEN sr.age <= 64 THEN '18-64'
                      WHEN sr.age <= 74 THEN '65-74' WHEN sr.age <= 84 THEN '75-84'
                      ELSE '85+' END END AS leeftijd,
       sr.response_date AS d
FROM survey_response sr;

-- ---- the rows of every cell: one line per (definition, period, unit in the population) -------
-- agg: aandeel | gemiddelde | mediaan | aantal | personen | per_1000 (persons; age band in lo/hi)
CREATE TEMP TABLE f (code TEXT, agg TEXT, period TEXT, year INTEGER, person INTEGER,
                     gemeente TEXT, aanbieder TEXT, wet TEXT, leeftijd TEXT, ev INTEGER,
                     val INTEGER);

-- anchor einde
INSERT INTO f
SELECT d.code, d.agg, q.period, q.year, t.person, t.gemeente, t.aanbieder, t.wet, t.leeftijd,
       CASE d.code
           WHEN 'jw_uitval' THEN t.reden_cbs = '03'
           WHEN 'jw_eenzijdig_aanbieder' THEN t.reden_cbs = '04'
           WHEN 'jw_volgens_plan' THEN t.reden_cbs = '01'
           WHEN 'jw_zonder_hulp_verder' THEN coalesce(t.zonder_hulp IN ('03', '04'), 0)
           WHEN 'jw_geen_nieuwe_start_6m' THEN coalesce(NOT t.ns6, 0)
           WHEN 'jw_geen_nieuwe_start_12m' THEN coalesce(NOT t.ns12, 0)
       END,
       CASE d.code
           WHEN 'jw_tevredenheid' THEN t.tevredenheid
           WHEN 'jw_doelrealisatie' THEN t.doelrealisatie
           WHEN 'doorlooptijd' THEN t.e - t.s
       END
FROM t JOIN q ON t.e IS NOT NULL AND t.e BETWEEN q.ps AND q.pe
JOIN (SELECT 'jw_uitval' AS code, 'aandeel' AS agg UNION ALL
      SELECT 'jw_eenzijdig_aanbieder', 'aandeel' UNION ALL
      SELECT 'jw_volgens_plan', 'aandeel' UNION ALL
      SELECT 'jw_tevredenheid', 'gemiddelde' UNION ALL
      SELECT 'jw_zonder_hulp_verder', 'aandeel' UNION ALL
      SELECT 'jw_geen_nieuwe_start_6m', 'aandeel' UNION ALL
      SELECT 'jw_geen_nieuwe_start_12m', 'aandeel' UNION ALL
      SELECT 'jw_doelrealisatie', 'gemiddelde' UNION ALL
      SELECT 'doorlooptijd', 'mediaan') d
WHERE CASE d.code
          -- externe_redenen_in_noemer = ja: the clause "(ja of reden_cbs != '05')" holds
          WHEN 'jw_uitval' THEN t.wet = 'jw' AND t.reden_cbs IN ('01', '02', '03', '04', '05')
          WHEN 'jw_eenzijdig_aanbieder'
              THEN t.wet = 'jw' AND t.reden_cbs IN ('01', '02', '03', '04', '05')
          WHEN 'jw_volgens_plan'
              THEN t.wet = 'jw' AND t.reden_cbs IN ('01', '02', '03', '04', '05')
          WHEN 'jw_tevredenheid' THEN t.wet = 'jw' AND t.tevredenheid IS NOT NULL
          WHEN 'jw_zonder_hulp_verder' THEN t.wet = 'jw' AND t.zonder_hulp IS NOT NULL
          WHEN 'jw_geen_nieuwe_start_6m' THEN t.wet = 'jw' AND t.vv6
          WHEN 'jw_geen_nieuwe_start_12m' THEN t.wet = 'jw' AND t.vv12
          WHEN 'jw_doelrealisatie' THEN t.wet = 'jw' AND t.doelrealisatie IS NOT NULL
          WHEN 'doorlooptijd' THEN t.e IS NOT NULL
      END;

-- anchor actief
INSERT INTO f
SELECT d.code, d.agg, q.period, q.year, t.person, t.gemeente, t.aanbieder, t.wet, t.leeftijd,
       NULL, NULL
FROM t JOIN q ON t.s <= q.pe AND (t.e IS NULL OR t.e >= q.ps)
JOIN (SELECT 'clienten' AS code, 'personen' AS agg UNION ALL
      SELECT 'trajecten_actief', 'aantal' UNION ALL
      SELECT 'jw_bereik', 'per_1000' UNION ALL
      SELECT 'wmo_bereik', 'per_1000') d
WHERE CASE d.code
          WHEN 'jw_bereik' THEN t.wet = 'jw'
          WHEN 'wmo_bereik' THEN t.wet = 'wmo'
          ELSE 1
      END;

-- anchor start
INSERT INTO f
SELECT d.code, d.agg, q.period, q.year, t.person, t.gemeente, t.aanbieder, t.wet, t.leeftijd,
       NULL, CASE d.code WHEN 'wachttijd' THEN t.s - t.date_assigned END
FROM t JOIN q ON t.s BETWEEN q.ps AND q.pe
JOIN (SELECT 'nieuwe_starts' AS code, 'aantal' AS agg UNION ALL
      SELECT 'wachttijd', 'mediaan') d
WHERE CASE d.code
          WHEN 'wachttijd' THEN t.date_assigned IS NOT NULL AND t.s - t.date_assigned >= 0
          ELSE 1
      END;

-- anchor antwoord: the Wmo client-experience items
INSERT INTO f
SELECT i.item, 'aandeel', q.period, q.year, NULL, r.gemeente, r.aanbieder, r.wet, r.leeftijd,
       CASE WHEN i.item = 'wmo_ceo_5' THEN a.value = 1 ELSE a.value >= 4 END, NULL
FROM r JOIN q ON r.d BETWEEN q.ps AND q.pe
JOIN (SELECT 'wmo_ceo_' || n AS item FROM (
          SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL
          SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL
          SELECT 9 UNION ALL SELECT 10)) i
JOIN survey_answer a ON a.response_id = r.id AND a.item = i.item
WHERE CASE WHEN i.item = 'wmo_ceo_5' THEN a.value IN (1, 2) ELSE a.value BETWEEN 1 AND 5 END;

-- every row once per breakdown: dim "totaal" (no breakdown) and the four dimensions
CREATE TEMP TABLE fx AS
SELECT f.code, f.agg, f.period, f.year, x.dim,
       CASE x.dim WHEN 'totaal' THEN '' WHEN 'gemeente' THEN f.gemeente
                  WHEN 'aanbieder' THEN f.aanbieder WHEN 'wet' THEN f.wet
                  ELSE f.leeftijd END AS key,
       f.person, f.ev, f.val
FROM f JOIN (SELECT 'totaal' AS dim UNION ALL SELECT 'gemeente' UNION ALL
             SELECT 'aanbieder' UNION ALL SELECT 'wet' UNION ALL SELECT 'leeftijd') x
WHERE NOT (f.agg = 'per_1000' AND x.dim IN ('aanbieder', 'leeftijd'));

-- ---- population for per_1000 -----------------------------------------------------------------
-- Per (gemeente, year, band) the row of the newest active batch.
CREATE TEMP TABLE pop AS
SELECT p.gemeente, p.year, p.inhabitants,
       CAST(p.age_band AS INTEGER) AS lo,
       CASE WHEN p.age_band LIKE '%+' THEN 104
            ELSE CAST(substr(p.age_band, instr(p.age_band, '-') + 1) AS INTEGER) END AS hi
FROM population p JOIN import_batch b ON b.id = p.batch_id AND b.status = 'actief'
WHERE p.batch_id = (SELECT max(p2.batch_id)
                    FROM population p2 JOIN import_batch b2
                        ON b2.id = p2.batch_id AND b2.status = 'actief'
                    WHERE p2.gemeente = p.gemeente AND p2.year = p.year
                      AND p2.age_band = p.age_band);

-- Inhabitants of the definition's ages per gemeente and calendar year of a period: the year
-- itself, else the latest year before it, else nothing. Shares as fractions of a band.
CREATE TEMP TABLE popband AS
WITH def(code, afrom, ato) AS (SELECT 'jw_bereik', 0, 17 UNION ALL SELECT 'wmo_bereik', 18, 104),
     yrs(year) AS (SELECT DISTINCT year FROM q),
     gem(gemeente) AS (SELECT DISTINCT gemeente FROM pop),
     pick AS (SELECT g.gemeente, y.year,
                     (SELECT max(p.year) FROM pop p
                      WHERE p.gemeente = g.gemeente AND p.year <= y.year) AS used
              FROM gem g, yrs y)
SELECT def.code, pick.gemeente, pick.year,
       sum(p.inhabitants * max(0, min(p.hi, def.ato) - max(p.lo, def.afrom) + 1) * 1.0
           / (p.hi - p.lo + 1)) AS x
FROM def, pick JOIN pop p ON p.gemeente = pick.gemeente AND p.year = pick.used
GROUP BY def.code, pick.gemeente, pick.year;

-- ---- the cells ---------------------------------------------------------------------------------
CREATE TEMP TABLE cell (code TEXT, period TEXT, dim TEXT, key TEXT, num INTEGER, den INTEGER,
                        value REAL);

INSERT INTO cell
SELECT code, period, dim, key, sum(ev), count(*), sum(ev) * 1.0 / count(*)
FROM fx WHERE agg = 'aandeel' GROUP BY code, period, dim, key;

INSERT INTO cell
SELECT code, period, dim, key, sum(val), count(*), sum(val) * 1.0 / count(*)
FROM fx WHERE agg = 'gemiddelde' GROUP BY code, period, dim, key;

INSERT INTO cell
SELECT code, period, dim, key, count(*), count(*), count(*)
FROM fx WHERE agg = 'aantal' GROUP BY code, period, dim, key;

INSERT INTO cell
SELECT code, period, dim, key, count(DISTINCT person), count(DISTINCT person),
       count(DISTINCT person)
FROM fx WHERE agg = 'personen' GROUP BY code, period, dim, key;

-- median: the middle value, or the mean of the two middle values
INSERT INTO cell
SELECT code, period, dim, key, 0, cnt, avg(val)
FROM (SELECT code, period, dim, key, val,
             row_number() OVER (PARTITION BY code, period, dim, key ORDER BY val) AS rn,
             count(*) OVER (PARTITION BY code, period, dim, key) AS cnt
      FROM fx WHERE agg = 'mediaan')
WHERE rn IN ((cnt + 1) / 2, (cnt + 2) / 2)
GROUP BY code, period, dim, key;

-- per_1000: distinct persons over the inhabitants of the cell's gemeenten (the key's gemeente;
-- every gemeente of the population table when the cell has no gemeente key), rounded half up
INSERT INTO cell
SELECT c.code, c.period, c.dim, c.key, c.num, c.den,
       CASE WHEN c.den > 0 THEN 1000.0 * c.num / c.den END
FROM (SELECT g.code, g.period, g.dim, g.key, g.num,
             CAST(coalesce((SELECT sum(pb.x) FROM popband pb
                            WHERE pb.code = g.code AND pb.year = g.year
                              AND (g.dim <> 'gemeente' OR pb.gemeente = g.key)), 0) + 0.5
                  AS INTEGER) AS den
      FROM (SELECT code, period, year, dim, key, count(DISTINCT person) AS num
            FROM fx WHERE agg = 'per_1000' GROUP BY code, period, year, dim, key) g) c;

SELECT code || ',' || period || ',' || dim || ',' || key || ',' || num || ',' || den || ',' ||
       CASE WHEN value IS NULL THEN '' ELSE printf('%.17g', value) END
FROM cell
WHERE num <> 0 OR den <> 0
ORDER BY 1;
