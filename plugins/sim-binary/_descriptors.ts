/** SIM-1 USB descriptors and the DOMExceptions its WebUSB calls reject with. */
import type { UsbConfiguration } from "./webusb_types.ts";

/** Bulk endpoint number, both directions. */
export const ENDPOINT = 1;
/** Bulk packet size. */
export const PACKET = 64;

const alternate = {
  alternateSetting: 0,
  interfaceClass: 0xff,
  interfaceSubclass: 0,
  interfaceProtocol: 0,
  interfaceName: "SIM-1 control",
  endpoints: [
    { endpointNumber: ENDPOINT, direction: "in" as const, type: "bulk" as const, packetSize: PACKET },
    { endpointNumber: ENDPOINT, direction: "out" as const, type: "bulk" as const, packetSize: PACKET },
  ],
};

/** The only configuration: interface 0, vendor class, bulk endpoint 1 in and out. */
export const CONFIGURATION: UsbConfiguration = {
  configurationValue: 1,
  configurationName: "SIM-1",
  interfaces: [{ interfaceNumber: 0, claimed: false, alternate, alternates: [alternate] }],
};

/** Copies any BufferSource into a fresh Uint8Array. */
export function toBytes(data: BufferSource | ArrayBufferView<ArrayBufferLike>): Uint8Array {
  if (data instanceof Uint8Array) return data.slice();
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  }
  return new Uint8Array((data as ArrayBuffer).slice(0));
}

/** The device is unplugged or forgotten. */
export function gone(what: string): DOMException {
  return new DOMException(`Cannot ${what}: the device was disconnected.`, "NetworkError");
}

/** The call is not allowed in the current state. */
export function invalid(what: string, why: string): DOMException {
  return new DOMException(`Cannot ${what}: ${why}.`, "InvalidStateError");
}
