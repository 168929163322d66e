/** The face mesh detector (face-landmarks-detection, runtime tfjs) built from checksum-verified local weights. */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-webgl";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as fld from "@tensorflow-models/face-landmarks-detection";
import type { BackendName } from "./backend.ts";
import {
  httpModelReader,
  type ModelFileReader,
  parseModelManifest,
  verifyModelFiles,
} from "./model_files.ts";

/** Options for createFaceDetector. */
export interface FaceDetectorOptions {
  /** tfjs backend. Default "wasm". */
  backend?: BackendName;
  /** Base URL of models/ (checksums.json, facemesh/). Default "/models/" on the page's origin. */
  modelsUrl?: string;
  /** Base URL of the tfjs wasm binaries (served by the kiosk, never a CDN). Default "/vendor/tfjs-wasm/". */
  wasmUrl?: string;
  /** Faces looked for; 2 lets the page say when two people are in view. Default 2. */
  maxFaces?: number;
  /** Reads model files; default fetches them under modelsUrl. */
  read?: ModelFileReader;
}

/** One face: 468 keypoints in source pixels and its box. */
export interface DetectedFace {
  keypoints: { x: number; y: number }[];
  box: { xMin: number; yMin: number; width: number; height: number };
}

/** Anything estimateFaces accepts (video, canvas, image, ImageData). */
export type FaceSource =
  | HTMLVideoElement
  | HTMLCanvasElement
  | HTMLImageElement
  | ImageData
  | ImageBitmap
  | OffscreenCanvas;

/** A ready detector; dispose() frees its tensors. */
export interface FaceDetector {
  readonly backend: string;
  estimate(source: FaceSource): Promise<DetectedFace[]>;
  /** Forgets tracking state (call between unrelated images). */
  reset(): void;
  dispose(): void;
}

const DETECTOR = "facemesh/facemesh-detection-short";
const LANDMARKS = "facemesh/facemesh";

interface ModelJson {
  modelTopology: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
  modelInitializer?: unknown;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

// An IOHandler over bytes already verified, so tfjs never fetches (or re-fetches) anything itself.
function memoryHandler(name: string, files: Map<string, Uint8Array>): tf.io.IOHandler {
  const json = JSON.parse(new TextDecoder().decode(files.get(`${name}.json`)!)) as ModelJson;
  const dir = name.slice(0, name.lastIndexOf("/") + 1);
  const bins = json.weightsManifest.flatMap((g) => g.paths).map((p) => {
    const bytes = files.get(dir + p);
    if (!bytes) {
      throw new TypeError(`Model "${name}.json" needs "${dir + p}", which checksums.json does not list`);
    }
    return bytes;
  });
  const weightData = new Uint8Array(bins.reduce((n, b) => n + b.byteLength, 0));
  bins.reduce((offset, b) => (weightData.set(b, offset), offset + b.byteLength), 0);
  return {
    load: () =>
      Promise.resolve({
        modelTopology: json.modelTopology as tf.io.ModelArtifacts["modelTopology"],
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature as tf.io.ModelArtifacts["signature"],
        userDefinedMetadata: json.userDefinedMetadata as tf.io.ModelArtifacts["userDefinedMetadata"],
        modelInitializer: json.modelInitializer as tf.io.ModelArtifacts["modelInitializer"],
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: weightData.buffer,
      }),
  };
}

/**
 * Verifies the weights (throws ModelFileError naming a missing/corrupt file), starts the backend and
 * builds the detector. Browser only.
 */
export async function createFaceDetector(options: FaceDetectorOptions = {}): Promise<FaceDetector> {
  const backend = options.backend ?? "wasm";
  // `location` is the page's, or the worker script's (same origin) inside the vision worker.
  const modelsUrl = options.modelsUrl ?? new URL("/models/", location.href).href;
  const wasmUrl = options.wasmUrl ?? new URL("/vendor/tfjs-wasm/", location.href).href;
  const read = options.read ?? httpModelReader(modelsUrl);
  const manifestBytes = await read("checksums.json");
  if (manifestBytes === null) {
    throw new TypeError(`Model manifest "checksums.json" is missing under ${modelsUrl}`);
  }
  const manifest = parseModelManifest(JSON.parse(new TextDecoder().decode(manifestBytes)));
  const files = await verifyModelFiles(manifest, read);

  if (backend === "wasm") setWasmPaths(wasmUrl);
  if (!(await tf.setBackend(backend))) throw new Error(`Cannot start tfjs backend "${backend}"`);
  await tf.ready();

  const detector = await fld.createDetector(fld.SupportedModels.MediaPipeFaceMesh, {
    runtime: "tfjs",
    maxFaces: options.maxFaces ?? 2,
    refineLandmarks: false,
    detectorModelUrl: memoryHandler(DETECTOR, files),
    landmarkModelUrl: memoryHandler(LANDMARKS, files),
  });
  return {
    backend: tf.getBackend(),
    async estimate(source) {
      const faces = await detector.estimateFaces(source as fld.FaceLandmarksDetectorInput, {
        flipHorizontal: false,
      });
      return faces.map((f) => ({ keypoints: f.keypoints, box: f.box }));
    },
    reset: () => detector.reset(),
    dispose: () => detector.dispose(),
  };
}
