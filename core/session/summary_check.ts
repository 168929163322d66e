/** Validation of a session summary read back (a stored row, a message): a typed copy or a FieldError naming the field. */
import { FieldError } from "../engine/field_error.ts";
import type { CoverageGrid, CurrentSeries, SessionSummary, StepSummary } from "./summary.ts";

/** Zone, step and routine ids as the zone map and routines spell them; "other" for output the map did not place. */
const ID = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;
/** Largest series and coverage arrays accepted (the accumulator's own bounds are far below). */
const MAX_ARRAY = 100_000;
const MAX_STEPS = 256;
const MAX_ZONES = 64;

function fail(field: string, why: string, value: unknown): never {
  const shown = JSON.stringify(value);
  throw new FieldError(field, `field "${field}" ${why}, got ${(shown ?? String(value)).slice(0, 80)}`);
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(field, "must be an object", value);
  }
  return value as Record<string, unknown>;
}

function num(value: unknown, field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    fail(field, `must be a number from ${min} to ${max}`, value);
  }
  return value;
}

function int(value: unknown, field: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = num(value, field, min, max);
  if (!Number.isInteger(n)) fail(field, "must be a whole number", value);
  return n;
}

function id(value: unknown, field: string): string {
  if (typeof value !== "string" || !ID.test(value)) fail(field, "must be a lowercase id", value);
  return value;
}

function numbers(value: unknown, field: string, each: (x: unknown, f: string) => number): number[] {
  if (!Array.isArray(value) || value.length > MAX_ARRAY) {
    fail(field, `must be an array of at most ${MAX_ARRAY}`, value);
  }
  return value.map((x, i) => each(x, `${field}[${i}]`));
}

function steps(value: unknown): StepSummary[] {
  if (!Array.isArray(value) || value.length > MAX_STEPS) {
    fail("steps", `must be an array of at most ${MAX_STEPS}`, value);
  }
  return value.map((raw, i) => {
    const f = `steps[${i}]`;
    const s = object(raw, f);
    const passes = int(s.passes, `${f}.passes`, 0, 10_000);
    return {
      index: int(s.index, `${f}.index`, 0, MAX_STEPS),
      id: id(s.id, `${f}.id`),
      zone: id(s.zone, `${f}.zone`),
      passes,
      passesDone: int(s.passesDone, `${f}.passesDone`, 0, passes),
    };
  });
}

function series(value: unknown): CurrentSeries {
  const s = object(value, "series");
  const meanUa = numbers(s.meanUa, "series.meanUa", (x, f) => num(x, f, 0, 10_000));
  const maxUa = numbers(s.maxUa, "series.maxUa", (x, f) => num(x, f, 0, 10_000));
  if (maxUa.length !== meanUa.length) fail("series.maxUa", `must have ${meanUa.length} values`, maxUa.length);
  return { stepMs: num(s.stepMs, "series.stepMs", 1), meanUa, maxUa };
}

function coverage(value: unknown): CoverageGrid {
  const c = object(value, "coverage");
  const cols = int(c.cols, "coverage.cols", 1, 256);
  const rows = int(c.rows, "coverage.rows", 1, 256);
  const [u0, u1, v0, v1] = (["u0", "u1", "v0", "v1"] as const).map((k) => num(c[k], `coverage.${k}`, -2, 3));
  if (!(u1! > u0!)) fail("coverage.u1", `must be above u0 (${u0})`, u1);
  if (!(v1! > v0!)) fail("coverage.v1", `must be above v0 (${v0})`, v1);
  const ms = numbers(c.ms, "coverage.ms", (x, f) => int(x, f));
  if (ms.length !== cols * rows) {
    fail("coverage.ms", `must hold cols × rows = ${cols * rows} cells`, ms.length);
  }
  return { cols, rows, u0: u0!, u1: u1!, v0: v0!, v1: v1!, ms };
}

/** Checks an untrusted session summary (format 1) and returns a typed copy; throws FieldError naming the field. */
export function validateSessionSummary(input: unknown): SessionSummary {
  const s = object(input, "summary");
  if (s.v !== 1) fail("v", "must be 1 (the summary format this build reads)", s.v);
  const zonesIn = object(s.zones, "zones");
  const entries = Object.entries(zonesIn);
  if (entries.length > MAX_ZONES) fail("zones", `must name at most ${MAX_ZONES} zones`, entries.length);
  const zones: Record<string, number> = {};
  let sum = 0;
  for (const [z, ms] of entries) {
    id(z, `zones.${z}`);
    zones[z] = int(ms, `zones.${z}`);
    sum += zones[z]!;
  }
  const stimulationMs = int(s.stimulationMs, "stimulationMs");
  if (stimulationMs !== sum) fail("stimulationMs", `must be the sum of zones (${sum})`, stimulationMs);
  const endReason = s.endReason;
  if (
    endReason !== null && (typeof endReason !== "string" || endReason.length === 0 || endReason.length > 64)
  ) {
    fail("endReason", "must be null or a string of 1..64 characters", endReason);
  }
  const completed = s.completed;
  if (typeof completed !== "boolean") fail("completed", "must be true or false", completed);
  return {
    v: 1,
    durationMs: int(s.durationMs, "durationMs"),
    stimulationMs,
    maxUa: num(s.maxUa, "maxUa", 0, 10_000),
    zones,
    steps: steps(s.steps),
    stepCount: int(s.stepCount, "stepCount", 0, MAX_STEPS),
    completed,
    series: series(s.series),
    coverage: coverage(s.coverage),
    endReason: endReason as string | null,
  };
}
