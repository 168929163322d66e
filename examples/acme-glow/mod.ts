/** Acme Glow G2 driver plugin entry (example third-party plugin; imports only "@glidepath/sdk"). */
import { defineDriver } from "@glidepath/sdk";
import { GlowCodec, inspectGlowOutput } from "./codec.ts";

/** The driver the kiosk loads from this entry. */
export const driver = defineDriver({
  id: "acme.glow",
  filters: [{ vendorId: 0x1209, productId: 0xac02 }],
  endpoints: { interfaceNumber: 0, out: 1, in: 1, packetSize: 64 },
  createCodec: () => new GlowCodec(),
  inspectOutput: inspectGlowOutput,
});
