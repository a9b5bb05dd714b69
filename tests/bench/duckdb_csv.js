// The DuckDB peer of `make bench`'s CSV bench (tests/bench/bench_csv.py), with
// @duckdb/node-api installed by that script into build/bench/duckdb.
//
//   node duckdb_csv.js scan CSV THREADS RUNS QUERY   QUERY reads FROM t, t being read_csv(CSV)
//   node duckdb_csv.js load CSV THREADS RUNS DBFILE  CREATE TABLE t AS SELECT * FROM read_csv(CSV)
//                                                    in a new database file DBFILE, closed (on disk)
//
// Each run opens a new DuckDB instance with threads=THREADS (so no cache
// carries over between runs), runs the statement and closes the instance; the
// time is wall time from opening to closing, and the CPU time of all its
// threads over the same span. Prints JSON:
//   {"seconds": best of RUNS, "cpu_seconds": least of RUNS, "threads": n, "version": "v1.x",
//    "result": [first row, as text]}
const fs = require('fs');
const { DuckDBInstance } = require('@duckdb/node-api');

const [mode, csv, threads, runsArg, extra] = process.argv.slice(2);
const runs = parseInt(runsArg || '3', 10);
const lit = (s) => "'" + s.replace(/'/g, "''") + "'";

async function once() {
  let dbfile = ':memory:';
  if (mode === 'load') {
    dbfile = extra;
    for (const f of [dbfile, dbfile + '.wal']) fs.rmSync(f, { force: true });
  }
  const t0 = process.hrtime.bigint();
  const u0 = process.cpuUsage();
  const instance = await DuckDBInstance.create(dbfile, { threads: String(threads) });
  const conn = await instance.connect();
  await conn.run('SET threads = ' + parseInt(threads, 10));
  let sql;
  if (mode === 'scan') {
    sql = 'WITH t AS (SELECT * FROM read_csv(' + lit(csv) + ')) ' + extra;
  } else if (mode === 'load') {
    await conn.run('CREATE TABLE t AS SELECT * FROM read_csv(' + lit(csv) + ')');
    await conn.run('CHECKPOINT');
    sql = 'SELECT count(*) FROM t';
  } else {
    throw new Error('mode must be scan or load');
  }
  const reader = await conn.runAndReadAll(sql);
  const row = reader.getRows()[0].map((v) => (v === null ? null : String(v)));
  const version = (await conn.runAndReadAll('SELECT version()')).getRows()[0][0];
  conn.closeSync();
  instance.closeSync();
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  const u = process.cpuUsage(u0);
  return { dt, cpu: (u.user + u.system) / 1e6, row, version };
}

(async () => {
  let best = Infinity;
  let cpu = Infinity;
  let last;
  for (let r = 0; r < runs; r++) {
    last = await once();
    best = Math.min(best, last.dt);
    cpu = Math.min(cpu, last.cpu);
  }
  console.log(JSON.stringify({ seconds: best, cpu_seconds: cpu, threads: parseInt(threads, 10),
    version: last.version, result: last.row }));
})().catch((e) => {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
