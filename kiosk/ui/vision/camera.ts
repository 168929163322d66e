/** The camera: getUserMedia with a chosen device, friendly errors, and dispose(). Browser only. */

/** Why the camera could not be opened. */
export type CameraProblem = "denied" | "missing" | "busy" | "unsupported" | "failed";

/** A camera that could not be opened; `message` is what the mirror shows. */
export class CameraError extends Error {
  readonly problem: CameraProblem;
  constructor(problem: CameraProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CameraError";
    this.problem = problem;
  }
}

/** An open camera stream attached to a video element. */
export interface Camera {
  readonly video: HTMLVideoElement;
  /** The camera's video track (read frame by frame by camera_frames.ts). */
  readonly track: MediaStreamTrack | null;
  readonly deviceId: string;
  readonly label: string;
  dispose(): void;
}

/** Options for openCamera. */
export interface CameraOptions {
  /** Device to open (from listCameras); default: the browser's choice (user-facing if any). */
  deviceId?: string;
  /** Requested size. Default 640×480 (what the face mesh and its benchmarks assume). */
  width?: number;
  height?: number;
}

/** Video input devices (labels appear once camera permission was granted). */
export async function listCameras(): Promise<{ deviceId: string; label: string }[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === "videoinput").map((d, i) => ({
    deviceId: d.deviceId,
    label: d.label || `Camera ${i + 1}`,
  }));
}

function explain(err: unknown): CameraError {
  const name = (err as { name?: string })?.name ?? "";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return new CameraError(
      "denied",
      "Camera access was denied. Allow the camera for this page, then reload.",
      { cause: err },
    );
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") {
    return new CameraError(
      "missing",
      "No camera found. Connect a camera and reload the page.",
      { cause: err },
    );
  }
  if (name === "NotReadableError" || name === "AbortError") {
    return new CameraError("busy", "The camera is in use by another program or failed to start.", {
      cause: err,
    });
  }
  return new CameraError(
    "failed",
    `The camera could not be opened: ${String((err as Error)?.message ?? err)}`,
    { cause: err },
  );
}

/** Opens the camera and resolves when the first frame size is known. Throws CameraError. */
export async function openCamera(options: CameraOptions = {}): Promise<Camera> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError(
      "unsupported",
      "This browser gives no camera access (it needs https or localhost).",
    );
  }
  const { width = 640, height = 480 } = options;
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: {
        width: { ideal: width },
        height: { ideal: height },
        ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : { facingMode: "user" }),
      },
    });
  } catch (err) {
    throw explain(err);
  }
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  const stop = () => stream.getTracks().forEach((t) => t.stop());
  try {
    await video.play();
    if (video.videoWidth === 0) {
      await new Promise<void>((resolve) =>
        video.addEventListener("loadedmetadata", () => resolve(), { once: true })
      );
    }
  } catch (err) {
    stop();
    throw explain(err);
  }
  // tfjs reads the element's width/height attributes as the frame size.
  video.width = video.videoWidth;
  video.height = video.videoHeight;
  const track = stream.getVideoTracks()[0];
  return {
    video,
    track: track ?? null,
    deviceId: track?.getSettings().deviceId ?? "",
    label: track?.label ?? "",
    dispose() {
      stop();
      video.srcObject = null;
    },
  };
}
