/** The SIM-1 driver definition: USB filters, endpoints, the codec factory and the output read-back. */
import { defineDriver, type OutputInspection } from "@glidepath/sdk";
import { createSimBinaryCodec } from "./codec.ts";
import { FrameParser } from "./frame.ts";
import { decodeOutput, HostType } from "./messages.ts";

/** pid.codes test vendor id used by the SIM-1. */
export const SIM1_VENDOR_ID = 0x1209;
/** SIM-1 product id. */
export const SIM1_PRODUCT_ID = 0x6750;

/** Reads back what host-bound bytes command: the OUTPUT current, 0 for STOP, null for anything else. */
export function inspectSimOutput(bytes: Uint8Array): OutputInspection | null {
  let seen: OutputInspection | null = null;
  for (const item of new FrameParser().push(bytes)) {
    if (!item.ok) continue;
    const { type, payload } = item.frame;
    if (type === HostType.STOP && seen === null) seen = { currentUa: 0 };
    const cmd = type === HostType.OUTPUT ? decodeOutput(payload) : null;
    if (cmd && (seen === null || cmd.currentUa >= seen.currentUa)) {
      seen = { currentUa: cmd.currentUa, polarity: cmd.polarity, validForMs: cmd.validForMs };
    }
  }
  return seen;
}

/** Driver for the Glidepath SIM-1: vendor-specific interface 0, bulk endpoint 1 in and out, 64-byte packets. */
export const simBinaryDriver = defineDriver({
  id: "glidepath.sim-binary",
  filters: [{ vendorId: SIM1_VENDOR_ID, productId: SIM1_PRODUCT_ID }],
  endpoints: { interfaceNumber: 0, out: 1, in: 1, packetSize: 64 },
  createCodec: createSimBinaryCodec,
  inspectOutput: inspectSimOutput,
});

/** The plugin entry's default export is the driver definition. */
export default simBinaryDriver;
