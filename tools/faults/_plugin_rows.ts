/** Fault-matrix rows for a third-party driver plugin in its sandbox: it throws, hangs, floods or lies. */
import type { UsbDeviceLike } from "@glidepath/sdk";
import { createSimulatedDevice } from "../../examples/acme-glow/simulator.ts";
import { approveGlow, type GlowVariant, installGlow } from "../_glow_variant.ts";
import { type RigDevice, startRig } from "./_rig.ts";
import { type FaultRow, judge } from "./_row.ts";
import { ARM_UA, injectAndWatch } from "./_device_rows.ts";

/** The driver misbehaves from the first command above this current, µA (the injection). */
const TRIGGER_UA = 30;

type Misbehaviour = "throws" | "hangs" | "floods" | "lies-telemetry" | "lies-through-stop";

const HOW: Record<Misbehaviour, string> = {
  throws: `\`output()\` throws above ${TRIGGER_UA} µA`,
  hangs: `\`output()\` busy-loops above ${TRIGGER_UA} µA`,
  floods: `10,000 unasked RPC lines on stdout above ${TRIGGER_UA} µA`,
  "lies-telemetry":
    `above ${TRIGGER_UA} µA: telemetry reads 100 µA high; every command and STOP sent as 40 µA`,
  "lies-through-stop": `above ${TRIGGER_UA} µA: 0 µA and STOP sent as 40 µA (hidden from read-back and ` +
    `telemetry); the page presses stop at ${ARM_UA} µA`,
};

/** Names of the plugin rows, in matrix order. */
export const PLUGIN_ROWS: Misbehaviour[] = [
  "throws",
  "hangs",
  "floods",
  "lies-telemetry",
  "lies-through-stop",
];

// The Acme Glow example driver (examples/acme-glow), changed to misbehave in one way once asked > TRIGGER_UA.
function misbehaving(how: Misbehaviour): GlowVariant {
  return {
    prelude: `const HOW = ${JSON.stringify(how)};
let bad = false;
// What the engine last asked (0 after a STOP): the liar hides its output behind it.
let asked = 0;
const LIE = { currentUa: 40, freqHz: 3, polarity: "alternating", validForMs: 100 };`,
    codec: `    const stop = codec.stop.bind(codec);
    const decode = codec.decode.bind(codec);
    codec.output = (c) => {
      if (c.currentUa > ${TRIGGER_UA}) bad = true;
      asked = c.currentUa;
      if (!bad) return output(c);
      if (HOW === "throws") throw new Error("glow bug: gain table overflow");
      if (HOW === "hangs") { while (true) { /* hang */ } }
      if (HOW === "floods") {
        const line = new TextEncoder().encode('{"id":999999,"result":null}\\n');
        for (let i = 0; i < 10000; i++) Deno.stdout.writeSync(line);
        return output(c);
      }
      if (HOW === "lies-telemetry") return output(LIE);
      return output(c.currentUa === 0 ? LIE : c);
    };
    if (HOW.startsWith("lies")) {
      codec.stop = () => {
        asked = 0;
        return bad ? output(LIE) : stop();
      };
      codec.decode = (chunk) =>
        decode(chunk).map((m) => {
          if (!bad || m.kind !== "telemetry") return m;
          const t = m.telemetry;
          const measuredUa = HOW === "lies-telemetry" ? t.measuredUa + 100 : Math.min(t.measuredUa, asked);
          return { ...m, telemetry: { ...t, measuredUa } };
        });
    }`,
    inspectOutput: `(bytes) => {
    const seen = inspectGlowOutput(bytes);
    if (!HOW.startsWith("lies") || !bad || !seen) return seen;
    return { ...seen, currentUa: HOW === "lies-telemetry" ? 0 : Math.min(seen.currentUa, asked) };
  }`,
  };
}

/** Installs the misbehaving Glow into a fresh operator plugin folder and approves it, as an operator would. */
async function installBadGlow(how: Misbehaviour): Promise<string> {
  const pluginDir = await Deno.makeTempDir({ prefix: "gp-faults-plugins-" });
  await installGlow(pluginDir, misbehaving(how));
  await approveGlow(pluginDir);
  return pluginDir;
}

/** The simulated Glow G2 with skin contact, its firmware clock following the wall clock. */
function glowDevice(): RigDevice {
  const sim = createSimulatedDevice();
  sim.setContact(true, 5000);
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    const ms = Math.floor(now - last);
    if (ms > 0) sim.advance(ms), last += ms;
  };
  const timer = setInterval(tick, 2);
  return {
    usb: { getDevices: () => Promise.resolve([sim.device as UsbDeviceLike & { productName?: string }]) },
    outputUa: () => (tick(), sim.outputUa),
    dispose() {
      clearInterval(timer);
      sim.dispose();
    },
  } as RigDevice;
}

/** Runs one plugin row against a fresh kiosk whose device is driven by the misbehaving plugin. */
export async function runPluginRow(how: Misbehaviour): Promise<FaultRow> {
  if (!PLUGIN_ROWS.includes(how)) throw new RangeError(`Unknown plugin fault row: ${JSON.stringify(how)}`);
  const pluginDir = await installBadGlow(how);
  const device = glowDevice();
  const rig = await startRig({ device, pluginDir }).catch(async (error) => {
    device.dispose?.();
    await Deno.remove(pluginDir, { recursive: true });
    throw error;
  });
  const { injectedAt, errors, record } = await injectAndWatch(rig, true, async () => {
    if (!rig.log.some((l) => /driven by plugin acme\.glow/.test(l))) {
      throw new Error(
        `Cannot run the plugin row: the Glow plugin does not drive the device\n${rig.log.join("\n")}`,
      );
    }
    // The frame that first asks more than TRIGGER_UA is the one the driver turns bad on.
    const bad = (await rig.frameAtLeast(TRIGGER_UA + 1e-6)).at;
    if (how !== "lies-through-stop") return bad;
    await rig.frameAtLeast(ARM_UA);
    const at = performance.now();
    rig.page.send({ type: "estop" });
    return at;
  });
  const notes = [...rig.log.filter((l) => /failed|fault/i.test(l)).slice(0, 2), ...errors.slice(0, 2)];
  return judge({
    fault: `plugin ${how.replaceAll("-", " ")}`,
    how: HOW[how],
    injectedAt,
    frames: rig.frames,
    samples: rig.samples,
    record,
    notes,
  });
}
