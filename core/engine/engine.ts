/** The stimulation engine: a step function over an injected clock that applies the safety envelope on every frame. */
import {
  createZoneClassifier,
  defaultZoneMap,
  type PointClass,
  type ZoneClassifier,
  type ZoneMap,
} from "../zones/mod.ts";
import { FREE_ROUTINE, type Routine } from "../routines/mod.ts";
import {
  type Bound,
  FRAME_MS,
  FRAME_VALID_MS,
  HARD_CEILING_UA,
  isContraindicated,
  MAX_STIMULATION_MS,
  MIN_CONFIDENCE,
  slewLimited,
  STALE_TRACKING_MS,
  tightestBound,
} from "./envelope.ts";
import {
  createExclusionCompiler,
  type ExclusionCompiler,
  type Exclusions,
  NO_EXCLUSIONS,
} from "./exclusions.ts";
import { FieldRangeError } from "./field_error.ts";
import { GuidanceTracker } from "./guidance.ts";
import type { EngineEvent, EngineFrame, LimitReason, SessionState, UvPoint } from "./types.ts";
import type { Polarity } from "../sdk/driver.ts";

/** Options for createEngine. */
export interface EngineOptions {
  /** Zone map (default: the shipped models/zones.json). */
  zoneMap?: ZoneMap;
  /** Guided routines by id (default: none; `free` always exists). */
  routines?: Iterable<Routine>;
  /** Stimulation time per session in ms; may only lower the 20-minute rule 7 (tests use short values). */
  maxStimulationMs?: number;
}

interface Session {
  routine: Routine;
  /** Comfort in force: the person's level, never above maxComfort. */
  comfort: number;
  /** The person's level ceiling 1..10 (10 when none was given): every comfort is clamped to it. */
  maxComfort: number;
  /** Zones this person must skip: 0 µA there, like a keep-out. */
  exclusions: Exclusions;
  operatorCapUa: number;
  netDcRequested: boolean;
  state: SessionState;
  /** Why the session is over (ended/aborted), reported as the frame's limit. */
  endLimit: LimitReason;
  stimulationMs: number;
  guidance: GuidanceTracker | null;
}

interface Observation {
  points: UvPoint[];
  confidence: number;
  classes: PointClass[];
}

/** Zero-forcing reasons in order of precedence (earlier wins when several apply). */
type Verdict = { ua: number; limit: LimitReason; zone: string | null; freqHz: number };

/** The engine. `apply` events as they arrive; call `frame(t)` every 20 ms. Deterministic: no clock of its own. */
export class Engine {
  readonly #classifier: ZoneClassifier;
  readonly #exclusions: ExclusionCompiler;
  readonly #maxStimulationMs: number;
  readonly #routines = new Map<string, Routine>();
  #session: Session | null = null;
  #contact = false;
  #deviceMaxUa = HARD_CEILING_UA;
  #deviceNetDc = false;
  #lastProbeT = -Infinity;
  #observation: Observation | null = null;
  /** The most restrictive zero-forcing thing seen since the last frame (keep-out touch, contact break, estop…). */
  #pendingZero: { limit: LimitReason; zone: string | null } | null = null;
  /** Ramp base: the last output, or 0 after anything that must restart the ramp. */
  #lastUa = 0;
  /** What the last frame commanded (and where), for stimulation time and guidance. */
  #lastOutput: { ua: number; zone: string | null } = { ua: 0, zone: null };
  /**
   * The stop latch (rule 6), held by the engine rather than the session so that `end` and a new `start` cannot
   * clear it: an emergency stop, and a device fault (source: reason). Only an operator `reset` clears them.
   */
  #estop = false;
  #fault: string | null = null;
  #lastFrameT: number | null = null;
  #lastFreqHz = 0;
  #lastEventT = 0;
  /** True between a `begin` (the kiosk shows the screening form) and the `start` that carries the answers. */
  #screening = false;

  constructor(options: EngineOptions = {}) {
    this.#classifier = createZoneClassifier(options.zoneMap ?? defaultZoneMap);
    this.#exclusions = createExclusionCompiler(this.#classifier.map);
    this.#maxStimulationMs = Math.min(options.maxStimulationMs ?? MAX_STIMULATION_MS, MAX_STIMULATION_MS);
    this.#routines.set(FREE_ROUTINE.id, FREE_ROUTINE);
    for (const r of options.routines ?? []) this.#routines.set(r.id, r);
  }

  /** Current session state; a live session under a latched emergency stop or device fault shows as `stopped`. */
  get state(): SessionState {
    if (this.#screening) return "screening";
    const s = this.#session;
    if (!s) return "idle";
    return this.latched && !isOver(s) ? "stopped" : s.state;
  }

  /** What holds output at 0 until an operator reset (an estop wins over a device fault), or null. */
  get latched(): "estop" | "device-fault" | null {
    return this.#estop ? "estop" : this.#fault !== null ? "device-fault" : null;
  }

  /** Ids of the routines this engine can run. */
  get routineIds(): string[] {
    return [...this.#routines.keys()];
  }

  /** Treatment zone ids of this engine's zone map: what a start's `exclusions` may name. */
  get zoneIds(): readonly string[] {
    return this.#exclusions.zoneIds;
  }

  /** A routine by id. */
  routine(id: string): Routine | undefined {
    return this.#routines.get(id);
  }

  /**
   * True when an event since the last frame must cut output that is flowing now (keep-out, contact loss,
   * estop, fault, pause, end): the scheduler should emit a frame at once instead of waiting for the next tick.
   */
  get cutPending(): boolean {
    return this.#pendingZero !== null && this.#lastOutput.ua > 0;
  }

  /** Milliseconds of output delivered in the current session (rule 7 counts these; the record stores them). */
  get stimulationMs(): number {
    return this.#session?.stimulationMs ?? 0;
  }

  /** The session-time limit in ms (rule 7, or the lower one this engine was built with): the page's "time left". */
  get maxStimulationMs(): number {
    return this.#maxStimulationMs;
  }

  /** The operator cap in force (the current session's, else the hard ceiling): the device's limits follow it. */
  get operatorCapUa(): number {
    return this.#session?.operatorCapUa ?? HARD_CEILING_UA;
  }

  /**
   * Applies one validated event (see parseEvent); throws FieldRangeError (a RangeError with `.field`) for an
   * unknown routine, a start while a session runs, or time going back.
   */
  apply(event: EngineEvent): void {
    if (event.t < this.#lastEventT) {
      throw new FieldRangeError(
        "t",
        `field "t" must not go back in time: ${event.t} after ${this.#lastEventT}`,
      );
    }
    this.#lastEventT = event.t;
    const s = this.#session;
    switch (event.type) {
      case "begin":
        if (!s || isOver(s)) this.#screening = true;
        break;
      case "start": {
        if (s && !isOver(s)) {
          throw new FieldRangeError(
            "type",
            `field "type": cannot start a session while one is ${this.state}; end it first`,
          );
        }
        const routine = this.#routines.get(event.routine);
        if (!routine) {
          throw new FieldRangeError(
            "routine",
            `field "routine" names an unknown routine ${JSON.stringify(event.routine)}; known: ${
              this.routineIds.join(", ")
            }`,
          );
        }
        const exclusions = this.#exclusions.compile(event.exclusions ?? []);
        // Steps that cannot run for this person are left out, so the routine still finishes and the guidance
        // counts only the steps that will run (docs/engine.md, Personal exclusions).
        const steps = routine.steps.filter((step) => !exclusions.skips(step));
        if (routine.steps.length > 0 && steps.length === 0) {
          throw new FieldRangeError(
            "exclusions",
            `field "exclusions" rules out every step of routine ${
              JSON.stringify(routine.id)
            }; choose another`,
          );
        }
        this.#screening = false;
        const maxComfort = event.maxComfort ?? 10;
        const contraindicated = isContraindicated(event.screening);
        this.#session = {
          routine,
          comfort: Math.min(event.comfort, maxComfort),
          maxComfort,
          exclusions,
          operatorCapUa: Math.min(event.operatorCapUa ?? HARD_CEILING_UA, HARD_CEILING_UA),
          netDcRequested: event.netDc ?? false,
          state: contraindicated ? "aborted" : "ready",
          endLimit: contraindicated ? "screening" : "ended",
          stimulationMs: 0,
          guidance: steps.length > 0 ? new GuidanceTracker({ ...routine, steps }) : null,
        };
        this.#lastUa = 0; // a new session ramps from 0
        this.#lastOutput = { ua: 0, zone: null };
        if (!contraindicated && this.#contact) this.#session.state = "running";
        break;
      }
      case "contact":
        if (!event.on) this.#forceZero("no-contact", null);
        this.#contact = event.on;
        if (event.on && s?.state === "ready") s.state = "running";
        break;
      case "probe": {
        this.#lastProbeT = event.t;
        const classes = event.points.map((p) => this.#classifier.classify(p));
        this.#observation = { points: event.points, confidence: event.confidence, classes };
        const verdict = this.#placeVerdict(this.#observation, s?.exclusions ?? NO_EXCLUSIONS);
        if (verdict) this.#forceZero(verdict.limit, verdict.zone);
        break;
      }
      case "comfort":
        if (s) s.comfort = Math.min(event.level, s.maxComfort);
        break;
      case "cap":
        if (s) s.operatorCapUa = Math.min(event.operatorCapUa, HARD_CEILING_UA);
        break;
      case "device":
        this.#deviceMaxUa = Math.min(event.maxCurrentUa, HARD_CEILING_UA);
        this.#deviceNetDc = event.netDc;
        break;
      case "fault":
        // Latched across sessions: a faulty device needs an operator, not just a new session.
        this.#fault = `${event.source}: ${event.reason}`;
        this.#forceZero("device-fault", null);
        break;
      case "estop":
        // Latched whatever the session does next (end, a new start): only an operator reset clears it.
        this.#estop = true;
        this.#forceZero("estop", null);
        break;
      case "reset":
        // Output never restarts by itself after a stop: a live session waits for the person to press Resume.
        if (this.latched && (s?.state === "running" || s?.state === "ready")) s.state = "paused";
        this.#estop = false;
        this.#fault = null;
        break;
      case "pause":
        // Also before the first contact: a pause pressed while ready must hold when the probe then touches.
        if (s?.state === "running" || s?.state === "ready") s.state = "paused";
        this.#forceZero("paused", null);
        break;
      case "resume":
        if (s?.state === "paused") s.state = "running";
        break;
      case "end":
        if (s && !isOver(s)) {
          s.state = "ended";
          s.endLimit = "ended";
        }
        this.#forceZero("ended", null);
        break;
    }
  }

  /** Computes the output frame at time t (ms on the same clock as the events). */
  frame(t: number): EngineFrame {
    const elapsed = this.#lastFrameT === null ? FRAME_MS : Math.max(0, t - this.#lastFrameT);
    this.#lastFrameT = t;
    const s = this.#session && !this.#screening ? this.#session : null;
    if (s && !isOver(s)) this.#account(s, elapsed);
    let verdict = this.#verdict(t, s);
    if (verdict.ua > 0 && this.#pendingZero) {
      verdict = {
        ...verdict,
        ua: 0,
        limit: this.#pendingZero.limit,
        zone: this.#pendingZero.zone ?? verdict.zone,
      };
    }
    this.#pendingZero = null;

    let ua = 0;
    let limit = verdict.limit;
    if (verdict.ua > 0) {
      const next = slewLimited(this.#lastUa, verdict.ua, elapsed);
      ua = Math.floor(next.ua * 1000) / 1000;
      if (next.slewed) limit = "slew";
    }
    this.#lastUa = ua;
    this.#lastOutput = { ua, zone: verdict.zone };
    if (verdict.freqHz > 0) this.#lastFreqHz = verdict.freqHz;
    const frame: EngineFrame = {
      t,
      currentUa: ua,
      freqHz: this.#lastFreqHz,
      polarity: this.#polarity(s),
      zone: verdict.zone,
      state: this.state,
      limit,
      validForMs: FRAME_VALID_MS,
    };
    const guidance = s?.guidance?.snapshot();
    if (guidance) frame.guidance = guidance;
    return frame;
  }

  /**
   * Books what the previous frame delivered (it ran until now, at most its validity window), advances the
   * guided routine with it, and ends the session before a frame could exceed the time limit (rule 7).
   */
  #account(s: Session, elapsed: number): void {
    const delivered = this.#lastOutput.ua > 0;
    if (delivered) s.stimulationMs += Math.min(elapsed, FRAME_VALID_MS);
    if (s.guidance) {
      s.guidance.advance(
        this.#midpoint(),
        delivered && this.#lastOutput.zone === s.guidance.step?.zone,
        elapsed,
      );
      if (s.guidance.complete) {
        s.state = "ended";
        s.endLimit = "ended";
      }
    }
    if (s.stimulationMs + FRAME_MS > this.#maxStimulationMs) {
      s.state = "ended";
      s.endLimit = "session-time";
    }
  }

  #forceZero(limit: LimitReason, zone: string | null): void {
    this.#lastUa = 0;
    this.#pendingZero ??= { limit, zone };
  }

  #polarity(s: Session | null): Polarity {
    // Rule 9: net-DC only where the device declares it and the operator enabled it.
    return s?.netDcRequested && this.#deviceNetDc ? "positive" : "alternating";
  }

  #midpoint(): UvPoint | null {
    const pts = this.#observation?.points;
    if (!pts || pts.length === 0) return null;
    let u = 0, v = 0;
    for (const p of pts) {
      u += p.u;
      v += p.v;
    }
    return { u: u / pts.length, v: v / pts.length };
  }

  /**
   * Rule 2 for one observation: a zero verdict when any point is not where output may flow, this person's
   * excluded zones included (after the keep-outs, before off-face: the most restrictive point names the limit).
   */
  #placeVerdict(o: Observation, exclusions: Exclusions): { limit: LimitReason; zone: string | null } | null {
    if (o.points.length === 0) return { limit: "not-located", zone: null };
    if (o.confidence < MIN_CONFIDENCE) return { limit: "low-confidence", zone: null };
    for (const c of o.classes) {
      if (c.kind === "keep-out") return { limit: `keep-out:${c.zone}`, zone: c.zone };
    }
    for (const p of o.points) {
      const zone = exclusions.holding(p);
      if (zone !== null) return { limit: `excluded:${zone}`, zone };
    }
    for (const c of o.classes) if (c.kind === "off-face") return { limit: "off-face", zone: null };
    for (const c of o.classes) if (c.kind === "off-zone") return { limit: "off-zone", zone: null };
    return null;
  }

  #verdict(t: number, s: Session | null): Verdict {
    const zero = (limit: LimitReason, zone: string | null = null): Verdict => ({
      ua: 0,
      limit,
      zone,
      freqHz: 0,
    });
    // The latch comes first: every frame says `estop` (or `device-fault`) until the operator resets it.
    const latched = this.latched;
    if (latched) return zero(latched);
    if (!s) return zero("idle");
    if (isOver(s)) return zero(s.endLimit);
    if (s.state === "paused") return zero("paused");
    if (t - this.#lastProbeT > STALE_TRACKING_MS || !this.#observation) return zero("stale-tracking");
    const o = this.#observation;
    const place = this.#placeVerdict(o, s.exclusions);
    if (place) return zero(place.limit, place.zone);

    // Every point is in a treatment zone: the most restrictive (lowest level) wins.
    let zone = o.classes[0] as Extract<PointClass, { kind: "treatment" }>;
    for (const c of o.classes) if (c.kind === "treatment" && c.levelUa < zone.levelUa) zone = c;
    const step = s.guidance?.step;
    if (step && o.classes.some((c) => c.kind === "treatment" && c.zone !== step.zone)) {
      return zero("off-target", zone.zone);
    }
    if (!this.#contact) return zero("no-contact", zone.zone);
    if (s.state !== "running") return zero("idle", zone.zone);

    const comfort = s.comfort / 10;
    const bounds: Bound[] = [
      { ua: this.#deviceMaxUa, limit: "device-max" },
      { ua: s.operatorCapUa, limit: "operator-cap" },
      { ua: zone.levelUa * comfort, limit: "zone" },
    ];
    if (step) bounds.push({ ua: step.levelUa * comfort, limit: "step" });
    const bound = tightestBound(bounds);
    return { ua: bound.ua, limit: bound.limit, zone: zone.zone, freqHz: step?.freqHz ?? zone.freqHz };
  }
}

function isOver(s: Session): boolean {
  return s.state === "ended" || s.state === "aborted";
}

/** Creates an engine with the shipped zone map and the given routines. */
export function createEngine(options: EngineOptions = {}): Engine {
  return new Engine(options);
}
