/** Camera frame timestamps → page clock: the offset learned from arrivals never dates a frame after it arrived. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { CLOCK_WINDOW_MS, createCaptureClock } from "../../kiosk/ui/vision/camera_frames.ts";

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
        assert.ok(at <= arrived, `dated ${at} after arrival ${arrived}`);
        assert.ok(at >= captured - 1e-6, `dated ${at} before capture ${captured}`);
      }
    },
  ));
});

test("timestamps that jump back (a restarted track) are followed at once, not dated seconds before arrival", () => {
  const clock = createCaptureClock();
  for (let i = 0; i < 10; i++) clock.capturedAt((1_000_000 + i * 33) * 1000, 100 + i * 33 + 2);
  // The track restarts: its timestamps begin again near 0, the page clock goes on.
  const arrived = 100 + 10 * 33 + 2;
  const at = clock.capturedAt(5_000 * 1000, arrived);
  assert.ok(arrived - at < 1e-6, `dated ${arrived - at} ms before arrival`);
  const next = clock.capturedAt((5_000 + 33) * 1000, arrived + 33 + 1.5);
  assert.ok(Math.abs(next - (arrived + 33)) < 1e-6, `next frame dated ${next}`);
});

test("a camera clock running slow against the page's is followed within the window", () => {
  // 1,000 ppm slow: after a minute the frames' timestamps lag the page clock by 60 ms.
  const clock = createCaptureClock();
  let worst = 0;
  for (let t = 0; t <= 60_000; t += 33) {
    const captured = t; // page clock
    const stamp = (captured * (1 - 1e-3) + 7_000) * 1000;
    const at = clock.capturedAt(stamp, captured + 2);
    if (t > CLOCK_WINDOW_MS) worst = Math.max(worst, Math.abs(at - captured));
  }
  // Within the window the drift adds at most 1,000 ppm × 10 s = 10 ms; an all-time bound would be 60 ms off.
  assert.ok(worst <= 2 + 10 + 1e-6, `worst dating error ${worst} ms`);
});

test.run();
