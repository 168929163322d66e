/** The mirror's on-screen prompts, chosen (pure) from what the camera, model, pipeline and engine report. */
import type { EngineFrame } from "../../../core/engine/types.ts";
import type { VisionNotice } from "../vision/pipeline.ts";

/** One prompt line. */
export interface Prompt {
  level: "error" | "warn" | "info";
  text: string;
}

/** What the prompts are chosen from. */
export interface PromptInput {
  /** A bad setting in the page address (parseMirrorConfig's message): the mirror does not start. */
  settingsError?: string | null;
  /** Model files missing or corrupt (ModelFileError message), or the detector failed to start. */
  modelError?: string | null;
  /** Camera denied, missing or busy (CameraError message). */
  cameraError?: string | null;
  /** Still loading the model or opening the camera. */
  loading?: boolean;
  notice: VisionNotice;
  frame: EngineFrame | null;
}

const pretty = (zone: string) => zone.replace(/-/g, " ");

/** Chooses the prompts, most important first. A blocking problem says that output stays off. */
export function mirrorPrompts(input: PromptInput): Prompt[] {
  if (input.settingsError) return [{ level: "error", text: `${input.settingsError}. Output stays off.` }];
  if (input.modelError) {
    return [{ level: "error", text: `Face model unavailable — ${input.modelError}. Output stays off.` }];
  }
  if (input.cameraError) return [{ level: "error", text: `${input.cameraError} Output stays off.` }];
  if (input.loading) return [{ level: "info", text: "Starting the camera and the face model…" }];
  const out: Prompt[] = [];
  const limit = input.frame?.limit ?? "";
  if (limit.startsWith("keep-out:")) {
    out.push({
      level: "error",
      text: `Probe in a keep-out zone (${pretty(limit.slice(9))}) — move away. Output is off.`,
    });
  }
  if (limit.startsWith("excluded:")) {
    out.push({
      level: "warn",
      text: `You skip this zone (${pretty(limit.slice(9))}) — move to another. Output is off here.`,
    });
  }
  if (input.notice === "no-face") out.push({ level: "warn", text: "No face in view — face the mirror." });
  else if (input.notice === "no-probe") {
    out.push({ level: "warn", text: "Probe not seen — keep the marked probe tip in view." });
  } else if (input.notice === "two-faces") {
    out.push({ level: "warn", text: "Two faces in view — following the nearest (largest) one." });
  }
  if (limit === "off-face") out.push({ level: "warn", text: "Probe is off the face — output is off." });
  if (limit === "no-contact" && input.notice === null) {
    out.push({ level: "info", text: "No skin contact — touch both probe balls to the skin." });
  }
  return out;
}
