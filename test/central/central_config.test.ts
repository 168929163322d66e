/** DATABASE_URL: checked before the start, TLS required off this machine, the secret never in a message. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readKioskConfig } from "../../kiosk/config.ts";
import { parseDatabaseUrl } from "../../kiosk/central/mod.ts";

test("a loopback server needs no TLS; the client URL drops the parameters the kiosk handles itself", () => {
  const c = readKioskConfig({ DATABASE_URL: "postgres://gp_station_m1:s3cret@127.0.0.1:5433/glidepath" })
    .central!;
  assert.equal({ ...c, url: undefined }, {
    url: undefined,
    host: "127.0.0.1",
    port: 5433,
    user: "gp_station_m1",
    database: "glidepath",
    sslmode: "disable",
    sslrootcert: null,
    redacted: "postgres://gp_station_m1:***@127.0.0.1:5433/glidepath",
  });
  const tls = parseDatabaseUrl(
    "postgresql://u:p@central.example:5432/gp?sslmode=verify-full&sslrootcert=/etc/glidepath/ca.pem",
  );
  assert.equal([tls.sslmode, tls.sslrootcert, tls.url], [
    "verify-full",
    "/etc/glidepath/ca.pem",
    "postgresql://u:p@central.example:5432/gp",
  ]);
  assert.is(
    parseDatabaseUrl("postgres://u:p@central.example/gp").sslmode,
    "verify-full",
    "the default off loopback",
  );
  assert.is(parseDatabaseUrl("postgres://u:p@central.example/gp?sslmode=require").sslmode, "require");
  assert.is(readKioskConfig({ DATABASE_URL: "" }).central, null, "empty counts as unset");
});

const BAD: [string, RegExp][] = [
  ["not a url", /must be a postgres:\/\/ URL/],
  ["mysql://u:p@127.0.0.1/gp", /must start with postgres:\/\//],
  ["postgres://127.0.0.1/gp", /must carry the station's role and secret/],
  ["postgres://u@127.0.0.1/gp", /must carry the station's role and secret/],
  ["postgres://u:p@127.0.0.1/", /must name one database/],
  [
    "postgres://u:p@127.0.0.1/gp?sslmode=prefer",
    /sslmode must be one of disable, require, verify-ca, verify-full/,
  ],
  ["postgres://u:p@central.example/gp?sslmode=disable", /sslmode=disable only for a server on this machine/],
  [
    "postgres://u:p@127.0.0.1/gp?application_name=x",
    /takes only sslmode and sslrootcert, not "application_name"/,
  ],
  ["postgres://u:p@10.0.0.5/gp?sslmode=require&sslrootcert=/ca.pem", /only verify-ca and verify-full use/],
];

for (const [url, message] of BAD) {
  test(`DATABASE_URL ${JSON.stringify(url)} is refused naming the problem, never the secret`, () => {
    let caught: unknown;
    try {
      readKioskConfig({ DATABASE_URL: url });
    } catch (error) {
      caught = error;
    }
    assert.instance(caught, TypeError);
    const text = (caught as Error).message;
    assert.match(text, /^Cannot start kiosk: DATABASE_URL /);
    assert.match(text, message);
    assert.not.match(text, /:p@/, "the password is redacted");
  });
}

test.run();
