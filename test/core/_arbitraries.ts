/** Shared pieces of the engine's property tests: the shipped routines, the oracle's polygon test, event arbitraries. */
import fc from "fast-check";
import type { EngineEvent, UvPoint } from "../../core/engine/mod.ts";
import { parseRoutineFile } from "../../kiosk/routines/mod.ts";

/** The shipped routines (plugins/routines-core), read as the kiosk reads them. */
export const routines = parseRoutineFile(
  await Deno.readTextFile("plugins/routines-core/routines.json"),
  "routines.json",
);

/** A polygon of models/zones.json: [u, v] corners. */
export type Poly = number[][];

/**
 * The tests' own point-in-polygon (even-odd rule), written independently of core/zones (no bounding boxes, no
 * early exits), so an oracle built on it does not share the code it checks.
 */
export function inside(poly: Poly, u: number, v: number): boolean {
  let crossings = 0;
  for (let i = 0; i < poly.length; i++) {
    const [u1, v1] = poly[i]!, [u2, v2] = poly[(i + 1) % poly.length]!;
    if ((v1! > v) !== (v2! > v) && u < u1! + ((v - v1!) / (v2! - v1!)) * (u2! - u1!)) crossings++;
  }
  return crossings % 2 === 1;
}

/** An engine event without its time: `dt` ms after the event before it. */
export type Draft = EngineEvent extends infer E
  ? (E extends EngineEvent ? Omit<E, "t"> & { dt: number } : never)
  : never;

/**
 * Points: with weight `weight`, one of `spots` moved by up to ±`jitter` on each axis; with weight 1, anywhere
 * in the box `u` × `v` (beyond the face, so off-face is drawn too).
 */
export function pointNear(
  spots: UvPoint[],
  options: { weight: number; jitter: number; u: [number, number]; v: [number, number] },
): fc.Arbitrary<UvPoint> {
  const move = fc.double({ min: -options.jitter, max: options.jitter, noNaN: true });
  return fc.oneof(
    {
      weight: options.weight,
      arbitrary: fc.tuple(fc.constantFrom(...spots), move, move).map(([p, du, dv]) => ({
        u: p.u + du,
        v: p.v + dv,
      })),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        u: fc.double({ min: options.u[0], max: options.u[1], noNaN: true }),
        v: fc.double({ min: options.v[0], max: options.v[1], noNaN: true }),
      }),
    },
  );
}

/** A comfort change to a level of 1..10. */
export const comfortDraft = (dt: fc.Arbitrary<number>): fc.Arbitrary<Draft> =>
  fc.record({ dt, type: fc.constant("comfort" as const), level: fc.integer({ min: 1, max: 10 }) });

/** One of the session events that carry nothing but their type (a page's or an operator's press). */
export const pressDraft = (
  dt: fc.Arbitrary<number>,
  types: ("begin" | "estop" | "reset" | "pause" | "resume" | "end")[],
): fc.Arbitrary<Draft> => fc.record({ dt, type: fc.constantFrom(...types) });
