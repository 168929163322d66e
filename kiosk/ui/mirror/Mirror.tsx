/** The camera mirror: mirrored video, zones on the live face, stroke guidance, probe dots, current gauge and prompts. */
import { useEffect, useRef, useState } from "preact/hooks";
import { computed } from "@preact/signals";
import { createFaceMapper } from "../../../core/geometry/mod.ts";
import { defaultZoneMap } from "../../../core/zones/mod.ts";
import { send as sendToKiosk } from "../connection.ts";
import { language, messagesFor } from "../i18n.ts";
import { MIRROR } from "../i18n/mirror.ts";
import { limitText } from "../plain_words.ts";
import { contact, displayFrame, faceSeen, frame, gaugeMaxUa } from "../state.ts";
import { chooseBackend, probeGpu } from "../vision/backend.ts";
import { CameraError, listCameras, openCamera } from "../vision/camera.ts";
import { type CameraFrames, readCameraFrames } from "../vision/camera_frames.ts";
import type { VisionNotice, VisionResult } from "../vision/pipeline.ts";
import { type FrameProcessor, startVisionLoop, type VisionLoop } from "../vision/vision_loop.ts";
import { createDemoSource } from "./_demo_source.ts";
import { openProcessor } from "./_open_processor.ts";
import { type MirrorConfig, parseMirrorConfig } from "./config.ts";
import { mirrorInstrument } from "./instrument.ts";
import { drawOverlay } from "./draw_overlay.ts";
import { buildOverlay } from "./overlay_model.ts";
import { mirrorPrompts, type Prompt } from "./prompts.ts";
import { remember, stored } from "./_camera_choice.ts";

/** Props for Mirror; the page address overrides them (parseMirrorConfig: ?camera=demo|ID, ?backend=wasm, ?hue=120). */
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

const t = messagesFor(MIRROR);
// Stands for the demo scene's label, which is put in words at render (so it follows the language).
const DEMO_LABEL = "\u0000demo";
const gaugeUa = computed(() => displayFrame.value?.currentUa ?? 0);
// Full scale is the device's maximum (the hard ceiling until the device is known). A signal as the style
// attribute updates the bar without re-rendering the mirror; the rest of its look is in app.css.
const gaugeWidth = computed(() =>
  `width:${Math.min(100, (gaugeUa.value / gaugeMaxUa.value) * 100).toFixed(1)}%`
);
// What bounds the output, in the person's words (the µA and the raw limit are in the operator view).
const gaugeLimit = computed(() => limitText(displayFrame.value?.limit ?? "idle", language.value));

// The page address's settings, or the message naming a bad one (shown instead of running the mirror).
function readConfig(): MirrorConfig | string {
  try {
    return parseMirrorConfig(typeof location === "undefined" ? "" : location.search);
  } catch (err) {
    return (err as Error).message;
  }
}

/** The mirror. Mount it in the kiosk's mirror slot; it cleans up camera, tensors and timers on unmount. */
export function Mirror(props: MirrorProps) {
  const host = useRef<HTMLDivElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const [config] = useState(readConfig);
  const [error, setError] = useState<{ model?: string; camera?: string; settings?: string } | null>(
    () => typeof config === "string" ? { settings: config } : null,
  );
  const [loading, setLoading] = useState(true);
  const [notice, setNotice] = useState<VisionNotice>(null);
  const [prompts, setPrompts] = useState<Prompt[]>([]);
  const [cameras, setCameras] = useState<{ deviceId: string; label: string }[]>([]);
  const [cameraChoice, setCameraChoice] = useState(() =>
    (typeof config === "string" ? null : config.camera) ?? stored() ?? props.camera ?? "auto"
  );
  const [sourceLabel, setSourceLabel] = useState("");

  useEffect(() => {
    if (typeof config === "string") return;
    let disposed = false;
    const cleanups: (() => void)[] = [];
    // Runs each cleanup once, newest first (the loop stops before the camera and the model go).
    const cleanUp = () => cleanups.splice(0).reverse().forEach((c) => c());
    const send = props.send ?? sendToKiosk;
    setError(null);
    setLoading(true);
    (async () => {
      let processor: FrameProcessor;
      try {
        const faceUv = await (await fetch("/models/face_uv.json")).json();
        processor = await openProcessor({
          mapper: createFaceMapper(faceUv),
          backend: chooseBackend(config.backend ?? props.backend ?? "auto", probeGpu()),
          locator: { hue: config.hue ?? props.hue ?? 120 },
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
          // (≈ 12 ms); ?frames=video keeps requestVideoFrameCallback, the fallback of other browsers.
          if (camera.track && config.frames === "stream") cameraFrames = readCameraFrames(camera.track);
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
        setSourceLabel(DEMO_LABEL);
      }
      source!.classList.add("mirror-layer");
      host.current?.prepend(source!);
      cleanups.push(() => source.remove());

      let holdTotalS = 0, holdKey = "";
      const loop: VisionLoop = startVisionLoop({
        source: source!,
        frames: cameraFrames,
        processor: running,
        observationSource: demo ? "demo" : "camera",
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
          faceSeen.value = result.map !== null;
          const overlayMs = performance.now() - overlayStart;
          attached?.frameDone(result, { sent, overlayMs, startedAt });
        },
      });
      cleanups.push(() => loop.dispose());
      // Attached in the loop's first task, before any frame is done; disposed before the loop stops.
      const attached = mirrorInstrument()?.({
        processor: running,
        source: source!,
        demo,
        loop,
        cameraFrames,
      });
      if (attached) cleanups.push(() => attached.dispose());
      if (!disposed) setLoading(false);
      else cleanUp();
    })();
    return () => {
      disposed = true;
      // Stop observations first: the engine sees them go stale and holds output at 0.
      cleanUp();
      faceSeen.value = false;
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
          settingsError: error?.settings,
          modelError: error?.model,
          cameraError: error?.camera,
          loading,
          notice,
          frame: frame.value,
          contact: contact.value,
          lang: language.value,
        });
        return JSON.stringify(next) === JSON.stringify(old) ? old : next;
      });
    update();
    const offs = [frame.subscribe(update), contact.subscribe(update), language.subscribe(update)];
    return () => offs.forEach((off) => off());
  }, [error, loading, notice]);

  return (
    <div ref={host} class="mirror-view" data-testid="mirror-view">
      <canvas ref={overlay} class="mirror-layer" />
      <div class="mirror-prompts" role="status" aria-live="polite">
        {prompts.map((p) => <div key={p.text} class="mirror-prompt" data-level={p.level}>{p.text}</div>)}
      </div>
      <div class="mirror-gauge" aria-label={t("gauge")}>
        <div class="mirror-gauge-fill" style={gaugeWidth} />
        <span class="mirror-gauge-text">{gaugeLimit}</span>
      </div>
      <div class="mirror-source">
        {cameras.length > 1
          ? (
            <select
              aria-label={t("camera")}
              value={cameraChoice}
              onChange={(e) => {
                const value = (e.target as HTMLSelectElement).value;
                remember(value);
                setCameraChoice(value);
              }}
            >
              {cameras.map((c) => <option key={c.deviceId} value={c.deviceId}>{c.label}</option>)}
              {props.allowDemo === true && <option value="demo">{t("demoScene")}</option>}
            </select>
          )
          : sourceLabel === DEMO_LABEL
          ? t("demoSource")
          : sourceLabel}
      </div>
    </div>
  );
}
