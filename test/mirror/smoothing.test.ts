/** One Euro filter and the probe-point smoother: still points stay put, jitter shrinks, tracks keep identity. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { createOneEuroFilter, createUvSmoother } from "../../core/geometry/mod.ts";

// Deterministic noise in [-1, 1].
const noise = (i: number) => {
  const s = Math.sin(i * 12.9898) * 43758.5453;
  return 2 * (s - Math.floor(s)) - 1;
};

test("a constant signal passes through unchanged", () => {
  fc.assert(fc.property(fc.double({ min: -10, max: 10, noNaN: true }), (c) => {
    const f = createOneEuroFilter({ minCutoff: 1, beta: 1 });
    for (let i = 0; i < 60; i++) if (Math.abs(f.filter(c, i * 33) - c) > 1e-9) return false;
    return true;
  }));
});

test("output stays within the range of its inputs", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 80 }),
      (xs) => {
        const f = createOneEuroFilter({ minCutoff: 1.5, beta: 2 });
        const lo = Math.min(...xs), hi = Math.max(...xs);
        return xs.every((x, i) => {
          const y = f.filter(x, i * 33);
          return y >= lo - 1e-12 && y <= hi + 1e-12;
        });
      },
    ),
  );
});

test("jitter on a still probe shrinks at least threefold", () => {
  const f = createOneEuroFilter({ minCutoff: 1.5, beta: 2 });
  let inVar = 0, outVar = 0;
  for (let i = 0; i < 300; i++) {
    const x = 0.5 + 0.003 * noise(i);
    const y = f.filter(x, i * 33.3);
    if (i >= 30) (inVar += (x - 0.5) ** 2), (outVar += (y - 0.5) ** 2);
  }
  assert.ok(outVar * 3 < inVar, `in ${inVar} out ${outVar}`);
});

test("a higher beta follows a fast stroke more closely", () => {
  const run = (beta: number) => {
    const f = createOneEuroFilter({ minCutoff: 1.5, beta });
    let y = 0;
    for (let i = 0; i <= 30; i++) y = f.filter(i * 0.01, i * 33.3); // 0.3 UV/s glide
    return 0.3 - y;
  };
  assert.ok(run(5) < run(0.5));
  assert.ok(run(0.5) < run(0));
});

test("time that does not advance returns the previous output", () => {
  const f = createOneEuroFilter();
  f.filter(1, 0);
  const a = f.filter(2, 33);
  assert.is(f.filter(5, 33), a);
});

test("bad parameters are named", () => {
  assert.throws(() => createOneEuroFilter({ minCutoff: 0 }), /"minCutoff"/);
  assert.throws(() => createOneEuroFilter({ beta: -1 }), /"beta"/);
});

test("two probe points keep their identity when reported in swapped order", () => {
  const s = createUvSmoother();
  s.smooth([{ u: 0.2, v: 0.5 }, { u: 0.8, v: 0.5 }], 0);
  const out = s.smooth([{ u: 0.81, v: 0.5 }, { u: 0.21, v: 0.5 }], 33);
  assert.ok(out[0]!.u > 0.79 && out[0]!.u <= 0.81, JSON.stringify(out));
  assert.ok(out[1]!.u > 0.19 && out[1]!.u <= 0.21, JSON.stringify(out));
});

test("a probe that reappears after a gap starts where it is seen, not gliding from the old place", () => {
  const s = createUvSmoother();
  s.smooth([{ u: 0.2, v: 0.5 }], 0);
  s.smooth([], 33);
  const [p] = s.smooth([{ u: 0.25, v: 0.55 }], 400);
  assert.equal(p, { u: 0.25, v: 0.55 });
});

test("a jump larger than maxJump starts a new track instead of smoothing across it", () => {
  const s = createUvSmoother({ maxJump: 0.05 });
  s.smooth([{ u: 0.2, v: 0.5 }], 0);
  const [p] = s.smooth([{ u: 0.6, v: 0.5 }], 33);
  assert.equal(p, { u: 0.6, v: 0.5 });
});

test.run();
