/** Tool plumbing for the mirror: bundle a page with esbuild, serve it with the mirror's assets, launch headless Chromium. */
import * as esbuild from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { fileURLToPath } from "node:url";
import { MIRROR_ASSETS } from "../../kiosk/ui/vision/assets.ts";

/** Project root (absolute, with a trailing slash). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The launch flags every headless run uses (no sandbox, no GPU, nothing fetched in the background). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Bundles a browser entry module to one ESM file's text (`minify` default false). */
export async function bundle(entry: string, options: { minify?: boolean } = {}): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [entry],
    // Paths in the bundle (the `// path` line where each module's code starts) are from the project root.
    absWorkingDir: ROOT,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: options.minify ?? false,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/** Stops esbuild's helper process so Deno can exit. */
export const stopBundler = () => esbuild.stop();

/** A loopback server for a tool page plus every mirror asset. */
export function serveToolPage(script: string): { url: string; close(): Promise<void> } {
  const files = new Map(MIRROR_ASSETS.map((a) => [a.url, a]));
  const controller = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: controller.signal, onListen: () => {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/") {
        return new Response(
          `<!doctype html><meta charset="utf-8"><body><script type="module" src="/page.js"></script>`,
          {
            headers: { "content-type": "text/html; charset=utf-8" },
          },
        );
      }
      if (path === "/page.js") {
        return new Response(script, {
          headers: { "content-type": "text/javascript" },
        });
      }
      if (path === "/models/face_uv.json") {
        return new Response(await Deno.readFile(`${ROOT}models/face_uv.json`), {
          headers: { "content-type": "application/json" },
        });
      }
      const asset = files.get(path);
      if (!asset) return new Response("not found", { status: 404 });
      try {
        return new Response(await Deno.readFile(ROOT + asset.path), {
          headers: { "content-type": asset.contentType },
        });
      } catch {
        return new Response("not found", { status: 404 });
      }
    },
  );
  const addr = server.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${addr.port}/`,
    close: async () => {
      controller.abort();
      await server.finished;
    },
  };
}

/** Launches /usr/bin/chromium headless with the house flags plus `extra`. */
export function launchChromium(extra: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extra],
  });
}
