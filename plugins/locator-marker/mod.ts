/** First-party probe-locator plugin: finds the probe tips by a coloured marker of a configurable hue. */
import type { ProbeLocatorDefinition } from "@glidepath/sdk";
import { createMarkerLocator } from "./marker_locator.ts";

export {
  createMarkerLocator,
  locateMarkers,
  type MarkerLocatorOptions,
  validateMarkerOptions,
} from "./marker_locator.ts";

/** The plugin's locator definition (plugin.json kinds: ["probe-locator"]). */
export const locator: ProbeLocatorDefinition = {
  id: "glidepath.locator-marker",
  createLocator: createMarkerLocator,
};
