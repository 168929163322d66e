/** The mirror's on-screen prompts, chosen (pure) from what the camera, model, pipeline, engine and device report, in the page's language. */
import type { EngineFrame } from "../../../core/engine/types.ts";
import { moreGelNeeded } from "../calibration.ts";
import { type Language, messagesFor } from "../i18n.ts";
import { MIRROR } from "../i18n/mirror.ts";
import { limitText } from "../plain_words.ts";
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
  /** Skin contact as last reported (impedance in ohms): poor contact asks for more gel. Default: unknown. */
  contact?: { on: boolean; impedanceOhm: number | null } | null;
  /** Language of the texts. Default: the page's. */
  lang?: Language;
}

const t = messagesFor(MIRROR);

/** Chooses the prompts, most important first. A blocking problem says that output stays off. */
export function mirrorPrompts(input: PromptInput): Prompt[] {
  const lang = input.lang;
  // The error details come from the camera, the model loader or the address parser, in English.
  if (input.settingsError) {
    return [{ level: "error", text: t("off", { problem: `${input.settingsError}.` }, lang) }];
  }
  if (input.modelError) return [{ level: "error", text: t("model", { detail: input.modelError }, lang) }];
  if (input.cameraError) return [{ level: "error", text: t("off", { problem: input.cameraError }, lang) }];
  if (input.loading) return [{ level: "info", text: t("loading", undefined, lang) }];
  const out: Prompt[] = [];
  const limit = input.frame?.limit ?? "";
  if (limit.startsWith("keep-out:")) {
    out.push({ level: "error", text: t("keepOut", { reason: limitText(limit, lang) }, lang) });
  }
  if (limit.startsWith("excluded:")) {
    out.push({ level: "warn", text: t("excluded", { reason: limitText(limit, lang) }, lang) });
  }
  if (input.notice === "no-face") out.push({ level: "warn", text: t("noFace", undefined, lang) });
  else if (input.notice === "no-probe") out.push({ level: "warn", text: t("noProbe", undefined, lang) });
  else if (input.notice === "two-faces") out.push({ level: "warn", text: t("twoFaces", undefined, lang) });
  if (limit === "off-face") out.push({ level: "warn", text: t("offFace", undefined, lang) });
  if (limit === "no-contact" && input.notice === null) {
    out.push({ level: "info", text: t("noContact", undefined, lang) });
  } else if (moreGelNeeded(input.contact ?? null)) {
    out.push({ level: "warn", text: t("moreGel", undefined, lang) });
  }
  return out;
}
