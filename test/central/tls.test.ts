/** The station's TLS settings against a real server with a certificate: what each sslmode accepts and refuses. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseDatabaseUrl, startReplicator } from "../../kiosk/central/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { startCentralFor } from "./_central.ts";
import { makeCerts } from "./_tls.ts";

// The server's certificate names central.example only: the tests connect to 127.0.0.1, so verify-full must refuse
// it and verify-ca (chain only) must take it.
const certs = await makeCerts(Deno.makeTempDirSync({ prefix: "gp-tls-" }), "DNS:central.example");
const central = await startCentralFor([["salon-t", "tls-1"]], { tls: { cert: certs.cert, key: certs.key } });
const [station] = central.stations;

/** Ships one audit row over `query` (sslmode etc.); returns the replicator's state and reason. */
async function shipWith(query: string, ca?: string): Promise<{ state: string; reason?: string }> {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-tls-st-" }));
  store.audit({ at: Date.now(), action: "tls", actor: "test" });
  const setting = parseDatabaseUrl(central.cluster.url(station.role, station.secret) + query);
  const replicator = startReplicator(store.path, setting, {
    log: () => {},
    ca: ca ? Deno.readTextFileSync(ca) : undefined,
  });
  await replicator.flush();
  const { state, reason } = replicator.health();
  await replicator.stop();
  store.dispose();
  return { state, reason };
}

test("sslmode=verify-ca with the central CA connects over TLS", async () => {
  assert.equal(await shipWith("?sslmode=verify-ca", certs.ca), { state: "ok", reason: undefined });
});

test("sslmode=verify-ca refuses a server whose certificate another CA signed", async () => {
  const r = await shipWith("?sslmode=verify-ca", certs.otherCa);
  assert.is(r.state, "failing");
  assert.match(r.reason!, /unable to verify the first certificate/);
});

test("sslmode=verify-full refuses a certificate that does not name the host in the URL", async () => {
  const r = await shipWith("?sslmode=verify-full", certs.ca);
  assert.is(r.state, "failing");
  assert.match(r.reason!, /127\.0\.0\.1|altnames|host/i);
});

test("sslmode=require encrypts without checking the certificate; the station's connection is TLS", async () => {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-tls-st-" }));
  const setting = parseDatabaseUrl(central.cluster.url(station.role, station.secret) + "?sslmode=require");
  const replicator = startReplicator(store.path, setting, { log: () => {}, heartbeatMs: 1 });
  await replicator.flush();
  assert.is(replicator.health().state, "ok");
  const [row] = await central.admin`SELECT bool_and(s.ssl) AS tls, count(*)::int AS n FROM pg_stat_ssl s
    JOIN pg_stat_activity a USING (pid) WHERE a.usename = ${station.role}`;
  assert.equal({ ...row }, { tls: true, n: 1 });
  await replicator.stop();
  store.dispose();
});

test.after(() => central.dispose());
test.run();
