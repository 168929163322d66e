/** The station's idle rules (kiosk/ui/idle.ts): where a page opens, where a touch on attract leads, when it returns and forgets; a live session is never interrupted. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  IDLE_RETURN_MS,
  type IdleEvent,
  idleStep,
  initialScreen,
  screenAfterAttract,
} from "../../kiosk/ui/idle.ts";
import type { Screen } from "../../kiosk/ui/journey.ts";

const SCREENS: Screen[] = ["attract", "profiles", "onboarding", "session", "summary", "history", "staff"];

const screenArb = fc.constantFrom(...SCREENS);
const eventArb: fc.Arbitrary<IdleEvent> = fc.oneof(
  fc.record({ type: fc.constant("touch" as const), registered: fc.subarray(SCREENS) }),
  fc.record({ type: fc.constant("quiet" as const), ms: fc.nat(3 * IDLE_RETURN_MS) }),
  fc.constant({ type: "visit-over" as const }),
  fc.constant({ type: "session-ended" as const }),
);

test("a page opens on the attract screen", () => {
  assert.is(initialScreen(), "attract");
});

test("a touch on attract goes to the profile chooser where the page has one, else to the session", () => {
  assert.is(screenAfterAttract(["attract", "staff"]), "session");
  assert.is(screenAfterAttract(["attract", "profiles", "staff"]), "profiles");
  assert.equal(idleStep({ screen: "attract", live: false }, { type: "touch", registered: ["attract"] }), {
    screen: "session",
    forget: false,
  });
  assert.equal(
    idleStep({ screen: "session", live: false }, { type: "touch", registered: ["profiles"] }),
    { screen: "session", forget: false },
    "a touch elsewhere changes nothing",
  );
});

test("after the idle time without input at a screen with no live session the station returns to attract and forgets", () => {
  for (const screen of ["session", "summary", "history", "profiles", "onboarding", "staff"] as const) {
    assert.equal(idleStep({ screen, live: false }, { type: "quiet", ms: IDLE_RETURN_MS }), {
      screen: "attract",
      forget: true,
    }, screen);
    assert.equal(idleStep({ screen, live: false }, { type: "quiet", ms: IDLE_RETURN_MS - 1 }), {
      screen,
      forget: false,
    }, `${screen}: not before the idle time`);
  }
  assert.equal(
    idleStep({ screen: "summary", live: false }, { type: "quiet", ms: 10_000 }, { idleMs: 10_000 }),
    { screen: "attract", forget: true },
    "the idle time is an option",
  );
});

test("a closed summary ends the visit at once; a session that ends behind the attract screen forgets its person", () => {
  assert.equal(idleStep({ screen: "summary", live: false }, { type: "visit-over" }), {
    screen: "attract",
    forget: true,
  });
  assert.equal(idleStep({ screen: "attract", live: false }, { type: "session-ended" }), {
    screen: "attract",
    forget: true,
  });
  assert.equal(idleStep({ screen: "session", live: false }, { type: "session-ended" }), {
    screen: "session",
    forget: false,
  }, "the person who just finished sees how it ended");
});

test("a live session is never interrupted: whatever happens, nothing moves and nothing is forgotten", () => {
  fc.assert(
    fc.property(screenArb, eventArb, (screen, event) => {
      const step = idleStep({ screen, live: true }, event);
      return step.screen === screen && !step.forget;
    }),
  );
});

test("every return to attract forgets the person, and nothing is forgotten without one", () => {
  fc.assert(
    fc.property(screenArb, eventArb, (screen, event) => {
      const step = idleStep({ screen, live: false }, event);
      if (step.forget) return step.screen === "attract";
      return !(step.screen === "attract" && screen !== "attract");
    }),
  );
});

test("quiet shorter than the idle time never moves the journey", () => {
  fc.assert(
    fc.property(screenArb, fc.boolean(), fc.nat(IDLE_RETURN_MS - 1), (screen, live, ms) => {
      const step = idleStep({ screen, live }, { type: "quiet", ms });
      return step.screen === screen && !step.forget;
    }),
  );
});

test.run();
