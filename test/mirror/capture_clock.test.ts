/** Camera frame timestamps → page clock: the offset learned from arrivals never dates a frame after it arrived. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { createCaptureClock } from "../../kiosk/ui/vision/camera_frames.ts";

test("with a constant true offset, the mapping converges to capture time plus the shortest delivery delay", () => {
  // Page clock = capture clock − 5000 ms; frames 33 ms apart arrive 1.5..9 ms after capture.
  const clock = createCaptureClock();
  const delays = [9, 4, 6, 1.5, 7, 3, 8, 2];
  const got: number[] = [];
  delays.forEach((delay, i) => {
    const captured = 100 + i * 33; // page clock
    got.push(clock.capturedAt((captured + 5000) * 1000, captured + delay));
  });
  // After the 1.5 ms arrival, every frame is dated 1.5 ms after its true capture.
  for (let i = 3; i < delays.length; i++) {
    assert.ok(Math.abs(got[i]! - (100 + i * 33 + 1.5)) < 1e-6, `frame ${i}`);
  }
  // Before it, the bound was looser (the first frame is dated at its arrival).
  assert.ok(Math.abs(got[0]! - (100 + 9)) < 1e-6);
  assert.ok(Math.abs(clock.offsetMs - (5000 - 1.5)) < 1e-6);
});

test("property: a frame is never dated after it arrived nor before it was captured", () => {
  fc.assert(fc.property(
    fc.double({ min: -1e9, max: 1e9, noNaN: true }),
    fc.array(
      fc.record({
        gap: fc.double({ min: 1, max: 100, noNaN: true }),
        delay: fc.double({ min: 0, max: 80, noNaN: true }),
      }),
      {
        minLength: 1,
        maxLength: 50,
      },
    ),
    (offset, frames) => {
      const clock = createCaptureClock();
      let captured = 0;
      for (const { gap, delay } of frames) {
        captured += gap;
        const arrived = captured + delay;
        const at = clock.capturedAt((captured + offset) * 1000, arrived);
        assert.ok(at <= arrived + 1e-6, `dated ${at} after arrival ${arrived}`);
        assert.ok(at >= captured - 1e-6, `dated ${at} before capture ${captured}`);
      }
    },
  ));
});

test.run();
