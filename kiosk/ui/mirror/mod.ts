/** The camera mirror component and its pure overlay/prompt logic. */
export { Mirror, type MirrorProps } from "./Mirror.tsx";
export {
  buildOverlay,
  type OverlayInput,
  type OverlayOptions,
  type OverlayShapes,
  type Px,
  type ZoneShape,
} from "./overlay_model.ts";
export { mirrorPrompts, type Prompt, type PromptInput } from "./prompts.ts";
export { drawOverlay } from "./draw_overlay.ts";
export { type MirrorConfig, parseMirrorConfig } from "./config.ts";
export {
  type MirrorAttachment,
  type MirrorInstrument,
  mirrorInstrument,
  type MirrorSession,
  setMirrorInstrument,
} from "./instrument.ts";
