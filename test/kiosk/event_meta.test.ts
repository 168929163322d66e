/** What travels with an event (source, consent, estop reason) reaches the record with that event, never from the side. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createWsHub, type HubSocket } from "../../kiosk/server/mod.ts";
import { createRecorder } from "../../kiosk/session/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { fakeRunner, NO } from "./_fixtures.ts";

function fakeSocket(): HubSocket & { sent: Record<string, unknown>[] } {
  const sent: Record<string, unknown>[] = [];
  return { sent, send: (text) => void sent.push(JSON.parse(text)), close() {} };
}

test("a page's consent given with a refused start is not recorded as the consent of the next start from elsewhere", () => {
  const { runner, clock } = fakeRunner();
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-meta-" }));
  let ids = 0;
  const recorder = createRecorder(store, { newId: () => `sess-${++ids}` });
  runner.observe(recorder);
  const hub = createWsHub(runner, { recorder });
  const page = fakeSocket();
  hub.open(page);
  runner.start();
  const start = {
    type: "start",
    routine: "no-such-routine",
    comfort: 5,
    screening: NO,
    consent: true,
    by: "Ana",
  };
  hub.message(page, JSON.stringify(start));
  assert.is(page.sent.at(-1)!.field, "routine", "the engine refused the start");
  // A start that brings no consent of its own (a test of the device, a tool): its record must say so.
  runner.submit({ type: "start", routine: "free", comfort: 5, screening: NO }, "runner");
  clock.advance(40);
  assert.equal(
    store.screenings("sess-1").map((s) => [s.consent, s.consentBy]),
    [[false, null]],
    "Ana's consent belonged to her refused start",
  );
  runner.submit({ type: "end" }, "runner");
  clock.advance(40);
  hub.message(page, JSON.stringify({ ...start, routine: "free" }));
  assert.is(page.sent.at(-1)!.type, "ack");
  clock.advance(40);
  assert.equal(store.screenings("sess-2").map((s) => [s.consent, s.consentBy]), [[true, "Ana"]]);
  store.dispose();
});

test.run();
