/** defineDriver(): checks a driver definition when its module loads, so mistakes show up before a device does. */
import type { DriverCodec, DriverDefinition, OutputInspection } from "./driver.ts";

/** A driver definition after defineDriver(): inspectOutput is present. */
export type CheckedDriverDefinition = Readonly<
  DriverDefinition & Required<Pick<DriverDefinition, "inspectOutput">>
>;

const CODEC_METHODS: (keyof DriverCodec)[] = ["hello", "limits", "output", "stop", "decode"];

/** Validates a driver definition and returns a frozen copy; throws TypeError naming the bad field. */
export function defineDriver(definition: DriverDefinition): CheckedDriverDefinition {
  const where = `Driver ${JSON.stringify(definition?.id ?? "?")}`;
  if (typeof definition !== "object" || definition === null) {
    throw new TypeError("Driver definition must be an object");
  }
  if (typeof definition.id !== "string" || !/^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/.test(definition.id)) {
    throw new TypeError(`${where}: "id" must be lowercase and dotted, got ${JSON.stringify(definition.id)}`);
  }
  if (!Array.isArray(definition.filters) || definition.filters.length === 0) {
    throw new TypeError(`${where}: "filters" must be a non-empty array`);
  }
  definition.filters.forEach((f, i) => {
    if (!Number.isInteger(f?.vendorId) || f.vendorId < 0 || f.vendorId > 0xffff) {
      throw new TypeError(
        `${where}: "filters[${i}].vendorId" must be an integer 0..65535, got ${f?.vendorId}`,
      );
    }
  });
  const ep = definition.endpoints;
  for (const key of ["interfaceNumber", "out", "in", "packetSize"] as const) {
    const value = ep?.[key];
    if (!Number.isInteger(value) || value! < 0 || value! > (key === "packetSize" ? 1024 : 255)) {
      throw new TypeError(`${where}: "endpoints.${key}" must be a small non-negative integer, got ${value}`);
    }
  }
  if (typeof definition.createCodec !== "function") {
    throw new TypeError(`${where}: "createCodec" must be a function`);
  }
  if (typeof definition.inspectOutput !== "function") {
    throw new TypeError(`${where}: "inspectOutput" must be a function (bytes) => { currentUa } | null`);
  }
  return Object.freeze({
    ...definition,
    filters: definition.filters.map((f) => Object.freeze({ ...f })),
    endpoints: Object.freeze({ ...ep }),
    createCodec(): DriverCodec {
      const codec = definition.createCodec();
      for (const m of CODEC_METHODS) {
        if (typeof codec?.[m] !== "function") {
          throw new TypeError(`${where}: codec "${m}" must be a function`);
        }
      }
      return codec;
    },
    // Called on the definition as written (its own `this`), with no forwarding frame on every output.
    inspectOutput: definition.inspectOutput.bind(definition) as (
      bytes: Uint8Array,
    ) => OutputInspection | null,
  });
}
