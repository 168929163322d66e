/** Bundles the kiosk page (preact + signals) with esbuild into kiosk/ui/dist/ at start. */
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";

/** Options for buildPage. */
export interface BuildOptions {
  /** Output folder. Default: kiosk/ui/dist next to this file. */
  outDir?: string;
  /**
   * Minify the bundle. Default true: the page ships tfjs, and parsing less code spares the CPU the 50 Hz tick
   * shares. The kiosk passes false with GLIDEPATH_NO_MINIFY=1 (readable names for profiling).
   */
  minify?: boolean;
  /** Write linked source maps next to the bundles (development; the kiosk serves app.js.map only then). Default false. */
  sourceMap?: boolean;
}

/** What a build produced. */
export interface BuildResult {
  outFile: string;
  bytes: number;
  ms: number;
}

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

/** Bundles kiosk/ui/main.tsx → dist/app.js. Throws with esbuild's messages when the page does not build. */
export async function buildPage(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const outFile = `${options.outDir ?? here("./dist")}/app.js`;
  const minify = options.minify ?? true;
  // Without a map the bundle carries no sourceMappingURL, so the browser asks for nothing the kiosk refuses.
  const sourcemap = options.sourceMap ? "linked" : false;
  const result = await esbuild.build({
    entryPoints: [here("./main.tsx")],
    outfile: outFile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    minify,
    // A linked map keeps stack traces readable without making the browser parse it with the code.
    sourcemap,
    logLevel: "silent",
  });
  if (result.errors.length > 0) throw new Error(`Cannot bundle the page: ${result.errors[0]!.text}`);
  // The mirror's worker, served as /crowd_worker.js (the once-a-second face count).
  await esbuild.build({
    entryPoints: [here("./vision/crowd_worker.ts")],
    outfile: outFile.replace(/app\.js$/, "crowd_worker.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify,
    sourcemap,
    logLevel: "silent",
  });
  const { size: bytes } = await Deno.stat(outFile);
  return { outFile, bytes, ms: performance.now() - started };
}

/** Stops esbuild's helper process (call on shutdown so the process can exit). */
export async function stopBundler(): Promise<void> {
  await esbuild.stop();
}
