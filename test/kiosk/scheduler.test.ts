import { test } from "uvu";
import * as assert from "uvu/assert";
import { createScheduler, percentile, type TickInfo } from "../../kiosk/session/mod.ts";
import { createFakeClock, type FakeClock } from "./_fake_clock.ts";

/** A scheduler on `clock` that records every tick it runs, started. */
function started(clock: FakeClock) {
  const ticks: TickInfo[] = [];
  const s = createScheduler((i) => ticks.push(i), { clock });
  s.start();
  return { ticks, s };
}

test("scheduler ticks on fixed 20 ms slots from start", () => {
  const clock = createFakeClock(500);
  const { ticks, s } = started(clock);
  clock.advance(100);
  assert.equal(ticks.map((t) => t.scheduledAt), [520, 540, 560, 580, 600]);
  assert.equal(ticks.map((t) => t.index), [1, 2, 3, 4, 5]);
  s.dispose();
});

test("late timers do not accumulate drift: slots stay at start + n × period", () => {
  const clock = createFakeClock(0);
  clock.lateMs = 3;
  const { ticks, s } = started(clock);
  clock.advance(1000);
  assert.ok(ticks.length >= 49, `expected ~50 ticks, got ${ticks.length}`);
  ticks.forEach((t, n) => assert.is(t.scheduledAt, (n + 1) * 20));
  const st = s.stats();
  assert.ok(Math.abs(st.p50 - 3) < 1e-9, `p50 lateness ${st.p50}`);
  assert.ok(Math.abs(st.max - 3) < 1e-9);
  s.dispose();
});

test("a blocked loop skips missed slots instead of bursting them", () => {
  const clock = createFakeClock(0);
  const { ticks, s } = started(clock);
  clock.advance(40);
  assert.is(ticks.length, 2);
  clock.block(105); // loop frozen: now 145, slots 60..140 missed
  clock.advance(1);
  assert.is(ticks.length, 3, "one tick after the block, not a burst");
  assert.is(ticks[2]!.scheduledAt, 140);
  assert.is(ticks[2]!.skipped, 4);
  clock.advance(20);
  assert.is(ticks[3]!.scheduledAt, 160);
  assert.is(s.stats().skipped, 4);
  assert.is(s.stats().max, 85, "the block shows in full: 145 - 60");
  s.dispose();
});

test("a tick that throws is reported and the scheduler keeps ticking", () => {
  const clock = createFakeClock();
  const errors: unknown[] = [];
  let n = 0;
  const s = createScheduler(() => {
    if (++n === 2) throw new Error("boom");
  }, { clock, onError: (e) => errors.push(e) });
  s.start();
  clock.advance(100);
  assert.is(n, 5);
  assert.is(errors.length, 1);
  s.dispose();
});

test("stop cancels the pending timer and no tick runs after it", () => {
  const clock = createFakeClock();
  let n = 0;
  const s = createScheduler(() => n++, { clock });
  s.start();
  clock.advance(50);
  s.stop();
  assert.is(clock.pending, 0);
  clock.advance(200);
  assert.is(n, 2);
  assert.not.ok(s.running);
});

test("scheduler refuses a non-positive period and a spin longer than the period", () => {
  assert.throws(() => createScheduler(() => {}, { periodMs: 0 }), /periodMs/);
  assert.throws(() => createScheduler(() => {}, { periodMs: 20, spinMs: 20 }), /spinMs/);
});

test("a disposed scheduler cannot be started again", () => {
  const s = createScheduler(() => {}, { clock: createFakeClock() });
  s.dispose();
  assert.throws(() => s.start(), /disposed/);
});

test("percentile picks nearest-rank values", () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.is(percentile(xs, 0.5), 50);
  assert.is(percentile(xs, 0.99), 99);
  assert.is(percentile([], 0.5), 0);
});

test.run();
