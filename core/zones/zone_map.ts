/** Zone map data model and its validation (treatment and keep-out polygons over the UV face). */

/** A polygon in UV as [u, v] pairs (closed implicitly). */
export type UvPolygon = readonly (readonly [number, number])[];

/** A zone where output is allowed at up to its level. */
export interface TreatmentZone {
  id: string;
  kind: "treatment";
  /** Default level in µA (product default, not medical advice). */
  levelUa: number;
  /** Default stimulation frequency in Hz for manual mode. */
  freqHz: number;
  polygon: UvPolygon;
}

/** A zone where output must be 0 within the polygon or its margin. */
export interface KeepOutZone {
  id: string;
  kind: "keep-out";
  /** Margin around the polygon in millimetres. */
  marginMm: number;
  polygon: UvPolygon;
}

/** Any zone. */
export type Zone = TreatmentZone | KeepOutZone;

/** The validated zone map. */
export interface ZoneMap {
  /** Millimetres per UV unit (DESIGN §2: 209). */
  mmPerUv: number;
  /** Face silhouette and neck column: outside both is off the face and neck. */
  outline: { face: UvPolygon; neck: UvPolygon };
  zones: readonly Zone[];
}

function polygon(value: unknown, where: string): UvPolygon {
  if (!Array.isArray(value) || value.length < 3) {
    throw new TypeError(`${where}: polygon must be an array of at least 3 [u, v] points`);
  }
  return value.map((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((x) => typeof x === "number" && Number.isFinite(x))) {
      throw new TypeError(
        `${where}: polygon[${i}] must be [u, v] with finite numbers, got ${JSON.stringify(p)}`,
      );
    }
    return [p[0], p[1]] as const;
  });
}

function positive(value: unknown, where: string, { allowZero = false } = {}): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RangeError(
      `${where} must be a ${allowZero ? "non-negative" : "positive"} number, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Validates untrusted zone-map JSON and returns a typed copy; throws naming the bad field. */
export function validateZoneMap(input: unknown): ZoneMap {
  if (typeof input !== "object" || input === null) throw new TypeError("zone map must be an object");
  const raw = input as Record<string, unknown>;
  const mmPerUv = positive(raw.mmPerUv, "zone map: mmPerUv");
  const outline = raw.outline as Record<string, unknown> | undefined;
  if (typeof outline !== "object" || outline === null) {
    throw new TypeError("zone map: outline must be an object");
  }
  if (!Array.isArray(raw.zones) || raw.zones.length === 0) {
    throw new TypeError("zone map: zones must be a non-empty array");
  }
  const seen = new Set<string>();
  const zones = raw.zones.map((z, i): Zone => {
    const zone = z as Record<string, unknown>;
    const where = `zone map: zones[${i}]`;
    if (typeof zone.id !== "string" || !/^[a-z][a-z0-9-]*$/.test(zone.id)) {
      throw new TypeError(`${where}.id must be a lowercase id, got ${JSON.stringify(zone.id)}`);
    }
    if (seen.has(zone.id)) throw new TypeError(`${where}.id "${zone.id}" is a duplicate`);
    seen.add(zone.id);
    if (zone.kind === "treatment") {
      return {
        id: zone.id,
        kind: "treatment",
        levelUa: positive(zone.levelUa, `${where}.levelUa`),
        freqHz: positive(zone.freqHz, `${where}.freqHz`),
        polygon: polygon(zone.polygon, `${where}.polygon`),
      };
    }
    if (zone.kind === "keep-out") {
      return {
        id: zone.id,
        kind: "keep-out",
        marginMm: positive(zone.marginMm, `${where}.marginMm`, { allowZero: true }),
        polygon: polygon(zone.polygon, `${where}.polygon`),
      };
    }
    throw new TypeError(`${where}.kind must be "treatment" or "keep-out", got ${JSON.stringify(zone.kind)}`);
  });
  return {
    mmPerUv,
    outline: {
      face: polygon(outline.face, "zone map: outline.face"),
      neck: polygon(outline.neck, "zone map: outline.neck"),
    },
    zones,
  };
}
