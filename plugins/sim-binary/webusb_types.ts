/** WebUSB shapes the simulator implements (descriptors here; transfer results from the SDK). */

/** WebUSB transfer results and control setup, as the SDK defines them. */
export type {
  UsbControlParameters as UsbControlTransferParameters,
  UsbInResult as UsbInTransferResult,
  UsbOutResult as UsbOutTransferResult,
} from "@glidepath/sdk";

/** A USB endpoint descriptor. */
export interface UsbEndpoint {
  endpointNumber: number;
  direction: "in" | "out";
  type: "bulk" | "interrupt" | "isochronous";
  packetSize: number;
}

/** An alternate setting of an interface. */
export interface UsbAlternateInterface {
  alternateSetting: number;
  interfaceClass: number;
  interfaceSubclass: number;
  interfaceProtocol: number;
  interfaceName: string | null;
  endpoints: UsbEndpoint[];
}

/** A USB interface. */
export interface UsbInterface {
  interfaceNumber: number;
  alternate: UsbAlternateInterface;
  alternates: UsbAlternateInterface[];
  claimed: boolean;
}

/** A USB configuration. */
export interface UsbConfiguration {
  configurationValue: number;
  configurationName: string | null;
  interfaces: UsbInterface[];
}
