/** GP-TXT driver plugin entry: a line-based text protocol over USB CDC-ACM, with CRC-8 and sequence numbers. */
import { defineDriver } from "@glidepath/sdk";
import { inspectTextOutput, TextCodec } from "./codec.ts";
import { TEXT_ENDPOINTS, TEXT_PRODUCT_ID, TEXT_VENDOR_ID } from "./usb_device.ts";

/** The GP-TXT driver definition (what the plugin host loads from this entry). */
export const driver = defineDriver({
  id: "glidepath.sim-text",
  filters: [{ vendorId: TEXT_VENDOR_ID, productId: TEXT_PRODUCT_ID }],
  endpoints: TEXT_ENDPOINTS,
  controlSetup: [
    // SET_LINE_CODING 115200 8N1, then SET_CONTROL_LINE_STATE DTR|RTS: the device talks only while DTR is up.
    {
      requestType: "class",
      recipient: "interface",
      request: 0x20,
      value: 0,
      index: 0,
      data: [0x00, 0xc2, 0x01, 0x00, 0, 0, 8],
    },
    { requestType: "class", recipient: "interface", request: 0x22, value: 0x03, index: 0 },
  ],
  createCodec: () => new TextCodec(),
  inspectOutput: inspectTextOutput,
});

export { inspectTextOutput, TextCodec } from "./codec.ts";
export { encodeLine, parseLine } from "./protocol.ts";
