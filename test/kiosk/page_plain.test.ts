/** The person's view in plain words (limits as reasons, states, zone names, strength words), the calibration checklist and the frame message's contact and time. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import type { LimitReason } from "../../core/engine/types.ts";
import { defaultZoneMap } from "../../core/zones/mod.ts";
import { calibrate, contactCheck, MORE_GEL_OHM, moreGelNeeded } from "../../kiosk/ui/calibration.ts";
import { comfortText, comfortWord } from "../../kiosk/ui/comfort.ts";
import { readFrameExtras } from "../../kiosk/ui/connection.ts";
import { isZoneId, zoneName } from "../../kiosk/ui/i18n/zones.ts";
import { onboardedMessage, screenAfterProfile } from "../../kiosk/ui/onboarding.ts";
import { limitText, PLAIN_LIMITS, stateText } from "../../kiosk/ui/plain_words.ts";

const LIMITS: LimitReason[] = [...PLAIN_LIMITS, "keep-out:eye-left", "keep-out:lips", "keep-out:neck-front"];

test("limits read as reasons: no ids, no units, no dashes, a different text per reason in each language", () => {
  for (const lang of ["en", "es"] as const) {
    const texts = LIMITS.map((l) => limitText(l, lang));
    for (const [i, text] of texts.entries()) {
      assert.not.match(text, /µA|Hz|-|keep-out|_/, `${LIMITS[i]} in ${lang}: ${text}`);
      assert.ok(text.length > 3, `${LIMITS[i]}: ${text}`);
    }
    assert.is(new Set(texts).size, texts.length, `each reason its own words: ${texts}`);
  }
  assert.is(limitText("keep-out:eye-left", "en"), "Lift away from the eyes");
  assert.is(limitText("keep-out:eye-right", "en"), "Lift away from the eyes");
  assert.is(limitText("no-contact", "en"), "Probes not touching the skin");
  assert.is(limitText("no-contact", "es"), "Las sondas no tocan la piel");
  assert.is(limitText("excluded:masseter-left", "en"), "You skip this area (masseter left)");
  assert.is(limitText("excluded:cheek-right", "es"), "Usted omite esta zona (mejilla izquierda)");
  assert.is(limitText("something-new", "en"), "Output held lower");
  assert.is(stateText("running", "es"), "En curso");
  assert.is(stateText("nonsense", "en"), "Not started");
});

test("every zone of the shipped map has a name people use, the person's own side (a -left zone is their right)", () => {
  for (const z of defaultZoneMap.zones) {
    assert.ok(isZoneId(z.id), `${z.id} has a name`);
    for (const lang of ["en", "es"] as const) assert.not.match(zoneName(z.id, lang), /-/, z.id);
  }
  assert.is(zoneName("cheek-left", "en"), "right cheek");
  assert.is(zoneName("cheek-right", "es"), "mejilla izquierda");
  assert.is(zoneName("masseter-left", "en"), "masseter left", "an unknown vendor zone reads without dashes");
});

test("strength words: 1–3 gentle, 4–7 medium, 8–10 strong", () => {
  const words = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(comfortWord);
  assert.equal(words, [
    "gentle",
    "gentle",
    "gentle",
    "medium",
    "medium",
    "medium",
    "medium",
    "strong",
    "strong",
    "strong",
  ]);
  assert.is(comfortText(2, "es"), "suave");
  assert.throws(() => comfortWord(NaN), (e: unknown) => e instanceof RangeError);
});

test("contact check: ok, more gel above the threshold, none in a live session without contact, else pending", () => {
  const on = (impedanceOhm: number | null) => ({ on: true, impedanceOhm });
  const table: [
    string | undefined,
    ReturnType<typeof on> | { on: false; impedanceOhm: null } | null,
    boolean,
    string,
  ][] = [
    ["zone", on(4200), true, "ok"],
    ["zone", on(MORE_GEL_OHM + 1), true, "more-gel"],
    ["zone", on(MORE_GEL_OHM), true, "ok"],
    ["no-contact", on(4200), true, "none"],
    ["zone", { on: false, impedanceOhm: null }, true, "none"],
    ["zone", null, true, "none"],
    ["idle", null, false, "pending"],
    ["idle", { on: false, impedanceOhm: null }, false, "pending"],
    ["idle", on(4200), false, "ok"],
    ["idle", on(30_000), false, "more-gel"],
    ["zone", on(null), true, "ok"],
  ];
  for (const [limit, contact, live, want] of table) {
    assert.is(contactCheck(limit, contact, live), want, JSON.stringify([limit, contact, live]));
  }
  assert.not.ok(moreGelNeeded(null));
  assert.not.ok(moreGelNeeded({ on: false, impedanceOhm: 90_000 }));
});

test("calibration: Start waits for the face, then the probe; the checklist is complete once face, probe and contact are", () => {
  const base = { faceSeen: true, probeSeen: true, contact: "ok" as const, comfortChosen: true };
  assert.equal(calibrate(base), {
    face: true,
    probe: true,
    contact: true,
    comfort: true,
    missing: null,
    complete: true,
  });
  assert.is(calibrate({ ...base, faceSeen: false, probeSeen: false }).missing, "face");
  assert.is(calibrate({ ...base, probeSeen: false }).missing, "probe");
  const pending = calibrate({ ...base, contact: "pending", comfortChosen: false });
  assert.is(pending.missing, null, "contact and strength do not hold Start back");
  assert.not.ok(pending.complete);
  assert.ok(
    calibrate({ ...base, comfortChosen: false }).complete,
    "a strength has a default: no need to wait",
  );
  assert.not.ok(calibrate({ ...base, contact: "more-gel" }).complete);
});

test("the frame message's contact and stimulation time are read only when well formed", () => {
  assert.equal(
    readFrameExtras({
      contact: { on: true, impedanceOhm: 4200 },
      stimulationMs: 1500,
      stimulationLimitMs: 1_200_000,
    }),
    { contact: { on: true, impedanceOhm: 4200 }, stimulation: { ms: 1500, limitMs: 1_200_000 } },
  );
  assert.equal(readFrameExtras({ contact: { on: false, impedanceOhm: null } }).contact, {
    on: false,
    impedanceOhm: null,
  });
  fc.assert(
    fc.property(fc.anything(), fc.anything(), fc.anything(), (contact, ms, limitMs) => {
      const { contact: c, stimulation: s } = readFrameExtras({
        contact,
        stimulationMs: ms,
        stimulationLimitMs: limitMs,
      });
      if (c !== null) {
        assert.type(c.on, "boolean");
        assert.ok(c.impedanceOhm === null || (Number.isFinite(c.impedanceOhm) && c.impedanceOhm >= 0));
      }
      if (s !== null) {
        assert.ok(Number.isFinite(s.ms) && s.ms >= 0 && Number.isFinite(s.limitMs) && s.limitMs >= 0);
      }
    }),
  );
});

test("after a profile is chosen the guide shows only until it is done; done, it is remembered for that profile", () => {
  assert.is(screenAfterProfile({ id: "p1", onboarded: false }), "onboarding");
  assert.is(screenAfterProfile({ id: "p1", onboarded: true }), "session");
  assert.is(screenAfterProfile(null), "session");
  assert.equal(onboardedMessage({ id: "p1" }), { type: "profile-update", id: "p1", onboarded: true });
  assert.is(onboardedMessage(null), null);
});

test.run();
