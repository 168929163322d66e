/** Shared fixtures for kiosk tests: an engine with the shipped routines, a runner on a fake clock. */
import { CONTRAINDICATIONS, createEngine } from "../../core/engine/mod.ts";
import type { Routine } from "../../core/routines/mod.ts";
import { loadCoreRoutines } from "../../kiosk/routines/mod.ts";
import { createSessionRunner, type OutputSink, type SessionRunner } from "../../kiosk/session/mod.ts";
import { createFakeClock, type FakeClock } from "./_fake_clock.ts";

/** The shipped routines (plugins/routines-core). */
export const routines = await loadCoreRoutines();

/**
 * A short routine for a page test: the first `steps` steps of gentle de-puffing, `passes` passes of a 1 s hold
 * each, so a whole session runs in seconds.
 */
export function shortDepuff(
  id: string,
  name: string,
  description: string,
  steps: number,
  passes: number,
): Routine {
  const depuff = routines.find((r) => r.id === "gentle-depuff")!;
  return {
    id,
    name,
    description,
    steps: depuff.steps.slice(0, steps).map((s) => ({ ...s, passes, holdS: 1 })),
  };
}

/** A cheek point inside the cheek-left treatment zone and an eye point inside a keep-out. */
export const CHEEK = { u: 0.277, v: 0.532 };
export const EYE = { u: 0.343, v: 0.378 };

/** A runner around a fresh engine on a fake clock; errors are collected, not printed. */
export function fakeRunner(
  sink?: OutputSink,
): { runner: SessionRunner; clock: FakeClock; errors: unknown[] } {
  const clock = createFakeClock();
  const errors: unknown[] = [];
  const runner = createSessionRunner(createEngine({ routines }), {
    clock,
    sink,
    spinMs: 0,
    onError: (e) => errors.push(e),
  });
  return { runner, clock, errors };
}

/** Starts a free session (unless `started`) with contact and a cheek probe, and runs it for `ms`. */
export function runningOnCheek(
  runner: SessionRunner,
  clock: FakeClock,
  ms = 1000,
  options: { started?: boolean } = {},
): void {
  if (!options.started) runner.submit({ type: "start", routine: "free", comfort: 10, screening: {} });
  runner.submit({ type: "contact", on: true, impedanceOhm: 4000 }, "device");
  for (let t = 0; t < ms; t += 40) {
    runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 });
    clock.advance(40);
  }
}

/** Screening answers with every contraindication answered "no" (what a page start must carry). */
export const NO: Record<string, boolean> = Object.fromEntries(CONTRAINDICATIONS.map((k) => [k, false]));
