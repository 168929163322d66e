/** Messages between the page and the crowd worker (structured-clone safe). */
import type { BackendName } from "./backend.ts";

/** Page → worker. */
export type CrowdRequest =
  | { type: "init"; backend: BackendName }
  /** Faces in one downsampled frame (copied: the page keeps using it). */
  | { type: "count"; id: number; image: ImageData }
  | { type: "dispose" };

/** Worker → page. */
export type CrowdReply =
  | { type: "ready"; backend: string }
  | { type: "failed"; message: string }
  | { type: "count"; id: number; faces: number }
  | { type: "error"; id: number; message: string };
