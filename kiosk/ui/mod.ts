/**
 * The kiosk page, as the rest of the kiosk uses it: the bundler run at start. The page itself is one bundle from
 * main.tsx, so its components and state are imported by their own files (there and in tests), not through here.
 */
export { buildPage, stopBundler } from "./build.ts";
export type { BuildOptions, BuildResult } from "./build.ts";
