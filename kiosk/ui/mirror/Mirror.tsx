/** The camera mirror: mirrored video, zones on the live face, stroke guidance, probe dots, current gauge and prompts. */
import { useEffect, useRef, useState } from "preact/hooks";
import { computed } from "@preact/signals";
import { createFaceMapper } from "../../../core/geometry/mod.ts";
import { defaultZoneMap } from "../../../core/zones/mod.ts";
import { send as sendToKiosk } from "../connection.ts";
import { displayFrame, frame } from "../state.ts";
import { chooseBackend, probeGpu } from "../vision/backend.ts";
import { CameraError, listCameras, openCamera } from "../vision/camera.ts";
import { type CameraFrames, readCameraFrames } from "../vision/camera_frames.ts";
import type { VisionNotice, VisionResult } from "../vision/pipeline.ts";
import { type FrameProcessor, startVisionLoop, type VisionLoop } from "../vision/vision_loop.ts";
import { createDemoSource } from "./_demo_source.ts";
import { openProcessor } from "./_open_processor.ts";
import { type InstalledHook, installTestHook } from "./_test_hook.ts";
import { drawOverlay } from "./draw_overlay.ts";
import { buildOverlay } from "./overlay_model.ts";
import { mirrorPrompts, type Prompt } from "./prompts.ts";
import { remember, stored } from "./_camera_choice.ts";

/** Props for Mirror; URL parameters override them (?camera=demo|ID, ?backend=wasm, ?hue=120, ?worker=1, ?frames=video, ?test=1). */
export interface MirrorProps {
  /** "auto" (the browser's camera), "demo" (the face photo scene) or a camera deviceId. Default "auto". */
  camera?: string;
  /** tfjs backend: "auto", "wasm", "webgl" or "cpu". Default "auto". */
  backend?: string;
  /** Use the demo scene when no camera exists (only where the kiosk runs in demo mode). Default false. */
  demoWhenNoCamera?: boolean;
  /** The demo scene may be used at all (/api/health `demoAllowed`); when false it is hidden and never used. Default false. */
  allowDemo?: boolean;
  /** Marker hue for the locator, degrees. Default 120 (green). */
  hue?: number;
  /** Sends a message to the kiosk. Default: the page's WebSocket. */
  send?: (message: Record<string, unknown>) => boolean;
}

const gaugeUa = computed(() => displayFrame.value?.currentUa ?? 0);
const gaugeText = computed(() => `${gaugeUa.value.toFixed(0)} µA`);
const gaugeStyle = computed(() =>
  `width:${
    Math.min(100, (gaugeUa.value / 500) * 100).toFixed(1)
  }%;height:100%;background:#3ecf7a;border-radius:6px`
);
const gaugeLimit = computed(() => displayFrame.value?.limit ?? "idle");

function param(name: string): string | null {
  return typeof location === "undefined" ? null : new URLSearchParams(location.search).get(name);
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
    // Runs each cleanup once, newest first (the loop stops before the camera and the model go).
    const cleanUp = () => cleanups.splice(0).reverse().forEach((c) => c());
    const send = props.send ?? sendToKiosk;
    const test = param("test") === "1";
    setError(null);
    setLoading(true);
    (async () => {
      let processor: FrameProcessor;
      try {
        const faceUv = await (await fetch("/models/face_uv.json")).json();
        processor = await openProcessor({
          faceUv,
          mapper: createFaceMapper(faceUv),
          backend: chooseBackend(param("backend") ?? props.backend ?? "auto", probeGpu()),
          locator: { hue: Number(param("hue") ?? props.hue ?? 120) },
          readTags: test,
          // The mesh runs on the 320×240 locator frame (docs/mirror.md); ?mesh=full uses the full frame.
          meshOnSample: param("mesh") !== "full",
          // ?worker=1 runs the mesh in a worker; off by default: slower on the 2-core reference machine.
          worker: param("worker") === "1",
        });
      } catch (err) {
        if (!disposed) setError({ model: (err as Error).message });
        return;
      }
      const running = processor;
      cleanups.push(() => running.dispose());
      if (disposed) return cleanUp();

      let source: HTMLVideoElement | HTMLCanvasElement;
      let cameraFrames: CameraFrames | null = null;
      let beforeCapture: (() => void) | undefined;
      let demo = cameraChoice === "demo" && props.allowDemo === true;
      if (!demo) {
        try {
          const camera = await openCamera(
            cameraChoice === "auto" || cameraChoice === "demo" ? {} : { deviceId: cameraChoice },
          ).catch(
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
          // Frames as they arrive (≈ 1.5 ms after capture) instead of at the page's next rendering step
          // (≈ 12 ms); ?frames=video keeps requestVideoFrameCallback. The worker path, and the mesh on the full
          // frame (?mesh=full: it reads the element), use the element.
          if (
            camera.track && param("frames") !== "video" && param("worker") !== "1" && param("mesh") !== "full"
          ) {
            cameraFrames = readCameraFrames(camera.track);
          }
          const reading = cameraFrames;
          if (reading) cleanups.push(() => reading.dispose());
          setSourceLabel(camera.label);
          listCameras().then((list) => !disposed && setCameras(list)).catch(() => {});
        } catch (err) {
          if (
            err instanceof CameraError && err.problem === "missing" && props.demoWhenNoCamera &&
            props.allowDemo === true
          ) demo = true;
          else {
            if (!disposed) setError({ camera: (err as Error).message });
            return cleanUp();
          }
        }
      }
      let lastResult: VisionResult | null = null;
      if (demo) {
        const scene = await createDemoSource(frame, () => lastResult?.map ?? null);
        cleanups.push(() => scene.dispose());
        beforeCapture = scene.draw;
        source = scene.canvas;
        setSourceLabel("demo scene (face photo)");
      }
      source!.setAttribute("style", "position:absolute;inset:0;width:100%;height:100%;transform:scaleX(-1)");
      host.current?.prepend(source!);
      cleanups.push(() => source.remove());

      let loop: VisionLoop | null = null;
      const hook: InstalledHook | null = test
        ? installTestHook(
          { processor: running, source: source!, demo, loop: () => loop!, cameraFrames },
          frame,
        )
        : null;
      if (hook) cleanups.push(() => hook.dispose());
      let holdTotalS = 0, holdKey = "";
      loop = startVisionLoop({
        source: source!,
        frames: cameraFrames,
        processor: running,
        // The kiosk accepts demo observations only where the demo is allowed, so each says where it came from.
        send: (m) => send(m.type === "probe" ? { ...m, source: demo ? "demo" : "camera" } : m),
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
          hook?.record(result, { sent, overlayMs, startedAt });
        },
      });
      const started = loop;
      cleanups.push(() => started.dispose());
      if (!disposed) setLoading(false);
      else cleanUp();
    })();
    return () => {
      disposed = true;
      // Stop observations first: the engine sees them go stale and holds output at 0.
      cleanUp();
    };
  }, [cameraChoice]);

  // While the mirror cannot run, it still tells the kiosk it is here and tracking nothing (/api/health).
  useEffect(() => {
    if (!error) return;
    const report = () =>
      (props.send ?? sendToKiosk)({ type: "tracking", faceSeen: false, probeSeen: false, fps: 0 });
    report();
    const timer = setInterval(report, 1000);
    return () => clearInterval(timer);
  }, [error]);

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
              {props.allowDemo === true && <option value="demo">Demo scene</option>}
            </select>
          )
          : sourceLabel}
      </div>
    </div>
  );
}
