/** Routines as data: steps with a target zone, an upward stroke in UV, passes, hold, frequency and level. */
import type { UvPoint } from "../engine/types.ts";
import { createZoneClassifier, type ZoneMap } from "../zones/mod.ts";
import { HARD_CEILING_UA } from "../engine/envelope.ts";
import { checkStrokePaths } from "./stroke_path.ts";

/** One step of a guided routine. */
export interface RoutineStep {
  id: string;
  /** Target treatment zone id; output is allowed only there during this step. */
  zone: string;
  /** Stroke path in UV, start → end (both inside the zone). */
  stroke: { from: UvPoint; to: UvPoint };
  /** How many glides + holds the step wants. */
  passes: number;
  /** Seconds to hold at the stroke end on each pass. */
  holdS: number;
  freqHz: number;
  /** Step level in µA before the comfort factor; also bounded by the zone level. */
  levelUa: number;
}

/** A routine; `free` (manual mode) has no steps. */
export interface Routine {
  id: string;
  name: string;
  description: string;
  steps: RoutineStep[];
}

/** The always-present manual routine: any treatment zone at its own level. */
export const FREE_ROUTINE: Routine = {
  id: "free",
  name: "Free (manual)",
  description: "Manual mode for an esthetician: any treatment zone at its level.",
  steps: [],
};

function field(where: string, name: string, message: string): never {
  throw new TypeError(`${where}: "${name}" ${message}`);
}

function numberIn(value: unknown, where: string, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    field(where, name, `must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function id(value: unknown, where: string, name: string): string {
  if (typeof value !== "string" || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(value)) {
    field(where, name, `must be a lowercase id (a-z, 0-9, -), got ${JSON.stringify(value)}`);
  }
  return value;
}

function text(value: unknown, where: string, name: string): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 500) {
    field(where, name, `must be a non-empty string of at most 500 characters, got ${JSON.stringify(value)}`);
  }
  return value;
}

function uv(value: unknown, where: string, name: string): UvPoint {
  const p = value as Record<string, unknown> | null;
  if (typeof p !== "object" || p === null) field(where, name, `must be {u, v}, got ${JSON.stringify(value)}`);
  return { u: numberIn(p.u, where, `${name}.u`, -1, 2), v: numberIn(p.v, where, `${name}.v`, -1, 2) };
}

/**
 * Validates untrusted routine JSON against the zone map and returns a typed copy.
 * Stroke ends must lie in the step's treatment zone, and the whole stroke must stay inside it and clear of
 * every keep-out (checkStrokePaths); levels may not exceed the hard ceiling.
 */
export function validateRoutine(input: unknown, zoneMap: ZoneMap, source = "routine"): Routine {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new TypeError(`${source}: must be a JSON object`);
  }
  const raw = input as Record<string, unknown>;
  const routineId = id(raw.id, source, "id");
  const where = `${source} "${routineId}"`;
  if (routineId === "free") field(where, "id", `"free" is built in and cannot be redefined`);
  if (!Array.isArray(raw.steps) || raw.steps.length === 0 || raw.steps.length > 100) {
    field(where, "steps", "must be an array of 1 to 100 steps");
  }
  const classifier = createZoneClassifier(zoneMap);
  const zones = new Map(zoneMap.zones.map((z) => [z.id, z]));
  const seen = new Set<string>();
  const steps = raw.steps.map((s, i): RoutineStep => {
    const at = `${where} steps[${i}]`;
    if (typeof s !== "object" || s === null) field(at, "step", "must be an object");
    const step = s as Record<string, unknown>;
    const stepId = id(step.id, at, "id");
    if (seen.has(stepId)) field(at, "id", `"${stepId}" is a duplicate`);
    seen.add(stepId);
    const zoneId = typeof step.zone === "string" ? step.zone : field(at, "zone", "must be a zone id");
    const zone = zones.get(zoneId);
    if (!zone || zone.kind !== "treatment") {
      field(at, "zone", `must name a treatment zone, got ${JSON.stringify(zoneId)}`);
    }
    const strokeRaw = step.stroke as Record<string, unknown> | null;
    if (typeof strokeRaw !== "object" || strokeRaw === null) field(at, "stroke", "must be {from, to}");
    const from = uv(strokeRaw.from, at, "stroke.from");
    const to = uv(strokeRaw.to, at, "stroke.to");
    for (const [name, p] of [["stroke.from", from], ["stroke.to", to]] as const) {
      const c = classifier.classify(p);
      if (c.kind !== "treatment" || c.zone !== zoneId) {
        field(
          at,
          name,
          `(${p.u}, ${p.v}) must lie in zone "${zoneId}", but it is ${
            c.kind === "treatment" || c.kind === "keep-out" ? `${c.kind} "${c.zone}"` : c.kind
          }`,
        );
      }
    }
    if (Math.hypot(to.u - from.u, to.v - from.v) < 0.01) {
      field(at, "stroke", "must be at least 0.01 UV (≈ 2 mm) long");
    }
    return {
      id: stepId,
      zone: zoneId,
      stroke: { from, to },
      passes: Math.round(numberIn(step.passes, at, "passes", 1, 50)),
      holdS: numberIn(step.holdS, at, "holdS", 0, 30),
      freqHz: numberIn(step.freqHz, at, "freqHz", 0.1, 1000),
      levelUa: numberIn(step.levelUa, at, "levelUa", 1, HARD_CEILING_UA),
    };
  });
  checkStrokePaths(steps, zoneMap, where);
  return {
    id: routineId,
    name: text(raw.name, where, "name"),
    description: text(raw.description, where, "description"),
    steps,
  };
}

/** Rough duration of a guided routine in seconds, gliding at `glideMmPerS` (default 20 mm/s). */
export function estimateRoutineSeconds(routine: Routine, mmPerUv: number, glideMmPerS = 20): number {
  return routine.steps.reduce((total, s) => {
    const glide = (Math.hypot(s.stroke.to.u - s.stroke.from.u, s.stroke.to.v - s.stroke.from.v) * mmPerUv) /
      glideMmPerS;
    return total + s.passes * (2 * glide + s.holdS);
  }, 0);
}
