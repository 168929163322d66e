/** Serves the kiosk page: a fixed list of files (page, bundle, face UV map), nothing else from disk. */
import type { Context } from "hono";

/** One file the page may fetch. */
export interface StaticFile {
  /** Absolute path on disk. */
  path: string;
  contentType: string;
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  map: "application/json",
};

/**
 * The page's Content-Security-Policy: no other site may frame the kiosk (clickjacking the estop or the
 * operator panel). Nothing else is restricted, so the mirror's wasm, workers, blob: URLs and camera keep working.
 */
export const PAGE_CSP = "frame-ancestors 'none'";

/** Content type for a file name by extension. */
export function contentTypeOf(name: string): string {
  return TYPES[name.slice(name.lastIndexOf(".") + 1)] ?? "application/octet-stream";
}

/** A handler that serves `files[url path]`, or 404 for any other path (own keys only, never the prototype's). */
export function serveFiles(files: Record<string, StaticFile>) {
  const table = new Map(Object.entries(files));
  return async (c: Context) => {
    const file = table.get(c.req.path);
    if (!file) return c.notFound();
    try {
      const body = await Deno.readFile(file.path);
      const headers: Record<string, string> = {
        "content-type": file.contentType,
        "cache-control": "no-cache",
      };
      if (file.contentType.startsWith("text/html")) headers["content-security-policy"] = PAGE_CSP;
      return c.body(body, 200, headers);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        return c.text(`${c.req.path} is not built yet: run \`deno task start\` (it bundles the page)`, 503);
      }
      throw error;
    }
  };
}
