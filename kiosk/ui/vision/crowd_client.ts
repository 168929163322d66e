/** Page side of the crowd worker: counts faces in a frame without holding up the page's thread. */
import type { BackendName } from "./backend.ts";
import type { CrowdReply, CrowdRequest } from "./crowd_protocol.ts";

/** A started crowd worker. */
export interface FaceCounter {
  /** Faces in the frame (up to 2). Rejects when the worker failed. */
  count(image: ImageData): Promise<number>;
  dispose(): void;
}

/** Starts the worker; resolves once its detector is ready, rejects with the reason it is not. */
export async function startFaceCounter(
  options: { backend: BackendName; url?: string; readyWithinMs?: number },
): Promise<FaceCounter> {
  const worker = new Worker(options.url ?? "/crowd_worker.js", { type: "module" });
  const waiting = new Map<number, { resolve(n: number): void; reject(e: Error): void }>();
  let nextId = 1;
  let broken: Error | null = null;
  const send = (request: CrowdRequest) => worker.postMessage(request);
  const ready = new Promise<void>((resolve, reject) => {
    worker.onerror = (e) => {
      broken = new Error(`crowd worker failed: ${e.message}`);
      reject(broken);
      for (const w of waiting.values()) w.reject(broken);
      waiting.clear();
    };
    worker.onmessage = (event: MessageEvent<CrowdReply>) => {
      const msg = event.data;
      if (msg.type === "ready") resolve();
      else if (msg.type === "failed") reject(new Error(msg.message));
      else {
        const w = waiting.get(msg.id);
        waiting.delete(msg.id);
        if (msg.type === "count") w?.resolve(msg.faces);
        else w?.reject(new Error(msg.message));
      }
    };
  });
  send({ type: "init", backend: options.backend });
  // A worker that never gets ready (a model fetch that stalls) is ended, not left running.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    const ms = options.readyWithinMs ?? 30_000;
    timer = setTimeout(() => reject(new Error(`the crowd worker was not ready within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([ready, late]);
  } catch (err) {
    worker.terminate();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    count: (image) =>
      new Promise<number>((resolve, reject) => {
        if (broken) return reject(broken);
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        send({ type: "count", id, image });
      }),
    dispose() {
      broken ??= new Error("the crowd worker was disposed");
      for (const w of waiting.values()) w.reject(broken);
      waiting.clear();
      send({ type: "dispose" });
      setTimeout(() => worker.terminate(), 500);
    },
  };
}
