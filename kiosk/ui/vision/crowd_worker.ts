/** The crowd worker: counts the faces in a downsampled frame with the two-face detector, off the page's thread. */
import { createFaceDetector, type FaceDetector } from "./face_detector.ts";
import type { CrowdReply, CrowdRequest } from "./crowd_protocol.ts";

// The worker global (typed by hand: the project compiles with the DOM lib, not "webworker").
const scope = self as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
};
const post = (reply: CrowdReply) => scope.postMessage(reply);
let detector: FaceDetector | null = null;
// Counts run one at a time, in arrival order.
let queue: Promise<void> = Promise.resolve();

async function count(id: number, image: ImageData) {
  try {
    if (!detector) throw new Error("crowd worker got a frame before it was ready");
    // Every count is a fresh detection: the frames are a second apart.
    detector.reset();
    post({ type: "count", id, faces: (await detector.estimate(image)).length });
  } catch (err) {
    post({ type: "error", id, message: (err as Error).message });
  }
}

scope.onmessage = (event: MessageEvent<CrowdRequest>) => {
  const msg = event.data;
  if (msg.type === "init") {
    createFaceDetector({ backend: msg.backend, maxFaces: 2 }).then(
      (d) => (detector = d, post({ type: "ready", backend: d.backend })),
      (err) => post({ type: "failed", message: (err as Error).message }),
    );
  } else if (msg.type === "count") queue = queue.then(() => count(msg.id, msg.image));
  else if (msg.type === "dispose") {
    queue.then(() => {
      detector?.dispose();
      scope.close();
    });
  }
};
