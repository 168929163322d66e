/** Skin-contact model for the SIM-1 emulator: probe pressure over time → impedance → contact. */

/** Probe pressure at a moment: 1 = pressed firmly, 0 = lifted off the skin. */
export interface PressurePoint {
  atMs: number;
  pressure: number;
}

/** Options for createSkinModel. */
export interface SkinModelOptions {
  /** Impedance at full pressure, in ohms. Default 4000. */
  baseOhm?: number;
  /** Contact is lost above this impedance, in ohms. Default 50000. */
  contactThresholdOhm?: number;
  /** Pressure keyframes, linearly interpolated (held before the first and after the last). Default: firm all along. */
  script?: PressurePoint[];
  /** Seeded random lifts instead of a script: mean gap between lifts and mean lift length, in ms. */
  random?: { seed: number; meanGapMs?: number; meanLiftMs?: number };
}

/** A skin sample: what the electrodes see at one moment. */
export interface SkinSample {
  pressure: number;
  impedanceOhm: number;
  contact: boolean;
}

/** The skin model the emulator samples; `override` and `pin` take over from the script (demo slider, tests). */
export interface SkinModel {
  sample(tMs: number): SkinSample;
  /** Pins pressure 0..1 from now on, or null to go back to the script/random model. */
  override(pressure: number | null): void;
  /** Pins contact and impedance exactly (impedance default: base when on, open when off); null releases. */
  pin(contact: boolean | null, impedanceOhm?: number): void;
}

/** Deterministic 32-bit PRNG (mulberry32) giving floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RAMP_MS = 150;

/** Builds a skin model; impedance = base / pressure² so it climbs steeply as a probe lifts, open at 0. */
export function createSkinModel(options: SkinModelOptions = {}): SkinModel {
  const baseOhm = options.baseOhm ?? 4000;
  const threshold = options.contactThresholdOhm ?? 50_000;
  if (!(baseOhm > 0)) throw new RangeError(`Invalid baseOhm: ${baseOhm}`);
  if (!(threshold > baseOhm)) {
    throw new RangeError(`Invalid contactThresholdOhm: ${threshold} (must exceed baseOhm)`);
  }
  const script = options.script ? [...options.script].sort((a, b) => a.atMs - b.atMs) : null;
  for (const p of script ?? []) {
    if (!(p.pressure >= 0 && p.pressure <= 1)) throw new RangeError(`Invalid script pressure: ${p.pressure}`);
  }
  let pinned: number | null = null;
  let pinnedSample: SkinSample | null = null;

  // Random lifts are generated lazily in time order so a sample at t depends only on the seed.
  const lifts: { start: number; end: number }[] = [];
  const rnd = options.random ? mulberry32(options.random.seed) : null;
  const meanGap = options.random?.meanGapMs ?? 4000;
  const meanLift = options.random?.meanLiftMs ?? 600;
  function liftsUntil(t: number): void {
    while (rnd && (lifts.length === 0 || lifts[lifts.length - 1]!.end < t + RAMP_MS)) {
      const from = lifts.length === 0 ? 0 : lifts[lifts.length - 1]!.end + RAMP_MS;
      const start = from + RAMP_MS - meanGap * Math.log(1 - rnd());
      lifts.push({ start, end: start + RAMP_MS - meanLift * Math.log(1 - rnd()) });
    }
  }

  function pressureAt(t: number): number {
    if (pinned !== null) return pinned;
    if (script && script.length > 0) {
      if (t <= script[0]!.atMs) return script[0]!.pressure;
      for (let i = 1; i < script.length; i++) {
        const a = script[i - 1]!, b = script[i]!;
        if (t <= b.atMs) {
          return b.atMs === a.atMs
            ? b.pressure
            : a.pressure + (b.pressure - a.pressure) * (t - a.atMs) / (b.atMs - a.atMs);
        }
      }
      return script[script.length - 1]!.pressure;
    }
    if (rnd) {
      liftsUntil(t);
      for (const lift of lifts) {
        if (t < lift.start - RAMP_MS || t > lift.end + RAMP_MS) continue;
        if (t < lift.start) return (lift.start - t) / RAMP_MS;
        if (t <= lift.end) return 0;
        return (t - lift.end) / RAMP_MS;
      }
    }
    return 1;
  }

  return {
    sample(tMs) {
      if (pinnedSample) return { ...pinnedSample };
      const pressure = Math.min(1, Math.max(0, pressureAt(tMs)));
      const impedanceOhm = pressure <= 0.01 ? Infinity : baseOhm / (pressure * pressure);
      return { pressure, impedanceOhm, contact: impedanceOhm <= threshold };
    },
    override(pressure) {
      if (pressure !== null && !(pressure >= 0 && pressure <= 1)) {
        throw new RangeError(`Invalid pressure: ${pressure} (expected 0..1 or null)`);
      }
      pinned = pressure;
    },
    pin(contact, impedanceOhm) {
      if (contact === null) {
        pinnedSample = null;
        return;
      }
      const z = impedanceOhm ?? (contact ? baseOhm : Infinity);
      if (!(z > 0)) throw new RangeError(`Invalid impedanceOhm: ${impedanceOhm}`);
      pinnedSample = { pressure: contact ? 1 : 0, impedanceOhm: z, contact };
    },
  };
}
