/** The camera mirror: mirrored video, zones on the live face, stroke guidance, probe dots, current gauge and prompts. */
import { useEffect, useRef, useState } from "preact/hooks";
import { computed } from "@preact/signals";
import * as tf from "@tensorflow/tfjs-core";
import type { EngineFrame } from "../../../core/engine/types.ts";
import { createFaceMapper, createUvSmoother } from "../../../core/geometry/mod.ts";
import { defaultZoneMap } from "../../../core/zones/mod.ts";
import { createMarkerLocator } from "../../../plugins/locator-marker/mod.ts";
import { createDemoProbe } from "../../session/demo_probe.ts";
import { send as sendToKiosk } from "../connection.ts";
import { frame } from "../state.ts";
import { chooseBackend, probeGpu } from "../vision/backend.ts";
import { CameraError, listCameras, openCamera } from "../vision/camera.ts";
import { createFrameCapturer } from "../vision/capture.ts";
import { DEMO_SIZE, drawDemoScene } from "../vision/demo_scene.ts";
import { createFaceDetector } from "../vision/face_detector.ts";
import { createVisionPipeline, type VisionNotice, type VisionResult } from "../vision/pipeline.ts";
import {
  type FrameProcessor,
  mainThreadProcessor,
  startVisionLoop,
  type VisionLoop,
} from "../vision/vision_loop.ts";
import { startVisionWorker, VisionWorkerError } from "../vision/worker_client.ts";
import { drawOverlay } from "./draw_overlay.ts";
import { buildOverlay } from "./overlay_model.ts";
import { mirrorPrompts, type Prompt } from "./prompts.ts";

/** Props for Mirror; URL parameters override them (?camera=demo|ID, ?backend=wasm, ?hue=120, ?worker=1, ?test=1). */
export interface MirrorProps {
  /** "auto" (the browser's camera), "demo" (the face photo scene) or a camera deviceId. Default "auto". */
  camera?: string;
  /** tfjs backend: "auto", "wasm", "webgl" or "cpu". Default "auto". */
  backend?: string;
  /** Use the demo scene when no camera exists (only where the kiosk runs in demo mode). Default false. */
  demoWhenNoCamera?: boolean;
  /** Marker hue for the locator, degrees. Default 120 (green). */
  hue?: number;
  /** Sends a message to the kiosk. Default: the page's WebSocket. */
  send?: (message: Record<string, unknown>) => boolean;
}

const gaugeUa = computed(() => frame.value?.currentUa ?? 0);
const gaugeText = computed(() => `${gaugeUa.value.toFixed(0)} µA`);
const gaugeStyle = computed(() =>
  `width:${
    Math.min(100, (gaugeUa.value / 500) * 100).toFixed(1)
  }%;height:100%;background:#3ecf7a;border-radius:6px`
);
const gaugeLimit = computed(() => frame.value?.limit ?? "idle");

/** Test hook (?test=1): what the e2e test and the benchmark read from the page. */
interface MirrorHook {
  results: Record<string, unknown>[];
  /** performance.timeOrigin, to put page times on the wall clock. */
  timeOrigin: number;
  frames: { at: number; t: number; currentUa: number; zone: string | null; limit: string }[];
  backend: string;
  source: string;
  pause(): void;
  resume(): void;
  rawFps(ms: number): Promise<number>;
  /** Live tfjs tensors on the page (leak check; the worker's are its own). */
  tensors(): number;
}

function param(name: string): string | null {
  return typeof location === "undefined" ? null : new URLSearchParams(location.search).get(name);
}

const CAMERA_KEY = "glidepath.mirror.camera";

// The camera picked in the menu survives a reload (storage may be unavailable: then it does not).
function stored(): string | null {
  try {
    return localStorage.getItem(CAMERA_KEY);
  } catch {
    return null;
  }
}

function remember(choice: string): void {
  try {
    localStorage.setItem(CAMERA_KEY, choice);
  } catch {
    // not remembered
  }
}

async function loadImage(src: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = src;
  await img.decode();
  return img;
}

/** The mirror. Mount it in the kiosk's mirror slot; it cleans up camera, tensors and timers on unmount. */
export function Mirror(props: MirrorProps) {
  const host = useRef<HTMLDivElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const [error, setError] = useState<{ model?: string; camera?: string } | null>(null);
  const [loading, setLoading] = useState(true);
  const [notice, setNotice] = useState<VisionNotice>(null);
  const [prompts, setPrompts] = useState<Prompt[]>([]);
  const [cameras, setCameras] = useState<{ deviceId: string; label: string }[]>([]);
  const [cameraChoice, setCameraChoice] = useState(() =>
    param("camera") ?? stored() ?? props.camera ?? "auto"
  );
  const [sourceLabel, setSourceLabel] = useState("");

  useEffect(() => {
    let disposed = false;
    const cleanups: (() => void)[] = [];
    const send = props.send ?? sendToKiosk;
    const test = param("test") === "1";
    setError(null);
    setLoading(true);
    (async () => {
      let processor: FrameProcessor | null = null;
      let faceUv;
      let mapper;
      try {
        faceUv = await (await fetch("/models/face_uv.json")).json();
        mapper = createFaceMapper(faceUv);
        const backend = chooseBackend(param("backend") ?? props.backend ?? "auto", probeGpu());
        const locator = { hue: Number(param("hue") ?? props.hue ?? 120) };
        // The mesh runs on the 320×240 locator frame: ~35 % cheaper than 640×480, median UV error 1.9 mm
        // instead of 1.4 mm in the e2e video. ?mesh=full runs it on the full frame.
        const meshOnSample = param("mesh") !== "full";
        // ?worker=1 runs the mesh in a worker. Off by default: on the 2-core reference machine the worker's
        // ImageBitmap hand-off made frames ~20 ms slower than the page's thread (docs/mirror.md).
        if (
          param("worker") === "1" && typeof Worker !== "undefined" && typeof OffscreenCanvas !== "undefined"
        ) {
          try {
            processor = await startVisionWorker({
              faceUv,
              mapper,
              backend,
              locator,
              readTags: test,
              meshOnSample,
            });
          } catch (err) {
            if (err instanceof VisionWorkerError && err.problem === "model") throw err;
            console.warn("mirror: vision worker unavailable, running on the page's thread:", err);
          }
        }
        if (!processor) {
          // One face tracked every frame (cheap); a second detector checks for two faces once a second.
          const detector = await createFaceDetector({ backend, maxFaces: 1 });
          const crowd = await createFaceDetector({ backend, maxFaces: 2 });
          const pipeline = createVisionPipeline({
            detector,
            crowd,
            resetTracking: () => detector.reset(),
            locator: createMarkerLocator(locator),
            mapper,
            smoother: createUvSmoother(),
          }, { readTags: test, meshOnSample });
          processor = mainThreadProcessor({ capturer: createFrameCapturer(), pipeline, detector }, {
            dispose: () => (detector.dispose(), crowd.dispose()),
            meshOnSample,
          });
        }
      } catch (err) {
        if (!disposed) setError({ model: (err as Error).message });
        return;
      }
      const running = processor;
      cleanups.push(() => running.dispose());
      if (disposed) return cleanups.forEach((c) => c());

      let source: HTMLVideoElement | HTMLCanvasElement;
      let beforeCapture: ((now: number) => void) | undefined;
      let demo = cameraChoice === "demo";
      if (!demo) {
        try {
          const camera = await openCamera(cameraChoice === "auto" ? {} : { deviceId: cameraChoice }).catch(
            (err) => {
              // A remembered camera that is gone: use the browser's choice instead of failing.
              if (cameraChoice === "auto" || !(err instanceof CameraError && err.problem === "missing")) {
                throw err;
              }
              return openCamera({});
            },
          );
          cleanups.push(() => camera.dispose());
          source = camera.video;
          setSourceLabel(camera.label);
          listCameras().then((list) => !disposed && setCameras(list)).catch(() => {});
        } catch (err) {
          if (err instanceof CameraError && err.problem === "missing" && props.demoWhenNoCamera) demo = true;
          else {
            if (!disposed) setError({ camera: (err as Error).message });
            return cleanups.forEach((c) => c());
          }
        }
      }
      let lastResult: VisionResult | null = null;
      if (demo) {
        const canvas = document.createElement("canvas");
        [canvas.width, canvas.height] = [DEMO_SIZE.width, DEMO_SIZE.height];
        const ctx = canvas.getContext("2d")!;
        const photo = await loadImage("/assets/astronaut.png");
        const probe = createDemoProbe({ glideMs: 2000 });
        let position: { u: number; v: number } | null = null;
        const unsubscribe = frame.subscribe((f) => {
          if (f) position = probe.step(f).points[0] ?? null;
        });
        cleanups.push(unsubscribe);
        beforeCapture = () => {
          const at = position && lastResult?.map ? lastResult.map.toImage(position.u, position.v) : null;
          drawDemoScene(ctx, photo, { markers: at ? [at] : [] });
        };
        source = canvas;
        setSourceLabel("demo scene (face photo)");
      }
      source!.setAttribute("style", "position:absolute;inset:0;width:100%;height:100%;transform:scaleX(-1)");
      host.current?.prepend(source!);
      cleanups.push(() => source.remove());

      const hook: MirrorHook | null = test
        ? {
          results: [],
          frames: [],
          timeOrigin: performance.timeOrigin,
          backend: running.backend,
          source: demo ? "demo" : "camera",
          tensors: () => tf.memory().numTensors,
          pause: () => loop.pause(),
          resume: () => loop.resume(),
          async rawFps(ms) {
            loop.pause();
            await new Promise((r) => setTimeout(r, 100));
            const fps = await running.rawFps(source, ms);
            loop.resume();
            return fps;
          },
        }
        : null;
      if (hook) {
        (globalThis as unknown as { __mirror: MirrorHook }).__mirror = hook;
        cleanups.push(frame.subscribe((f: EngineFrame | null) => {
          if (f) {
            hook.frames.push({
              at: performance.now(),
              t: f.t,
              currentUa: f.currentUa,
              zone: f.zone,
              limit: f.limit,
            });
          }
        }));
      }
      let holdTotalS = 0, holdKey = "";
      const loop: VisionLoop = startVisionLoop({
        source: source!,
        processor: running,
        send,
        beforeCapture,
        onResult(result, sent, startedAt) {
          lastResult = result;
          const f = frame.value;
          const g = f?.guidance;
          const key = g ? `${g.stepIndex}:${g.passesDone}` : "";
          if (key !== holdKey) [holdKey, holdTotalS] = [key, 0];
          holdTotalS = Math.max(holdTotalS, g?.holdRemainingS ?? 0);
          const overlayStart = performance.now();
          const canvas = overlay.current;
          if (canvas) {
            if (canvas.width !== result.width) [canvas.width, canvas.height] = [result.width, result.height];
            const shapes = buildOverlay({
              map: result.map,
              frame: f,
              zones: defaultZoneMap,
              tips: result.tips,
              probeUv: result.observation.points,
              holdTotalS,
            });
            drawOverlay(canvas.getContext("2d")!, shapes);
          }
          setNotice(result.notice);
          const overlayMs = performance.now() - overlayStart;
          if (hook) {
            hook.results.push({
              capturedAt: result.capturedAt,
              sentAt: performance.now(),
              sent,
              tag: result.tag,
              faceCount: result.faceCount,
              points: result.observation.points,
              confidence: result.observation.confidence,
              notice: result.notice,
              meshMs: result.meshMs,
              restMs: result.restMs,
              overlayMs,
              // Whole frame: capture, mesh, locator, UV, smoothing, send, overlay.
              workMs: performance.now() - startedAt,
            });
          }
        },
      });
      cleanups.push(() => loop.dispose());
      if (!disposed) setLoading(false);
      else cleanups.forEach((c) => c());
    })();
    return () => {
      disposed = true;
      // Stop observations first: the engine sees them go stale and holds output at 0.
      cleanups.reverse().forEach((c) => c());
    };
  }, [cameraChoice]);

  // Prompts follow the engine frame too (keep-out, contact), so recompute when either changes.
  useEffect(() => {
    const update = () =>
      setPrompts((old) => {
        const next = mirrorPrompts({
          modelError: error?.model,
          cameraError: error?.camera,
          loading,
          notice,
          frame: frame.value,
        });
        return JSON.stringify(next) === JSON.stringify(old) ? old : next;
      });
    update();
    return frame.subscribe(update);
  }, [error, loading, notice]);

  return (
    <div
      ref={host}
      data-testid="mirror-view"
      style={{
        position: "relative",
        width: "100%",
        aspectRatio: "4 / 3",
        background: "#000",
        overflow: "hidden",
      }}
    >
      <canvas
        ref={overlay}
        style={{ position: "absolute", inset: 0, width: "100%", height: "100%", transform: "scaleX(-1)" }}
      />
      <div
        role="status"
        aria-live="polite"
        style={{
          position: "absolute",
          left: "12px",
          right: "12px",
          bottom: "48px",
          display: "grid",
          gap: "6px",
        }}
      >
        {prompts.map((p) => (
          <div
            key={p.text}
            data-level={p.level}
            style={{
              padding: "6px 10px",
              borderRadius: "8px",
              font: "600 15px system-ui, sans-serif",
              color: "#fff",
              background: p.level === "error" ? "#b3261ee6" : p.level === "warn" ? "#8a5a00e6" : "#1f3b5ce6",
            }}
          >
            {p.text}
          </div>
        ))}
      </div>
      <div
        aria-label="output current"
        style={{
          position: "absolute",
          left: "12px",
          right: "12px",
          bottom: "12px",
          height: "26px",
          background: "#000a",
          borderRadius: "6px",
        }}
      >
        <div style={gaugeStyle} />
        <span
          style={{ position: "absolute", left: "8px", top: "3px", font: "600 14px system-ui", color: "#fff" }}
        >
          {gaugeText} · {gaugeLimit}
        </span>
      </div>
      <div
        style={{ position: "absolute", top: "10px", right: "10px", font: "12px system-ui", color: "#ccc" }}
      >
        {cameras.length > 1
          ? (
            <select
              aria-label="camera"
              value={cameraChoice}
              onChange={(e) => {
                const value = (e.target as HTMLSelectElement).value;
                remember(value);
                setCameraChoice(value);
              }}
            >
              {cameras.map((c) => <option key={c.deviceId} value={c.deviceId}>{c.label}</option>)}
              <option value="demo">Demo scene</option>
            </select>
          )
          : sourceLabel}
      </div>
    </div>
  );
}
