/** What the mirror overlay shows, computed (pure) from the live mesh, the engine frame and the zone map. */
import type { EngineFrame, UvPoint } from "../../../core/engine/types.ts";
import type { FaceFrameMap } from "../../../core/geometry/mod.ts";
import { uvDistanceToPolygon, type ZoneMap } from "../../../core/zones/mod.ts";

/** A point in source-image pixels. */
export type Px = readonly [number, number];

/** One zone outline on the live face. */
export interface ZoneShape {
  id: string;
  kind: "treatment" | "keep-out";
  /** target: the current step's zone; near: a keep-out a probe is close to. */
  role: "target" | "zone" | "near";
  path: Px[];
}

/** Everything the overlay draws for one frame, in source-image pixels. */
export interface OverlayShapes {
  zones: ZoneShape[];
  /** The current step's stroke (start → end) and how far along the probe is. */
  arrow: { path: Px[]; progress: number } | null;
  /** Hold ring at the stroke end: fraction of the hold still to go. */
  hold: { at: Px; fraction: number } | null;
  /** Probe dots: blocked = engine holds output at 0 for a keep-out. */
  dots: { at: Px; state: "active" | "idle" | "blocked" }[];
}

/** Inputs of buildOverlay. */
export interface OverlayInput {
  map: FaceFrameMap | null;
  frame: EngineFrame | null;
  zones: ZoneMap;
  /** Probe tips in source pixels, and their UV. */
  tips: readonly { x: number; y: number }[];
  probeUv: readonly UvPoint[];
  /** Longest hold seen for the current step (the ring's full circle), seconds. */
  holdTotalS: number;
}

/** Options for buildOverlay. */
export interface OverlayOptions {
  /** Keep-out zones are drawn when a probe is within their margin plus this, mm. Default 15. */
  nearMm?: number;
  /** Longest UV edge before it is subdivided (straight in UV is curved on the face). Default 0.02. */
  step?: number;
}

function densify(points: readonly UvPoint[], step: number, closed: boolean): UvPoint[] {
  const out: UvPoint[] = [];
  const n = closed ? points.length : points.length - 1;
  for (let i = 0; i < n; i++) {
    const a = points[i]!, b = points[(i + 1) % points.length]!;
    const k = Math.max(1, Math.ceil(Math.hypot(b.u - a.u, b.v - a.v) / step));
    for (let j = 0; j < k; j++) out.push({ u: a.u + ((b.u - a.u) * j) / k, v: a.v + ((b.v - a.v) * j) / k });
  }
  if (!closed && points.length > 0) out.push(points[points.length - 1]!);
  return out;
}

/** Builds the overlay shapes (pure). Without a mesh only the probe dots are drawn. */
export function buildOverlay(input: OverlayInput, options: OverlayOptions = {}): OverlayShapes {
  const nearMm = options.nearMm ?? 15;
  const step = options.step ?? 0.02;
  const { map, frame, zones } = input;
  // A keep-out or a zone this person skips: the engine holds output at 0 there.
  const blocked = (frame?.limit.startsWith("keep-out:") || frame?.limit.startsWith("excluded:")) ?? false;
  const dots = input.tips.map((t) => ({
    at: [t.x, t.y] as Px,
    state: blocked ? "blocked" as const : (frame?.currentUa ?? 0) > 0 ? "active" as const : "idle" as const,
  }));
  if (!map) return { zones: [], arrow: null, hold: null, dots };
  const project = (p: UvPoint): Px => {
    const q = map.toImage(p.u, p.v);
    return [q.x, q.y];
  };
  const target = frame?.guidance?.targetZone ?? null;
  const shapes: ZoneShape[] = [];
  for (const z of zones.zones) {
    const poly = z.polygon.map(([u, v]) => ({ u, v }));
    if (z.kind === "keep-out") {
      const reach = (z.marginMm + nearMm) / zones.mmPerUv;
      const near = input.probeUv.some((p) => uvDistanceToPolygon(p, z.polygon) <= reach) ||
        frame?.limit === `keep-out:${z.id}`;
      if (near) {
        shapes.push({ id: z.id, kind: z.kind, role: "near", path: densify(poly, step, true).map(project) });
      }
    } else {
      shapes.push({
        id: z.id,
        kind: z.kind,
        role: z.id === target ? "target" : "zone",
        path: densify(poly, step, true).map(project),
      });
    }
  }
  const g = frame?.guidance;
  const arrow = g
    ? { path: densify([g.stroke.from, g.stroke.to], step, false).map(project), progress: g.strokeProgress }
    : null;
  const hold = g && g.holdRemainingS > 0
    ? {
      at: project(g.stroke.to),
      fraction: Math.min(1, g.holdRemainingS / Math.max(input.holdTotalS, g.holdRemainingS)),
    }
    : null;
  return { zones: shapes, arrow, hold, dots };
}
