/**
 * What a station's pull of its chain's plugin approvals costs on the kiosk's thread (the rest is waiting on the
 * network): checking N central rows, applying them in the plugin host (local copy written), and hashing a plugin
 * folder (done for each loaded driver whose decision changed). `deno run -A bench/plugin_approvals.ts [runs]`
 */
import { join } from "node:path";
import { createPluginHost, decideCentralRows, pluginFilesHash } from "../kiosk/plugins/mod.ts";
import { approvalFromFolder } from "../kiosk/central/approvals.ts";
import { installGlow } from "../tools/_glow_variant.ts";

const runs = Number(Deno.args[0] ?? 200);
const dir = await Deno.makeTempDir({ prefix: "gp-bench-appr-" });
await installGlow(dir);
const glow = await approvalFromFolder(join(dir, "acme.glow"));

/** n rows: the Glow's chain approval, and n - 1 approvals of other plugins (half of them salon rows). */
function rows(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    salon_id: i % 2 ? "salon-a" : null,
    plugin_id: i === 0 ? "acme.glow" : `vendor${i}.plugin`,
    enabled: true,
    version: glow.version,
    permissions: i % 3 ? {} : { net: ["api.vendor.example:443"], read: ["./data"] },
    files_hash: glow.filesHash,
    decided_by: "ops@chain",
    decided_at: new Date(),
  }));
}

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(3);
  return `median ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${s.at(-1)!.toFixed(3)} ms (n=${s.length})`;
}

const host = await createPluginHost({ operatorDir: dir });
for (const n of [1, 50, 500]) {
  const batch = rows(n);
  const check: number[] = [];
  const apply: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    decideCentralRows(batch);
    check.push(performance.now() - t);
    t = performance.now();
    await host.applyCentral(batch);
    apply.push(performance.now() - t);
  }
  console.log(`${String(n).padStart(3)} rows: check ${stats(check)}`);
  // Asynchronous: the local copy's write waits on the disk without holding the thread.
  console.log(
    `${String(n).padStart(3)} rows: check + apply + local copy written (end to end) ${stats(apply)}`,
  );
}
const hash: number[] = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  pluginFilesHash(join(dir, "acme.glow"), { permissions: glow.permissions });
  hash.push(performance.now() - t);
}
console.log(`hash of the Glow plugin folder (7 files): ${stats(hash)}`);
await host.dispose();
await Deno.remove(dir, { recursive: true });
