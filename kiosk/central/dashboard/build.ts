/** Bundles the dashboard page (preact + signals) with esbuild in memory at start: nothing is written to disk. */
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";
import type { DashboardAssets } from "./app.ts";

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

/** Builds ui/main.tsx and reads ui/dashboard.css; throws with esbuild's first message when the page does not build. */
export async function buildDashboardPage(): Promise<DashboardAssets> {
  try {
    // JSX as kiosk/ui's page builds it; one minified module, kept in memory.
    const jsx = { jsx: "automatic", jsxImportSource: "preact" } as const;
    const result = await esbuild.build({
      ...jsx,
      entryPoints: [here("./ui/main.tsx")],
      write: false,
      bundle: true,
      minify: true,
      // The browsers staff use: current evergreen ones.
      format: "esm",
      target: "es2022",
      platform: "browser",
      logLevel: "silent",
    });
    if (result.errors.length > 0) throw new Error(`Cannot bundle the dashboard: ${result.errors[0]!.text}`);
    return { js: result.outputFiles[0]!.text, css: await Deno.readTextFile(here("./ui/dashboard.css")) };
  } finally {
    // The bundler's helper process is not kept: the page is built once per start.
    await esbuild.stop();
  }
}
