/** The shipped zone map (models/zones.json), validated once at load. */
import zonesJson from "../../models/zones.json" with { type: "json" };
import { validateZoneMap, type ZoneMap } from "./zone_map.ts";

/** The product's default zone map (DESIGN §2). */
export const defaultZoneMap: ZoneMap = validateZoneMap(zonesJson);
