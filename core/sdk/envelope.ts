/** The output envelope at the driver boundary: what a command may ask, and whether its bytes keep to it. */
// Codecs and the host call validateOutputCommand before encoding; the host checks outputMismatch after.
import type { OutputCommand, OutputInspection } from "./driver.ts";
import { FRAME_VALID_MS, HARD_CEILING_UA } from "../engine/envelope.ts";

/** Hard output ceiling in µA (DESIGN §3 rule 1); no codec may encode more. The engine's constant. */
export { HARD_CEILING_UA };

/** Longest validity a frame may carry, in ms: the engine's frame validity (DESIGN §4: 100 ms). */
export const MAX_VALID_FOR_MS = FRAME_VALID_MS;

/** Throws RangeError naming the field unless the command is finite and inside the hard envelope; returns it. */
export function validateOutputCommand(command: OutputCommand): OutputCommand {
  const { currentUa, freqHz, polarity, validForMs } = command ?? {};
  if (
    typeof currentUa !== "number" || !Number.isFinite(currentUa) || currentUa < 0 ||
    currentUa > HARD_CEILING_UA
  ) {
    throw new RangeError(`Invalid output currentUa: ${currentUa} (expected 0..${HARD_CEILING_UA})`);
  }
  if (typeof freqHz !== "number" || !Number.isFinite(freqHz) || freqHz < 0 || freqHz > 10_000) {
    throw new RangeError(`Invalid output freqHz: ${freqHz} (expected 0..10000)`);
  }
  if (polarity !== "alternating" && polarity !== "positive" && polarity !== "negative") {
    throw new RangeError(`Invalid output polarity: ${JSON.stringify(polarity)}`);
  }
  if (
    typeof validForMs !== "number" || !Number.isInteger(validForMs) || validForMs <= 0 ||
    validForMs > MAX_VALID_FOR_MS
  ) {
    throw new RangeError(`Invalid output validForMs: ${validForMs} (expected 1..${MAX_VALID_FOR_MS})`);
  }
  return command;
}

/**
 * Why the read-back of output bytes breaks the command, or null when it is fine: unreadable bytes, more
 * current than asked (beyond toleranceUa), another polarity, or a longer validity. Polarity and validity
 * are checked only when the driver's read-back reports them.
 */
export function outputMismatch(
  seen: OutputInspection | null | undefined,
  command: OutputCommand,
  toleranceUa = 0.05,
): string | null {
  if (!seen || typeof seen.currentUa !== "number" || !Number.isFinite(seen.currentUa)) {
    return `output() bytes cannot be read back (inspectOutput gave ${JSON.stringify(seen ?? null)})`;
  }
  if (seen.currentUa > command.currentUa + toleranceUa) {
    return `output() encoded ${seen.currentUa} µA when the engine asked for ${command.currentUa} µA`;
  }
  if (seen.polarity !== undefined && seen.polarity !== command.polarity) {
    return `output() encoded polarity ${JSON.stringify(seen.polarity)} when the engine asked for ${
      JSON.stringify(command.polarity)
    }`;
  }
  if (seen.validForMs !== undefined && !(seen.validForMs <= command.validForMs)) {
    return `output() encoded a frame valid for ${seen.validForMs} ms when the engine asked for ${command.validForMs} ms`;
  }
  return null;
}
