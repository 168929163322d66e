/**
 * `deno task hops [--list] [--server] [--demo]`: counts the hops of one probe observation from the camera to the
 * device: the project modules (and functions) it runs through, in the page (camera frame → WebSocket send, real
 * page in headless Chromium) and in the kiosk (WebSocket message → USB write, real kiosk on a manual clock).
 * docs/decisions.md "Hops from camera to device" has the method and the figures.
 */
import { type Hop, modulesOf } from "./event_path/hops.ts";
import { countServerHops, serverChild } from "./event_path/server.ts";

/** Both halves of the path; `page` is null when only the server half was counted. */
export interface PathCount {
  page: Hop[] | null;
  server: Hop[];
}

/** Counts the server half, and the page half unless `server` only (the page half needs Chromium). */
export async function countPath(options: { serverOnly?: boolean; demo?: boolean } = {}): Promise<PathCount> {
  const server = await countServerHops({ demo: options.demo });
  if (options.serverOnly) return { page: null, server };
  const { countPageHops } = await import("./event_path/page.ts");
  return { page: await countPageHops(), server };
}

function describe(label: string, hops: Hop[], list: boolean): string[] {
  const modules = modulesOf(hops).sort();
  const lines = [`  ${label}: ${modules.length} modules, ${hops.length} functions`];
  if (list) {
    for (const m of modules) {
      const fns = hops.filter((h) => h.file === m).map((h) => h.calls > 1 ? `${h.name} ×${h.calls}` : h.name);
      lines.push(`    ${m}  ${fns.join(", ")}`);
    }
  }
  return lines;
}

if (import.meta.main) {
  if (Deno.args[0] === "--child") {
    await serverChild(Deno.args[1] as "base" | "probe", Deno.args[2] === "true");
  } else {
    const list = Deno.args.includes("--list");
    const demo = Deno.args.includes("--demo");
    const { page, server } = await countPath({ serverOnly: Deno.args.includes("--server"), demo });
    const lines = [];
    if (page) lines.push(...describe("page   (camera frame → WebSocket send)", page, list));
    lines.push(
      ...describe(`kiosk  (WebSocket message → USB write${demo ? ", demo attached" : ""})`, server, list),
    );
    const modules = modulesOf(page ?? []).length + modulesOf(server).length;
    const functions = (page ?? []).length + server.length;
    const what = page ? "camera → device" : "WebSocket message → device";
    console.log([`${what}: ${modules} hops (modules entered), ${functions} functions`, ...lines].join("\n"));
  }
}
