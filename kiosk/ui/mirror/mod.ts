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
