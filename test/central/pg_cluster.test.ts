/** The throwaway PostgreSQL cluster the central-store tests run against: loopback only, survives a stop and a start, leaves nothing. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import postgres from "postgres";
import { startPgCluster } from "./_pg_cluster.ts";

test("a throwaway cluster listens on loopback, keeps its data through a crash and a restart, and disposes of its folder", async () => {
  const cluster = await startPgCluster();
  const sql = postgres(cluster.adminUrl, { onnotice: () => {}, max: 1 });
  try {
    const [row] = await sql`SELECT current_setting('listen_addresses') AS listen, current_user AS who`;
    assert.equal({ ...row }, { listen: "127.0.0.1", who: "postgres" });
    await sql`CREATE TABLE kept (n int)`;
    await sql`INSERT INTO kept VALUES (1)`;
    await cluster.stop("immediate");
    let refused = "";
    await sql`SELECT 1`.catch((e) => void (refused = e.code));
    assert.is(refused, "ECONNREFUSED");
    await cluster.start();
    const rows = await sql`SELECT n FROM kept`;
    assert.equal(rows.map((r) => r.n), [1]);
  } finally {
    await sql.end();
    await cluster.dispose();
  }
  assert.throws(() => Deno.statSync(cluster.dir));
});

test("the superuser needs its password over TCP", async () => {
  const cluster = await startPgCluster();
  const wrong = postgres(cluster.url("postgres", "not-the-password"), { onnotice: () => {}, max: 1 });
  try {
    let code = "";
    await wrong`SELECT 1`.catch((e) => void (code = e.code));
    assert.is(code, "28P01"); // invalid_password
  } finally {
    await wrong.end();
    await cluster.dispose();
  }
});

test.run();
