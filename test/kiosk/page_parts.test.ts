import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { CONTRAINDICATIONS } from "../../core/engine/envelope.ts";
import { createEstopTracker, reconnectDelayMs } from "../../kiosk/ui/estop_delivery.ts";
import { stopReason } from "../../kiosk/ui/stop_reason.ts";
import { SCREENING } from "../../kiosk/ui/i18n/screening.ts";
import {
  SCREENING_LABELS,
  type ScreeningAnswers,
  screeningComplete,
  screeningContraindicated,
  screeningPayload,
} from "../../kiosk/ui/screening.ts";

test("every contraindication has a plain-language question in each language and nothing else does", () => {
  assert.equal(Object.keys(SCREENING_LABELS).sort(), [...CONTRAINDICATIONS].sort());
  assert.equal(Object.keys(SCREENING.es).sort(), [...CONTRAINDICATIONS].sort());
  for (const key of CONTRAINDICATIONS) {
    assert.ok(SCREENING_LABELS[key].endsWith("?"), key);
    assert.ok(/^¿.*\?$/.test(SCREENING.es[key] ?? ""), `${key} in Spanish: ${SCREENING.es[key]}`);
  }
});

test("screening is complete only when every question has an explicit yes or no, and the payload never defaults", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(true, false, undefined), {
        minLength: CONTRAINDICATIONS.length,
        maxLength: CONTRAINDICATIONS.length,
      }),
      (values) => {
        const answers: ScreeningAnswers = {};
        CONTRAINDICATIONS.forEach((q, i) => {
          if (values[i] !== undefined) answers[q] = values[i];
        });
        const complete = values.every((v) => v !== undefined);
        assert.is(screeningComplete(answers), complete);
        assert.is(screeningContraindicated(answers), values.includes(true));
        if (complete) {
          const payload = screeningPayload(answers);
          assert.equal(Object.keys(payload).sort(), [...CONTRAINDICATIONS].sort());
          CONTRAINDICATIONS.forEach((q, i) => assert.is(payload[q], values[i]));
        } else {
          const missing = CONTRAINDICATIONS[values.indexOf(undefined)]!;
          assert.throws(() => screeningPayload(answers), (e: Error) => e.message.includes(`"${missing}"`));
        }
      },
    ),
  );
});

function fakeSocket() {
  const sent: unknown[] = [];
  let open = false;
  return {
    sent,
    set open(v: boolean) {
      open = v;
    },
    send: (m: Record<string, unknown>) => {
      if (!open) return false;
      sent.push(m);
      return true;
    },
  };
}

test("an estop pressed while disconnected is shown undelivered, sent on reconnect, delivered only after a stop frame", () => {
  const socket = fakeSocket();
  const seen: string[] = [];
  const estop = createEstopTracker(socket.send, { onChange: (s) => seen.push(s) });
  estop.press();
  assert.is(estop.status, "undelivered");
  assert.equal(socket.sent, []);
  estop.frame({ currentUa: 0, limit: "stale-tracking" });
  assert.is(estop.status, "undelivered", "a frame before the stop went out proves nothing");
  socket.open = true;
  estop.opened();
  assert.equal(socket.sent, [{ type: "estop" }]);
  assert.is(estop.status, "sent");
  estop.frame({ currentUa: 120, limit: "zone" });
  assert.is(estop.status, "sent", "a frame still carrying current is not a confirmation");
  estop.frame({ currentUa: 0, limit: "estop" });
  assert.is(estop.status, "delivered");
  assert.equal(seen, ["undelivered", "sent", "delivered"]);
});

test("an estop sent but not confirmed before the socket drops is resent on reconnect", () => {
  const socket = fakeSocket();
  socket.open = true;
  const estop = createEstopTracker(socket.send);
  estop.press();
  assert.is(estop.status, "sent");
  socket.open = false;
  estop.closed();
  assert.is(estop.status, "undelivered");
  socket.open = true;
  estop.opened();
  assert.equal(socket.sent, [{ type: "estop" }, { type: "estop" }]);
  estop.frame({ currentUa: 0, limit: "no-contact" });
  assert.is(estop.status, "sent", "0 µA is not the stop: that frame may have left before it arrived");
  estop.frame({ currentUa: 0, limit: "estop" });
  assert.is(estop.status, "delivered");
  estop.closed();
  assert.is(estop.status, "delivered", "a confirmed stop stays confirmed");
  estop.clear();
  assert.is(estop.status, "idle");
});

test("a delivered stop lasts while frames name the latch, through a new start, and ends when a frame shows it reset", () => {
  const socket = fakeSocket();
  socket.open = true;
  const estop = createEstopTracker(socket.send);
  estop.press();
  estop.frame({ currentUa: 0, limit: "estop" });
  assert.is(estop.status, "delivered");
  // End and a new start: the engine keeps the latch, and so does the button.
  estop.frame({ currentUa: 0, limit: "estop" });
  assert.is(estop.status, "delivered");
  // The operator reset it (from this page or another): the next frame no longer names it.
  estop.frame({ currentUa: 0, limit: "paused" });
  assert.is(estop.status, "idle");
});

test("reconnect backs off from 250 ms to 5 s, and never waits more than 500 ms with a stop pending", () => {
  assert.equal([0, 1, 2, 3, 4, 5, 10].map((a) => reconnectDelayMs(a, false)), [
    250,
    500,
    1000,
    2000,
    4000,
    5000,
    5000,
  ]);
  fc.assert(
    fc.property(fc.nat(100), (a) => reconnectDelayMs(a, true) <= 500 && reconnectDelayMs(a, false) <= 5000),
  );
});

test("a stop because records cannot be saved is explained in plain words; other faults say ask staff", () => {
  const failing = {
    state: "failing" as const,
    reason: "store: database or disk is full",
    since: "2026-01-01T00:00:00Z",
  };
  assert.is(
    stopReason("device-fault", failing),
    "Stopped: the session record cannot be saved (database or disk is full). Ask staff.",
  );
  assert.is(stopReason("device-fault", { state: "ok" }), "Stopped: the device reported a fault. Ask staff.");
  assert.is(stopReason("device-fault", null), "Stopped: the device reported a fault. Ask staff.");
  assert.is(stopReason("zone", failing), null, "nothing to explain while output is not stopped by a fault");
  assert.is(
    stopReason("device-fault", failing, "es"),
    "Detenido: no se puede guardar el registro de la sesión (database or disk is full). Avise al personal.",
  );
});

test.run();
