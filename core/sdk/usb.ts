/** The slice of the WebUSB USBDevice interface that drivers' hosts and simulated devices share. */

/** Result of a bulk IN transfer (WebUSB USBInTransferResult). */
export interface UsbInResult {
  data?: DataView;
  status: "ok" | "stall" | "babble";
}

/** Result of a bulk OUT or control OUT transfer (WebUSB USBOutTransferResult). */
export interface UsbOutResult {
  bytesWritten: number;
  status: "ok" | "stall";
}

/** Control transfer parameters (WebUSB USBControlTransferParameters). */
export interface UsbControlParameters {
  requestType: "standard" | "class" | "vendor";
  recipient: "device" | "interface" | "endpoint" | "other";
  request: number;
  value: number;
  index: number;
}

/** A WebUSB-shaped USB device: the browser's WebUSB USBDevice, the npm `usb` WebUSB device, or a simulation. */
export interface UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly deviceClass: number;
  readonly productName?: string;
  readonly serialNumber?: string;
  readonly opened: boolean;
  readonly configuration?: { configurationValue: number } | null;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(value: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  controlTransferOut(setup: UsbControlParameters, data?: BufferSource): Promise<UsbOutResult>;
  transferOut(endpointNumber: number, data: BufferSource): Promise<UsbOutResult>;
  /** Resolves with the next packet the device sends (waits while it has nothing). */
  transferIn(endpointNumber: number, length: number): Promise<UsbInResult>;
}

/** True when the device matches one of the filters (WebUSB requestDevice rules). */
export function matchesFilters(
  device: Pick<UsbDeviceLike, "vendorId" | "productId" | "deviceClass">,
  filters: readonly { vendorId: number; productId?: number; classCode?: number }[],
): boolean {
  return filters.some((f) =>
    f.vendorId === device.vendorId &&
    (f.productId === undefined || f.productId === device.productId) &&
    (f.classCode === undefined || f.classCode === device.deviceClass)
  );
}
