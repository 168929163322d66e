/** Helpers shared by the conformance checks: a connected link, a ready device, recorded streams, fresh decodes. */
import type { AsyncDriver } from "./async_codec.ts";
import type { DeviceInfo, DeviceMessage } from "./driver.ts";
import type { CreateRemoteSimulatedDevice, CreateSimulatedDevice } from "./simulated.ts";
import { KitLink } from "./_kit_link.ts";

/** What every check gets: the driver under test and a simulated-device factory. */
export interface Ctx {
  driver: AsyncDriver;
  /** In-process, or across the plugin's sandbox boundary (`plugin check`); the kit awaits every control. */
  create: CreateSimulatedDevice | CreateRemoteSimulatedDevice;
}

/** Allowed difference between wanted and measured current: 5 % or 2 µA. */
export const tolerance = (ua: number) => Math.max(2, ua * 0.05);
/** JSON for messages in check details (Infinity shown as text). */
export const show = (m: unknown) => JSON.stringify(m, (_k, v) => (v === Infinity ? "Infinity" : v));

/** Runs fn on a freshly connected link to a new simulated device, then disconnects and disposes it. */
export async function withLink(ctx: Ctx, fn: (link: KitLink) => Promise<string>): Promise<string> {
  const sim = await ctx.create({ seed: 1 });
  const link = new KitLink(ctx.driver, sim);
  try {
    await link.connect();
    return await fn(link);
  } finally {
    try {
      await link.disconnect();
    } catch { /* the check may have unplugged it */ }
    await sim.dispose();
  }
}

/** Hello, limits (at most maxCurrentUa), skin contact at 5 kΩ: a device ready for output. */
export async function ready(link: KitLink, maxCurrentUa = 300): Promise<DeviceInfo> {
  const info = await link.hello();
  if (!info) throw new Error("no info message within 250 ms of hello");
  await link.limits({ maxCurrentUa: Math.min(info.maxCurrentUa, maxCurrentUa), maxSlewUaPerS: 1000 });
  await link.sim.setContact(true, 5000);
  await link.advance(20);
  return info;
}

/** Throws naming what, actual and wanted unless they agree within tolerance. */
export function expectNear(actual: number, wanted: number, what: string): void {
  if (!(Math.abs(actual - wanted) <= tolerance(wanted))) {
    throw new Error(`${what} was ${actual} µA, wanted ${wanted} ± ${tolerance(wanted)}`);
  }
}

/** Splits a recorded stream into per-message byte runs by feeding one byte at a time. */
export async function splitMessages(
  driver: AsyncDriver,
  stream: Uint8Array,
): Promise<{ bytes: Uint8Array; message: DeviceMessage }[]> {
  const codec = await driver.createCodec();
  const out: { bytes: Uint8Array; message: DeviceMessage }[] = [];
  let start = 0;
  for (let i = 0; i < stream.length; i++) {
    const got = await codec.decode(stream.subarray(i, i + 1));
    for (const message of got) {
      out.push({ bytes: stream.slice(start, i + 1), message });
      start = i + 1;
    }
  }
  await codec.dispose?.();
  return out;
}

/** Decodes bytes with a brand-new codec (and frees it). */
export async function decodeFresh(driver: AsyncDriver, bytes: Uint8Array): Promise<DeviceMessage[]> {
  const codec = await driver.createCodec();
  try {
    return await codec.decode(bytes);
  } finally {
    await codec.dispose?.();
  }
}

/** Joins byte arrays. */
export const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
};

/** Records 300 ms of a device talking under output and splits it into clean messages (at least 8). */
export async function recordStream(
  ctx: Ctx,
): Promise<{ bytes: Uint8Array; messages: { bytes: Uint8Array; message: DeviceMessage }[] }> {
  let bytes = new Uint8Array(0);
  await withLink(ctx, async (link) => {
    await ready(link);
    await link.hold(100, 300);
    bytes = concat(link.raw);
    return "";
  });
  const messages = (await splitMessages(ctx.driver, bytes)).filter((m) => m.message.kind !== "corrupt");
  if (messages.length < 8) throw new Error(`recorded only ${messages.length} clean messages in 300 ms`);
  return { bytes, messages };
}
