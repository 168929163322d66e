/** Worker side of bench/scheduler_worker.ts: the engine ticked by the real scheduler in its own thread. */
import os from "node:os";
import { createEngine } from "../core/engine/mod.ts";
import { loadCoreRoutines } from "../kiosk/routines/mod.ts";
import { createScheduler } from "../kiosk/session/mod.ts";

const scope = self as unknown as Worker & { onmessage: ((e: MessageEvent) => void) | null };
scope.onmessage = async (e: MessageEvent) => {
  const { nice, spinMs } = e.data as { nice: number; spinMs: number };
  os.setPriority(nice); // this thread only (Linux priorities are per thread)
  const engine = createEngine({ routines: await loadCoreRoutines() });
  const origin = performance.now();
  engine.apply({ t: 0, type: "start", routine: "free", comfort: 5, screening: {} });
  engine.apply({ t: 0, type: "contact", on: true });
  const s = createScheduler(() => {
    const t = performance.now() - origin;
    engine.apply({ t, type: "probe", points: [{ u: 0.277, v: 0.532 }], confidence: 0.95 });
    scope.postMessage({ frame: engine.frame(t) });
  }, { spinMs });
  s.start();
  scope.onmessage = (m: MessageEvent) => {
    if (m.data === "reset") s.resetStats();
    if (m.data === "stats") scope.postMessage({ stats: s.stats() });
  };
};
