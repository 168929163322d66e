/** Personal exclusions: treatment zones one person must skip, held to 0 µA like keep-outs, and the guided steps they rule out. */
import type { ZoneMap } from "../zones/mod.ts";
import { contains, distanceToEdges, prepare, type PreparedPolygon } from "../zones/classify.ts";
import { STROKE_CLEARANCE_MM, STROKE_SAMPLE_MM } from "../routines/mod.ts";
import type { RoutineStep } from "../routines/mod.ts";
import { FieldRangeError } from "./field_error.ts";
import type { UvPoint } from "./types.ts";

/** The exclusions of one session, compiled against the engine's zone map. */
export interface Exclusions {
  /** The excluded zone ids, in the order given. */
  readonly ids: readonly string[];
  /**
   * The first excluded zone whose polygon holds the point, or null. The polygon, not the classifier's one zone:
   * where two treatment zones overlap (jawline/chin, jawline/neck) the point is in both, and an excluded one wins.
   */
  holding(point: UvPoint): string | null;
  /**
   * True when a guided step cannot run under these exclusions: its target zone is excluded, or its stroke comes
   * within STROKE_CLEARANCE_MM of an excluded polygon (its passes would stall at 0 µA part-way).
   */
  skips(step: RoutineStep): boolean;
}

/** No exclusions: holds nothing, skips nothing. */
export const NO_EXCLUSIONS: Exclusions = { ids: [], holding: () => null, skips: () => false };

/** Compiles zone ids into Exclusions for one zone map; prepared polygons are shared across sessions. */
export interface ExclusionCompiler {
  /** The treatment zone ids that may be excluded (keep-outs are 0 µA already). */
  readonly zoneIds: readonly string[];
  /** Throws FieldRangeError naming `exclusions[i]` for an id that is not a treatment zone of the map. */
  compile(ids: readonly string[]): Exclusions;
}

/** Prepares the treatment polygons of `map` for exclusion checks. */
export function createExclusionCompiler(map: ZoneMap): ExclusionCompiler {
  const polygons = new Map<string, PreparedPolygon>();
  for (const z of map.zones) if (z.kind === "treatment") polygons.set(z.id, prepare(z.polygon));
  const zoneIds = [...polygons.keys()];
  const clearUv = STROKE_CLEARANCE_MM / map.mmPerUv;
  const sampleUv = STROKE_SAMPLE_MM / map.mmPerUv;
  return {
    zoneIds,
    compile(ids) {
      if (ids.length === 0) return NO_EXCLUSIONS;
      const excluded = ids.map((id, i) => {
        const poly = polygons.get(id);
        if (!poly) {
          throw new FieldRangeError(
            `exclusions[${i}]`,
            `field "exclusions[${i}]" names ${JSON.stringify(id)}, not a treatment zone; known: ${
              zoneIds.join(", ")
            }`,
          );
        }
        return { id, poly };
      });
      const targets = new Set(ids);
      const near = (u: number, v: number) =>
        excluded.some(({ poly }) => contains(poly, u, v) || distanceToEdges(poly, u, v) < clearUv);
      return {
        ids: [...ids],
        holding({ u, v }) {
          for (const { id, poly } of excluded) if (contains(poly, u, v)) return id;
          return null;
        },
        skips(step) {
          if (targets.has(step.zone)) return true;
          const { from, to } = step.stroke;
          const n = Math.max(1, Math.ceil(Math.hypot(to.u - from.u, to.v - from.v) / sampleUv));
          for (let k = 0; k <= n; k++) {
            if (near(from.u + ((to.u - from.u) * k) / n, from.v + ((to.v - from.v) * k) / n)) return true;
          }
          return false;
        },
      };
    },
  };
}
