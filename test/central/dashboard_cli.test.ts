/**
 * The administrator's dashboard commands as a person runs them (`deno task central …` in a subprocess, a real
 * PostgreSQL): staff-add with the password on stdin, staff-disable, dashboard-login, and `dashboard` serving.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { dashboardApp, PASSWORD, postLogin, startDashboardCentral } from "./_dashboard.ts";

const central = await startDashboardCentral([["downtown", "dt-1"]], []);
const app = dashboardApp(central);
const TOOL = new URL("../../tools/central.ts", import.meta.url).pathname;

// `deno task central`'s own permissions.
const TASK = ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-sys", "--allow-run", TOOL];

/** Starts `tools/central.ts ...args` as the task does, with only `env` in its environment. */
function spawnCentral(args: string[], env: Record<string, string>): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [...TASK, ...args],
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
}

/** Runs an administrator command with `input` on its stdin; resolves its exit code and output. */
async function runCentral(args: string[], input = "") {
  const child = spawnCentral(args, { CENTRAL_ADMIN_URL: central.cluster.adminUrl });
  await ReadableStream.from([new TextEncoder().encode(input)]).pipeTo(child.stdin);
  const out = await child.output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

/** Reads `stream` until `re` matches what came so far; throws with the text when it ends first. */
async function readUntil(stream: Deno.ChildProcess["stdout"], re: RegExp): Promise<RegExpExecArray> {
  let seen = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    seen += chunk;
    const m = re.exec(seen);
    if (m) return m;
  }
  throw new Error(`ended before ${re}: ${seen}`);
}

test("staff-add takes the password from stdin (never argv), staff-disable ends sign-in", async () => {
  const added = await runCentral(["staff-add", "downtown", "dana"], `${PASSWORD}\n`);
  assert.is(added.code, 0, added.stderr);
  assert.match(added.stdout, /staff dana added for salon downtown/);
  const chain = await runCentral(["staff-add", "--chain", "chris"], `${PASSWORD}\n`);
  assert.is(chain.code, 0, chain.stderr);
  const [row] = await central.admin`SELECT salon_id, verifier FROM glidepath.staff WHERE login = 'chris'`;
  assert.is(row?.salon_id, null, "chain staff");
  assert.match(String(row?.verifier), /^pbkdf2-sha256\$600000\$/);
  assert.not.match(String(row?.verifier), new RegExp(PASSWORD));
  assert.is((await postLogin(app, "dana", PASSWORD)).status, 200);
  const short = await runCentral(["staff-add", "downtown", "dora"], "short\n");
  assert.is(short.code, 1);
  assert.match(short.stderr, /at least 12 characters/);
  const nowhere = await runCentral(["staff-add", "uptown", "uma"], `${PASSWORD}\n`);
  assert.match(nowhere.stderr, /salon "uptown" has no registered station/);
  const disabled = await runCentral(["staff-disable", "dana"]);
  assert.is(disabled.code, 0, disabled.stderr);
  assert.is((await postLogin(app, "dana", PASSWORD, "192.0.2.9")).status, 401);
});

test("dashboard-login prints a working DASHBOARD_DATABASE_URL; dashboard serves with it and stops on SIGTERM", async () => {
  const made = await runCentral(["dashboard-login"]);
  assert.is(made.code, 0, made.stderr);
  const url = /DASHBOARD_DATABASE_URL=(\S+)/.exec(made.stdout)?.[1];
  assert.ok(url?.startsWith("postgres://gp_dashboard:"), made.stdout);
  const child = spawnCentral(["dashboard"], { DASHBOARD_DATABASE_URL: url!, PORT: "0" });
  await child.stdin.close();
  try {
    const [line, served] = await readUntil(child.stdout, /serving (http:\/\/\S+\/).*\n/);
    const page = await fetch(served!);
    assert.is(page.status, 200);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self';/);
    assert.match(await page.text(), /<script type="module" src="\/app.js"><\/script>/);
    assert.not.match(line, /gp_dashboard:[^*]/, "the secret is not logged");
    child.kill("SIGTERM");
    assert.is((await child.status).code, 0, "a clean stop");
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already stopped */ }
    await child.stderr.cancel().catch(() => {});
  }
});

test.after(() => central.dispose());
test.run();
