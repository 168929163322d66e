/** Picks the tfjs backend: a GPU backend only where a real GPU is present, wasm otherwise; a URL param overrides. */

/** Backends this build ships. */
export const BACKENDS = ["webgl", "wasm", "cpu"] as const;

/** A shipped backend name. */
export type BackendName = typeof BACKENDS[number];

/** What the page learned about the GPU. */
export interface GpuInfo {
  /** A hardware GPU renders WebGL (not SwiftShader, llvmpipe or another software rasteriser). */
  hardware: boolean;
  /** The WebGL renderer string, when readable. */
  renderer: string;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

/**
 * Chooses a backend. `requested` comes from the URL (`?backend=wasm`) or settings; null or "auto"
 * picks webgl on a hardware GPU and wasm otherwise (webgl on SwiftShader runs ~9 fps, wasm ~74 fps).
 */
export function chooseBackend(requested: string | null, gpu: GpuInfo): BackendName {
  if (requested === null || requested === "" || requested === "auto") return gpu.hardware ? "webgl" : "wasm";
  if (!(BACKENDS as readonly string[]).includes(requested)) {
    throw new TypeError(
      `Backend "${requested}" is not available; choose one of auto, ${BACKENDS.join(", ")}`,
    );
  }
  return requested as BackendName;
}

/** Classifies a WebGL renderer string. */
export function isHardwareRenderer(renderer: string): boolean {
  return renderer !== "" && !SOFTWARE.test(renderer);
}

/** Probes WebGL in the page (browser only); no context counts as no GPU. */
export function probeGpu(): GpuInfo {
  try {
    const canvas = document.createElement("canvas");
    const gl = (canvas.getContext("webgl2") ?? canvas.getContext("webgl")) as WebGLRenderingContext | null;
    if (!gl) return { hardware: false, renderer: "" };
    const ext = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? "");
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return { hardware: isHardwareRenderer(renderer), renderer };
  } catch {
    return { hardware: false, renderer: "" };
  }
}
