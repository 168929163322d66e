/** Checks a routine step's whole stroke path against the zone map, so a routine that could never finish is refused at load. */
import type { UvPoint } from "../engine/types.ts";
import { createZoneClassifier, type ZoneMap } from "../zones/mod.ts";
import { contains, distanceToEdges, prepare } from "../zones/classify.ts";

/**
 * Clearance a stroke keeps from every keep-out margin and from its own zone's edge, in mm. Tracking jitter on a
 * still face is 1–2 mm (docs/zones.md), so a stroke closer than this stalls a pass on a jittery probe.
 */
export const STROKE_CLEARANCE_MM = 2;

/** Samples along a stroke are at most this far apart, in mm: finer than the narrowest margin (2 mm). */
export const STROKE_SAMPLE_MM = 0.5;

/** One step's stroke, as checkStrokePaths sees it. */
export interface StrokeStep {
  id: string;
  zone: string;
  stroke: { from: UvPoint; to: UvPoint };
}

const fmt = (p: UvPoint) => `(${+p.u.toFixed(3)},${+p.v.toFixed(3)})`;

/**
 * Throws a RangeError naming the routine, the step and the point where a stroke, sampled every
 * STROKE_SAMPLE_MM from start to end, enters a keep-out or its margin, leaves its target zone (the engine's
 * own classification, so an overlapping lower-level zone counts as leaving), or comes within
 * STROKE_CLEARANCE_MM of either. Such a step would force output to 0 part-way and stall the routine.
 */
export function checkStrokePaths(steps: readonly StrokeStep[], zoneMap: ZoneMap, where: string): void {
  const classifier = createZoneClassifier(zoneMap);
  const mm = zoneMap.mmPerUv;
  const clearUv = STROKE_CLEARANCE_MM / mm;
  const keepOuts = zoneMap.zones.flatMap((z) =>
    z.kind === "keep-out" ? [{ id: z.id, marginMm: z.marginMm, poly: prepare(z.polygon) }] : []
  );
  const targets = new Map(zoneMap.zones.map((z) => [z.id, prepare(z.polygon)]));
  steps.forEach((step, i) => {
    const { from, to } = step.stroke;
    const fail = (what: string, at: UvPoint): never => {
      throw new RangeError(
        `${where} step ${i} (${step.id}): the stroke from ${fmt(from)} to ${fmt(to)} ${what} at ${fmt(at)}`,
      );
    };
    const lengthMm = Math.hypot(to.u - from.u, to.v - from.v) * mm;
    const n = Math.max(1, Math.ceil(lengthMm / STROKE_SAMPLE_MM));
    const target = targets.get(step.zone);
    const samples = Array.from({ length: n + 1 }, (_, k) => ({
      u: from.u + ((to.u - from.u) * k) / n,
      v: from.v + ((to.v - from.v) * k) / n,
    }));
    // A crossing is the worse fault, so it is named even when the stroke grazes something earlier.
    for (const p of samples) {
      const c = classifier.classify(p);
      if (c.kind === "keep-out") {
        fail(`enters keep-out "${c.zone}"${c.distanceMm > 0 ? " (its margin)" : ""}`, p);
      }
      if (c.kind !== "treatment" || c.zone !== step.zone) {
        fail(`leaves zone "${step.zone}" for ${c.kind === "treatment" ? `zone "${c.zone}"` : c.kind}`, p);
      }
    }
    for (const p of samples) {
      for (const ko of keepOuts) {
        const d = contains(ko.poly, p.u, p.v) ? 0 : distanceToEdges(ko.poly, p.u, p.v);
        const gapMm = d * mm - ko.marginMm;
        if (gapMm < STROKE_CLEARANCE_MM) {
          fail(
            `passes ${gapMm.toFixed(1)} mm from the ${ko.marginMm} mm margin of keep-out "${ko.id}" ` +
              `(strokes keep ${STROKE_CLEARANCE_MM} mm clear)`,
            p,
          );
        }
      }
      const edge = target ? distanceToEdges(target, p.u, p.v) : Infinity;
      if (edge < clearUv) {
        fail(
          `passes ${(edge * mm).toFixed(1)} mm from the edge of zone "${step.zone}" ` +
            `(strokes keep ${STROKE_CLEARANCE_MM} mm inside)`,
          p,
        );
      }
    }
  });
}
