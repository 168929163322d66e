import { test } from "uvu";
import * as assert from "uvu/assert";
import { createNullSink } from "./_null_sink.ts";
import { startTestKiosk } from "./_kiosk.ts";

/** Sends one operator message on a fresh socket (as an attacker on the same machine can) and returns the answer. */
async function tryPin(port: number, pin: string): Promise<Record<string, unknown>> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
    headers: { origin: `http://127.0.0.1:${port}` },
  } as unknown as string[]);
  const answer = Promise.withResolvers<Record<string, unknown>>();
  ws.onopen = () => ws.send(JSON.stringify({ type: "operator", pin }));
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data));
    if (m.of === "operator") answer.resolve(m);
  };
  ws.onerror = () => answer.reject(new Error("socket failed"));
  const closed = new Promise((r) => (ws.onclose = r));
  try {
    return await answer.promise;
  } finally {
    ws.close();
    await closed;
  }
}

test("a global PIN lock puts a recovery code on the terminal and in DATA_DIR/operator-recovery (0600); it lets the operator in", async () => {
  const dataDir = Deno.makeTempDirSync({ prefix: "gp-recovery-" });
  const lines: string[] = [];
  const kiosk = await startTestKiosk({
    dataDir,
    operatorPin: "482916",
    sink: createNullSink(),
    log: (l) => void lines.push(l),
  });
  try {
    for (let i = 0; i < 10; i++) assert.is((await tryPin(kiosk.port, `10000${i}`)).type, "error");
    assert.is((await tryPin(kiosk.port, "482916")).type, "error", "the PIN itself is locked");
    const file = `${dataDir}/operator-recovery`;
    const code = Deno.readTextFileSync(file).trim();
    assert.match(code, /^[0-9]{12}$/);
    assert.is(Deno.statSync(file).mode! & 0o777, 0o600, "owner-only: another user's process cannot read it");
    assert.is(lines.filter((l) => l.includes(code)).length, 1, "printed once on the kiosk's terminal");
    assert.is((await tryPin(kiosk.port, code)).role, "operator");
    const rows = JSON.stringify(kiosk.store.auditLog({ limit: 100 }));
    assert.not.ok(rows.includes(code) || rows.includes("482916"), "neither the code nor the PIN is audited");
  } finally {
    await kiosk.shutdown();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});

test.run();
