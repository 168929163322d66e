/**
 * A client's history across two real salon stations and one real PostgreSQL: a session at station A, the client
 * code at station B shows it (and B's own session once); B takes A's exclusions and ceiling; with the central
 * store stopped and B restarted, B still shows the cached copy and says when it was pulled.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Kiosk, type KioskOptions, startKiosk } from "../../kiosk/mod.ts";
import { createSummaryAccumulator } from "../../core/session/mod.ts";
import { createNullSink } from "../kiosk/_null_sink.ts";
import { type Central, startCentral } from "./_central.ts";
import type { StationCredential } from "../../kiosk/central/mod.ts";

type Msg = Record<string, unknown>;
const DAY = 86_400_000;

/** A page socket on a kiosk: sends messages, and waits for the next one of a type. */
async function pageSocket(port: number) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
    headers: { origin: `http://127.0.0.1:${port}` },
  } as unknown as string[]);
  const inbox: Msg[] = [];
  let wake = () => {};
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data));
    if (m.type !== "frame") inbox.push(m), wake();
  };
  await new Promise((r, j) => ((ws.onopen = r), (ws.onerror = () => j(new Error("socket failed")))));
  const closed = new Promise((r) => (ws.onclose = r));
  return {
    send: (m: Msg) => ws.send(JSON.stringify(m)),
    /** The next message of `type` (or an error about it); throws after a guard (not a timing check). */
    async next(type: string, guardMs = 30_000): Promise<Msg> {
      const end = Date.now() + guardMs;
      for (;;) {
        const i = inbox.findIndex((m) => m.type === type || (m.type === "error" && m.of === type));
        if (i >= 0) return inbox.splice(i, 1)[0]!;
        if (Date.now() > end) throw new Error(`no ${type} message: ${JSON.stringify(inbox)}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 100);
        });
      }
    },
    async close() {
      ws.close();
      await closed;
    },
  };
}

function station(
  central: Central,
  s: StationCredential,
  dataDir: string,
  log: (line: string) => void = () => {},
): Promise<Kiosk> {
  const options: KioskOptions = {
    port: 0,
    buildUi: false,
    dataDir,
    station: "salon",
    sink: createNullSink(),
    operatorPin: "2468",
    log,
    central: central.setting(s),
    centralOptions: { intervalMs: 100, maxBackoffMs: 500, timeoutMs: 2000 },
  };
  return startKiosk(options);
}

/** A finished session with output, recorded in `kiosk`'s own store for `profileId` (as its recorder writes one). */
function recordSession(kiosk: Kiosk, id: string, profileId: string, startedAt: number): void {
  kiosk.store.startSession({ id, routine: "express-lift", startedAt, comfort: 5, profileId });
  kiosk.store.endSession(id, {
    endedAt: startedAt + 600_000,
    endReason: "completed",
    stimulationMs: 540_000,
    maxCurrentUa: 180,
  });
  kiosk.store.saveSummary(id, createSummaryAccumulator().snapshot("completed"));
}

test("the client code at station B shows station A's session, once each, and keeps showing it with the central store down", async () => {
  const central = await startCentral([["salon-a", "a-1"], ["salon-a", "b-2"]]);
  const [a1, b2] = central.stations as [StationCredential, StationCredential];
  const dirA = Deno.makeTempDirSync({ prefix: "gp-hist-a-" });
  const dirB = Deno.makeTempDirSync({ prefix: "gp-hist-b-" });
  const kiosks: Kiosk[] = [];
  const now = Date.now();
  try {
    // Station A: the client's first visit, with a zone to skip and a ceiling.
    const a = await station(central, a1, dirA);
    kiosks.push(a);
    const pageA = await pageSocket(a.port);
    pageA.send({ type: "client-code", code: "k7q2", language: "es" });
    const atA = (await pageA.next("profile")).profile as Msg;
    pageA.send({ type: "profile-update", id: atA.id, exclusions: ["chin"], maxComfort: 6 });
    await pageA.next("profile");
    recordSession(a, "visit-a", String(atA.id), now - 2 * DAY);
    await a.replicator!.flush();
    await pageA.close();

    // Station B: the same code, new here.
    let b = await station(central, b2, dirB);
    kiosks.push(b);
    let pageB = await pageSocket(b.port);
    pageB.send({ type: "client-code", code: "K7Q2" });
    const first = (await pageB.next("profile")).profile as Msg;
    assert.equal([first.name, first.exclusions], ["K7Q2", []], "answered before the salon's copy");
    const adopted = (await pageB.next("profile")).profile as Msg;
    assert.equal([adopted.id, adopted.exclusions, adopted.maxComfort, adopted.language], [
      first.id,
      ["chin"],
      6,
      "es",
    ]);
    // B's own session, replicated, then the code entered again: the history lists each session once.
    recordSession(b, "visit-b", String(first.id), now - DAY);
    await b.replicator!.flush();
    pageB.send({ type: "profile-leave" });
    await pageB.next("profile");
    pageB.send({ type: "client-code", code: "K7Q2" });
    await pageB.next("profile");
    let pulledAt = 0;
    for (let i = 0; i < 100 && pulledAt === 0; i++) {
      const cached = b.store.centralHistory(String(first.id));
      if (cached?.sessions.some((s) => s.item.id === "visit-b")) pulledAt = cached.pulledAt;
      else await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(pulledAt > 0, "the second pull has B's own session back from the central store");
    pageB.send({ type: "history", utcOffsetMin: 0 });
    const history = await pageB.next("history");
    assert.equal((history.sessions as Msg[]).map((s) => [s.id, s.station]), [
      ["visit-b", null],
      ["visit-a", "a-1"],
    ]);
    assert.is((history.schedule as Msg).sessions, 2, "the plan counts both stations' sessions");
    assert.equal(history.central, { pulledAt });
    await pageB.close();

    // The central store goes away; B is restarted and still shows the cached copy, with its age.
    await central.cluster.stop("fast");
    await b.shutdown();
    kiosks.pop();
    const lines: string[] = [];
    b = await station(central, b2, dirB, (l) => void lines.push(l));
    kiosks.push(b);
    pageB = await pageSocket(b.port);
    pageB.send({ type: "client-code", code: "K7Q2" });
    assert.is(((await pageB.next("profile")).profile as Msg).id, first.id);
    pageB.send({ type: "history", utcOffsetMin: 0 });
    const offline = await pageB.next("history");
    assert.equal((offline.sessions as Msg[]).map((s) => [s.id, s.station]), [
      ["visit-b", null],
      ["visit-a", "a-1"],
    ]);
    assert.equal(offline.central, { pulledAt });
    for (let i = 0; i < 200 && !lines.some((l) => l.includes("client K7Q2 not pulled")); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(lines.some((l) => l.includes("client K7Q2 not pulled")), lines.join("\n"));
    await pageB.close();
  } finally {
    for (const k of kiosks) await k.shutdown();
    await central.dispose();
  }
});

test.run();
