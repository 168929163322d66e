/** The stimulation engine, its safety envelope and its event/frame vocabulary (DESIGN §3–§4). */
export { createEngine, Engine } from "./engine.ts";
export type { EngineOptions } from "./engine.ts";
export { parseEvent } from "./parse_event.ts";
export type { ParseEventOptions } from "./parse_event.ts";
export { errorField, FieldError, FieldRangeError } from "./field_error.ts";
export {
  CONTRAINDICATIONS,
  FRAME_MS,
  FRAME_VALID_MS,
  HARD_CEILING_UA,
  isContraindicated,
  MAX_STIMULATION_MS,
  MIN_CONFIDENCE,
  slewLimited,
  STALE_TRACKING_MS,
  tightestBound,
} from "./envelope.ts";
export type { Bound } from "./envelope.ts";
export { GuidanceTracker, strokeProgress } from "./guidance.ts";
export type {
  EngineEvent,
  EngineFrame,
  Guidance,
  LimitReason,
  ScreeningAnswers,
  SessionState,
  UvPoint,
} from "./types.ts";
