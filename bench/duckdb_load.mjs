// duckdb_load.mjs: the reference figure for bench/import. Loads a CSV file into a persistent
// DuckDB database (CREATE TABLE AS SELECT * FROM read_csv(...), DuckDB's own type sniffing
// and parallel reader) and prints one JSON line: {"rows": N, "seconds": S, "threads": T}.
//
//   node bench/duckdb_load.mjs FILE.csv DB.duckdb
//
// Uses @duckdb/node-api from bench/package.json (bench/import installs it). The database file is created fresh.
import { DuckDBInstance } from '@duckdb/node-api';
import { rm } from 'node:fs/promises';

const [csv, dbPath] = process.argv.slice(2);
if (!csv || !dbPath) {
    console.error('usage: node bench/duckdb_load.mjs FILE.csv DB.duckdb');
    process.exit(2);
}
await rm(dbPath, { force: true });
await rm(`${dbPath}.wal`, { force: true });

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;
const instance = await DuckDBInstance.create(dbPath);
const con = await instance.connect();
const threads = Number((await con.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]);

const t0 = process.hrtime.bigint();
await con.run(`CREATE TABLE export AS SELECT * FROM read_csv(${sqlString(csv)})`);
await con.run('CHECKPOINT'); // the data is on disk, as duiding's COMMIT puts it there
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;

const rows = Number((await con.runAndReadAll('SELECT count(*) FROM export')).getRows()[0][0]);
con.closeSync?.();
console.log(JSON.stringify({ rows, seconds, threads }));
