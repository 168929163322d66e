/** The conformance kit's checks: each drives a fresh simulated device and returns what it saw, or throws why not. */
import { matchesFilters } from "./usb.ts";
import { NAK_REASONS } from "./driver.ts";
import { seqOf } from "./async_codec.ts";
import { MAX_VALID_FOR_MS } from "./envelope.ts";
import {
  concat,
  type Ctx,
  decodeFresh,
  expectNear,
  ready,
  recordStream,
  show,
  tolerance,
  withLink,
} from "./_kit_helpers.ts";

export type { Ctx } from "./_kit_helpers.ts";

/** A named check. */
export type Check = [name: string, run: (ctx: Ctx) => Promise<string>];

/** Every check, in run order. */
export const CHECKS: Check[] = [
  ["definition declares filters, endpoints and inspectOutput", async ({ driver }) => {
    if (driver.filters.length === 0) throw new Error("no USB filters");
    const codec = await driver.createCodec();
    const seen = await driver.inspectOutput(await codec.hello());
    if (seen !== null) throw new Error(`inspectOutput(hello bytes) should be null, got ${show(seen)}`);
    return `${driver.filters.length} filter(s), interface ${driver.endpoints.interfaceNumber}`;
  }],
  ["USB filters match the simulated device", async ({ driver, create }) => {
    const sim = await create({ seed: 1 });
    try {
      const d = sim.device;
      if (!matchesFilters(d, driver.filters)) {
        throw new Error(`device ${d.vendorId}:${d.productId} matches no filter`);
      }
      return `device ${d.vendorId.toString(16)}:${d.productId.toString(16)}`;
    } finally {
      await sim.dispose();
    }
  }],
  ["hello returns device info", (ctx) =>
    withLink(ctx, async (link) => {
      const info = await link.hello();
      if (!info) throw new Error("no info message within 250 ms of hello");
      if (!info.model || typeof info.firmware !== "string") throw new Error(`incomplete info ${show(info)}`);
      if (!(info.maxCurrentUa > 0 && Number.isFinite(info.maxCurrentUa))) {
        throw new Error(`bad maxCurrentUa ${info.maxCurrentUa}`);
      }
      if (typeof info.netDc !== "boolean") throw new Error("netDc is not a boolean");
      return `${info.model} fw ${info.firmware}, max ${info.maxCurrentUa} µA, netDc ${info.netDc}`;
    })],
  ["output is refused before limits are written", (ctx) =>
    withLink(ctx, async (link) => {
      if (!await link.hello()) throw new Error("no info after hello");
      await link.sim.setContact(true, 5000);
      await link.hold(100, 300);
      if (link.sim.outputUa > 0) {
        throw new Error(`device delivered ${link.sim.outputUa} µA with no limits written`);
      }
      return "no output without limits";
    })],
  [
    'a frame refused for lack of limits decodes as a NAK "no-limits" naming its sequence',
    (ctx) =>
      withLink(ctx, async (link) => {
        if (!await link.hello()) throw new Error("no info after hello");
        const at = link.t;
        await link.write(
          await link.codec.output({ currentUa: 50, freqHz: 3, polarity: "alternating", validForMs: 100 }),
        );
        const seq = seqOf(link.codec);
        await link.advance(60);
        const got = link.since(at).filter((m) => m.kind === "nak" || m.kind === "fault");
        const nak = got.find((m) => m.kind === "nak");
        if (!nak || nak.kind !== "nak") {
          throw new Error(`no {kind: "nak"} message within 60 ms, got ${show(got)}`);
        }
        if (!NAK_REASONS.includes(nak.reason)) {
          throw new Error(`NAK reason ${show(nak.reason)} is not in NAK_REASONS`);
        }
        if (nak.reason !== "no-limits") throw new Error(`NAK reason ${show(nak.reason)}, wanted "no-limits"`);
        if (nak.seq !== undefined && seq !== undefined && nak.seq !== seq) {
          throw new Error(`NAK names sequence ${nak.seq}, the refused frame was ${seq}`);
        }
        return `nak no-limits, seq ${nak.seq ?? "not given"}`;
      }),
  ],
  [
    "the codec reports the sequence of a limits frame and the device's ACK names it",
    (ctx) =>
      withLink(ctx, async (link) => {
        if (!await link.hello()) throw new Error("no info after hello");
        const at = link.t;
        await link.limits({ maxCurrentUa: 100, maxSlewUaPerS: 1000 });
        const seq = seqOf(link.codec);
        if (seq === undefined) {
          throw new Error("codec.lastSentSeq is missing after limits(): the host cannot match its ACK");
        }
        await link.advance(60);
        const acks = link.since(at).filter((m) => m.kind === "ack");
        if (!acks.some((m) => m.kind === "ack" && m.seq === seq)) {
          throw new Error(`no ACK naming sequence ${seq} within 60 ms (got ${show(acks)})`);
        }
        return `limits frame ${seq} acknowledged`;
      }),
  ],
  ["output follows frames and agrees with inspectOutput", (ctx) =>
    withLink(ctx, async (link) => {
      await ready(link);
      await link.hold(100, 600);
      expectNear(link.sim.outputUa, 100, "device output");
      const last = link.telemetrySince(link.t - 100).at(-1);
      if (!last) throw new Error("no telemetry in the last 100 ms");
      expectNear(last.measuredUa, 100, "telemetry measuredUa");
      const frame = link.written.at(-1)!.bytes;
      const seen = await link.driver.inspectOutput(frame);
      if (!seen) throw new Error("inspectOutput returned null for an output frame");
      expectNear(seen.currentUa, link.sim.outputUa, "inspectOutput");
      return `device ${link.sim.outputUa} µA, telemetry ${last.measuredUa} µA, inspectOutput ${seen.currentUa} µA`;
    })],
  ["device never exceeds the limit written", (ctx) =>
    withLink(ctx, async (link) => {
      await ready(link, 80);
      try {
        await link.hold(150, 400);
      } catch (e) {
        if (e instanceof RangeError) return `codec refuses: ${e.message}`;
        throw e;
      }
      if (link.sim.outputUa > 80 + tolerance(80)) {
        throw new Error(`device delivers ${link.sim.outputUa} µA over a limit of 80`);
      }
      const over = link.telemetrySince(0).find((t) => t.measuredUa > 80 + tolerance(80));
      if (over) throw new Error(`telemetry measured ${over.measuredUa} µA over a limit of 80`);
      return `device output ${link.sim.outputUa} µA with limit 80 µA, asked 150`;
    })],
  ["frames expire on the device", (ctx) =>
    withLink(ctx, async (link) => {
      await ready(link);
      await link.hold(100, 400);
      const lastWrite = link.written.at(-1)!.t;
      await link.advance(lastWrite + 70 - link.t);
      const during = link.sim.outputUa;
      if (during <= 0) {
        throw new Error(`output stopped ${link.t - lastWrite} ms after the last frame, before it expired`);
      }
      await link.advance(lastWrite + 200 - link.t);
      if (link.sim.outputUa !== 0) {
        throw new Error(`still ${link.sim.outputUa} µA 200 ms after a 100 ms frame`);
      }
      const late = link.telemetrySince(lastWrite + 150);
      if (late.length === 0) throw new Error("no telemetry after the frame expired");
      if (late.some((t) => t.measuredUa > 1)) {
        throw new Error(
          `telemetry still measured current after expiry: ${show(late.map((t) => t.measuredUa))}`,
        );
      }
      return `on at +70 ms (${during} µA), off by +200 ms`;
    })],
  ["stop ends output at once", (ctx) =>
    withLink(ctx, async (link) => {
      await ready(link);
      await link.hold(100, 300);
      const at = link.t;
      await link.write(await link.codec.stop());
      await link.advance(30);
      if (link.sim.outputUa !== 0) throw new Error(`still ${link.sim.outputUa} µA 30 ms after stop`);
      const after = link.telemetrySince(at + 25);
      if (after.some((t) => t.measuredUa > 1)) throw new Error("telemetry measured current after stop");
      return "0 µA within 30 ms";
    })],
  ["a stop encoded at connect still stops the device later", (ctx) =>
    withLink(ctx, async (link) => {
      const standbyStop = await (await link.driver.createCodec()).stop();
      await ready(link);
      await link.hold(100, 400);
      await link.write(standbyStop);
      await link.advance(30);
      if (link.sim.outputUa !== 0) {
        throw new Error(`a stop from a standby codec was ignored (${link.sim.outputUa} µA)`);
      }
      return "the host can stop the device even after the driver died";
    })],
  ["limits are needed again after reconnect", (ctx) =>
    withLink(ctx, async (link) => {
      await ready(link);
      await link.hold(100, 200);
      await link.disconnect();
      await link.advance(200);
      await link.connect();
      if (!await link.hello()) throw new Error("no info after reconnect");
      await link.hold(100, 300);
      if (link.sim.outputUa > 0) {
        throw new Error(`after reconnect the device delivered ${link.sim.outputUa} µA before limits`);
      }
      await link.limits({ maxCurrentUa: 300, maxSlewUaPerS: 1000 });
      await link.hold(100, 400);
      expectNear(link.sim.outputUa, 100, "output after limits re-written");
      return "refused until limits re-written, then on";
    })],
  ["telemetry arrives at 20 Hz or more", (ctx) =>
    withLink(ctx, async (link) => {
      await ready(link);
      const from = link.t;
      await link.advance(1000);
      const n = link.telemetrySince(from).length;
      if (n < 20) throw new Error(`${n} telemetry messages in 1 s`);
      return `${n} per second`;
    })],
  ["telemetry reports contact, impedance and current", (ctx) =>
    withLink(ctx, async (link) => {
      await ready(link);
      await link.sim.setContact(true, 5000);
      await link.hold(100, 400);
      const on = link.telemetrySince(link.t - 60).at(-1);
      if (!on?.contact) throw new Error(`contact on not reported: ${show(on)}`);
      if (Math.abs(on.impedanceOhm - 5000) > 1250) {
        throw new Error(`impedance ${on.impedanceOhm} Ω, wanted ~5000`);
      }
      await link.sim.setContact(false);
      await link.hold(100, 100);
      const off = link.telemetrySince(link.t - 40).at(-1);
      if (!off || off.contact) throw new Error(`contact off not reported: ${show(off)}`);
      if (off.measuredUa > 1) throw new Error(`measured ${off.measuredUa} µA without contact`);
      return `on: ${on.impedanceOhm} Ω ${on.measuredUa} µA; off: ${off.impedanceOhm} Ω`;
    })],
  ["decoding does not depend on chunking", async (ctx) => {
    const { bytes, messages } = await recordStream(ctx);
    const whole = (await decodeFresh(ctx.driver, bytes)).filter((m) => m.kind !== "corrupt");
    const bytewise = messages.map((m) => m.message);
    if (show(whole) !== show(bytewise)) {
      throw new Error("decode(all bytes) differs from decode(one byte at a time)");
    }
    return `${bytes.length} bytes, ${whole.length} messages`;
  }],
  ["a flipped bit is reported as corrupt, never decoded as data", async (ctx) => {
    const { messages } = await recordStream(ctx);
    const parts = messages.slice(0, 8);
    const known = new Set(parts.map((m) => show(m.message)));
    const target = parts[1]!.bytes;
    for (let i = 0; i < target.length * 8; i++) {
      const hit = target.slice();
      hit[i >> 3]! ^= 1 << (i & 7);
      const got = await decodeFresh(
        ctx.driver,
        concat([parts[0]!.bytes, hit, ...parts.slice(2).map((p) => p.bytes)]),
      );
      if (!got.some((m) => m.kind === "corrupt")) {
        throw new Error(`bit ${i} of a ${target.length}-byte message flipped: no corrupt reported`);
      }
      const forged = got.find((m) => m.kind !== "corrupt" && !known.has(show(m)));
      if (forged) throw new Error(`bit ${i} flipped: decoded as ${show(forged)}`);
    }
    return `${target.length * 8} single-bit flips all caught`;
  }],
  ["a lost device message is reported (sequence)", async (ctx) => {
    const { messages } = await recordStream(ctx);
    const parts = messages.slice(0, 6);
    const got = await decodeFresh(ctx.driver, concat(parts.filter((_, i) => i !== 3).map((p) => p.bytes)));
    const corrupt = got.find((m) => m.kind === "corrupt");
    if (!corrupt) throw new Error("message 4 of 6 dropped: no corrupt/gap reported");
    return corrupt.kind === "corrupt" ? corrupt.reason : "";
  }],
  ["a replayed host frame is refused", (ctx) =>
    withLink(ctx, async (link) => {
      await ready(link);
      await link.hold(100, 200);
      const old = link.written.at(-3)!.bytes;
      await link.write(await link.codec.stop());
      await link.advance(40);
      await link.advance(200, { periodMs: 20, action: () => link.write(old) });
      if (link.sim.outputUa > 0) {
        throw new Error(`a replayed old frame turned output back on (${link.sim.outputUa} µA)`);
      }
      return "old frame ignored";
    })],
  ["device faults are decoded", (ctx) =>
    withLink(ctx, async (link) => {
      await ready(link);
      await link.hold(100, 200);
      const at = link.t;
      await link.sim.inject("overcurrent");
      await link.hold(100, 100);
      const m = link.since(at).find((m) =>
        m.kind === "fault" || (m.kind === "telemetry" && m.telemetry.faults.length > 0)
      );
      if (!m) throw new Error("no fault reported within 100 ms of an injected over-current");
      return show(m);
    })],
  ["corruption on the wire is reported", (ctx) =>
    withLink(ctx, async (link) => {
      await ready(link);
      const at = link.t;
      await link.sim.inject("corrupt");
      await link.advance(100);
      const m = link.since(at).find((m) => m.kind === "corrupt");
      if (!m || m.kind !== "corrupt") throw new Error("no corrupt message after injected wire corruption");
      return m.reason;
    })],
  ["inspectOutput reads back what output and stop encode", async ({ driver }) => {
    const codec = await driver.createCodec();
    for (const ua of [0, 0.1, 1, 12.3, 99.9, 100, 250, 500]) {
      const seen = await driver.inspectOutput(
        await codec.output({ currentUa: ua, freqHz: 3, polarity: "alternating", validForMs: 100 }),
      );
      if (!seen || Math.abs(seen.currentUa - ua) > 0.1 || seen.currentUa > ua + 0.05) {
        throw new Error(`output(${ua} µA) read back as ${show(seen)}`);
      }
      if (seen.polarity !== undefined && seen.polarity !== "alternating") {
        throw new Error(`output(alternating) read back as polarity ${show(seen.polarity)}`);
      }
      if (seen.validForMs !== undefined && !(seen.validForMs > 0 && seen.validForMs <= 100)) {
        throw new Error(`output(valid 100 ms) read back as valid ${show(seen.validForMs)} ms`);
      }
    }
    const stop = await driver.inspectOutput(await codec.stop());
    if (stop?.currentUa !== 0) throw new Error(`stop read back as ${show(stop)}`);
    const lim = await driver.inspectOutput(await codec.limits({ maxCurrentUa: 300, maxSlewUaPerS: 100 }));
    if (lim !== null) throw new Error(`limits read back as ${show(lim)}, wanted null`);
    return "8 currents, stop and limits";
  }],
  ["codec refuses commands outside the envelope", async ({ driver }) => {
    const codec = await driver.createCodec();
    const bad = [
      { currentUa: -1, validForMs: 100 },
      { currentUa: NaN, validForMs: 100 },
      { currentUa: 501, validForMs: 100 },
      { currentUa: Infinity, validForMs: 100 },
      { currentUa: 100, validForMs: 0 },
      { currentUa: 100, validForMs: -5 },
      { currentUa: 100, validForMs: MAX_VALID_FOR_MS + 1 },
      { currentUa: 100, validForMs: 1000 },
    ];
    for (const b of bad) {
      const accepted = await codec.output({ ...b, freqHz: 3, polarity: "alternating" }).then(
        () => true,
        () => false,
      );
      if (accepted) throw new Error(`output(${show(b)}) was encoded`);
    }
    return `${bad.length} bad commands refused`;
  }],
];
