/** Zones over the canonical UV face: the map, its validation and point classification. */
export { validateZoneMap } from "./zone_map.ts";
export type { KeepOutZone, TreatmentZone, UvPolygon, Zone, ZoneMap } from "./zone_map.ts";
export { createZoneClassifier, uvDistanceToPolygon } from "./classify.ts";
export type { PointClass, ZoneClassifier } from "./classify.ts";
export { defaultZoneMap } from "./default_map.ts";
