/** The host's check of a driver's encoded output: what the bytes read back as must not exceed what the engine asked. */
import type { OutputCommand, OutputInspection } from "../../core/sdk/mod.ts";

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
