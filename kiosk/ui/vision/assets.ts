/** Files the mirror fetches from the kiosk (URL → project-relative path): weights, zone map, tfjs wasm, demo photo. */

/** One file the kiosk serves for the mirror. */
export interface MirrorAsset {
  /** URL path on the kiosk. */
  url: string;
  /** Path relative to the project root. */
  path: string;
  contentType: string;
}

const WASM_DIR = "node_modules/@tensorflow/tfjs-backend-wasm/dist";

/** Every file the mirror needs; nothing else is fetched, and nothing comes from a CDN. */
export const MIRROR_ASSETS: readonly MirrorAsset[] = [
  { url: "/models/checksums.json", path: "models/checksums.json", contentType: "application/json" },
  { url: "/models/zones.json", path: "models/zones.json", contentType: "application/json" },
  ...["facemesh-detection-short", "facemesh"].flatMap((name) => [
    {
      url: `/models/facemesh/${name}.json`,
      path: `models/facemesh/${name}.json`,
      contentType: "application/json",
    },
    {
      url: `/models/facemesh/${name}.bin`,
      path: `models/facemesh/${name}.bin`,
      contentType: "application/octet-stream",
    },
  ]),
  ...["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"].map((
    f,
  ) => ({
    url: `/vendor/tfjs-wasm/${f}`,
    path: `${WASM_DIR}/${f}`,
    contentType: "application/wasm",
  })),
  { url: "/assets/astronaut.png", path: "kiosk/ui/assets/astronaut.png", contentType: "image/png" },
  // Built at start by kiosk/ui/build.ts from kiosk/ui/vision/crowd_worker.ts.
  {
    url: "/crowd_worker.js",
    path: "kiosk/ui/dist/crowd_worker.js",
    contentType: "text/javascript; charset=utf-8",
  },
];
