/** The device host: owns the USB handle, talks to it only through the driver codec, and reports device events. */
import {
  type AsyncDriver,
  type DeviceLimits,
  type DeviceMessage,
  type DriverDefinition,
  isTransientNak,
  matchesFilters,
  type Telemetry,
} from "@glidepath/sdk";
import type { EngineFrame } from "../../core/engine/types.ts";
import { FRAME_VALID_MS, HARD_CEILING_UA } from "../../core/engine/envelope.ts";
import type { DeviceEvent, OutputSink, SinkReport } from "../session/mod.ts";
import { type Clock, systemClock } from "../../core/sdk/mod.ts";
import { Connection, type HostUsbDevice, LimitsRefusedError } from "./_connection.ts";
import { type HostDriver, toHostDriver } from "./_driver.ts";
import type { DeviceHostOptions, HostState, HostStatus, UsbRegistryLike } from "./host_types.ts";
import { TelemetryWatch } from "./_telemetry_watch.ts";
import { errorText } from "./_error_text.ts";

// A watchdog timer firing this much after it was due means the host itself was stalled, not the device.
const HOST_STALL_MS = 50;

/**
 * Opens the first device matching the driver's filters, says hello, writes limits at every (re)connect,
 * forwards engine frames as codec output, cross-checks telemetry, and reconnects with backoff.
 * Implements the kiosk OutputSink.
 */
export class DeviceHost implements OutputSink {
  /** The driver in use (plain definitions are wrapped to run in-process). */
  readonly driver: HostDriver;
  readonly #usb: UsbRegistryLike;
  readonly #clock: Clock;
  readonly #opt: Required<
    Omit<DeviceHostOptions, "clock" | "backoff" | "crossCheck" | "log" | "operatorCapUa" | "transientNaks">
  >;
  readonly #transient: { max: number; windowMs: number };
  #transientAt: number[] = [];
  readonly #log: (line: string) => void;
  readonly #backoff: { initialMs: number; maxMs: number };
  readonly #cross: CrossCheck;
  readonly #watch: TelemetryWatch;
  #operatorCapUa: number;
  #listeners = new Set<(report: SinkReport) => void>();
  #conn: Connection | null = null;
  #state: HostState = "disconnected";
  #started = false;
  #disposed = false;
  #connecting = false;
  #everConnected = false;
  #retryTimer: unknown = null;
  // The release of a halted connection (STOP, then close): a reconnect waits for it, so both never share the device.
  #closing: Promise<void> = Promise.resolve();
  // Bumped at every halt: a connect that was under way when it came must not carry on.
  #epoch = 0;
  // A connection still in its handshake (not yet #conn): a halt closes it too, so its hello is never written.
  #opening: Connection | null = null;
  #watchdog: unknown = null;
  #nextDelayMs: number;
  #failedAttempts = 0;
  #lastTelemetry: Telemetry | null = null;
  #contact: boolean | null = null;
  #latched: string | null = null;
  #lastFault: { reason: string; atMs: number } | null = null;
  #counts = { telemetry: 0, corrupt: 0, naks: 0, stalls: 0, reconnects: 0 };
  readonly #onConnect = (event: Event) => this.#usbEvent(event, true);
  readonly #onDisconnect = (event: Event) => this.#usbEvent(event, false);

  /** `driver`: a definition (run in-process) or an AsyncDriver such as the plugin host's LoadedDriver. */
  constructor(driver: DriverDefinition | AsyncDriver, usb: UsbRegistryLike, options: DeviceHostOptions = {}) {
    if (!driver?.filters?.length) {
      throw new TypeError(`Driver "${driver?.id}": "filters" must be a non-empty array`);
    }
    this.driver = toHostDriver(driver);
    this.driver.onFailure?.((reason) => this.#fault(`driver failed: ${reason}`, true));
    this.#usb = usb;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? (() => {});
    this.#opt = {
      maxSlewUaPerS: options.maxSlewUaPerS ?? 100,
      telemetryTimeoutMs: options.telemetryTimeoutMs ?? 200,
      staleReconnectMs: options.staleReconnectMs ?? 1000,
      replyTimeoutMs: options.replyTimeoutMs ?? 500,
    };
    this.#transient = {
      max: options.transientNaks?.max ?? 5,
      windowMs: options.transientNaks?.windowMs ?? 1000,
    };
    this.#backoff = { initialMs: options.backoff?.initialMs ?? 250, maxMs: options.backoff?.maxMs ?? 4000 };
    this.#nextDelayMs = this.#backoff.initialMs;
    this.#cross = new CrossCheck(options.crossCheck);
    this.#watch = new TelemetryWatch(this.#opt.telemetryTimeoutMs, this.#opt.staleReconnectMs);
    this.#operatorCapUa = checkCap(options.operatorCapUa ?? HARD_CEILING_UA);
  }

  /** Starts looking for a device (and listening for hot-plug). Idempotent. */
  start(): void {
    if (this.#started || this.#disposed) return;
    this.#started = true;
    this.#usb.addEventListener?.("connect", this.#onConnect);
    this.#usb.addEventListener?.("disconnect", this.#onDisconnect);
    void this.#connect();
  }

  /** Connection state. */
  get state(): HostState {
    return this.#state;
  }

  /** Subscribes to device events and telemetry; returns the unsubscribe function. */
  subscribe(listener: (report: SinkReport) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Sends one engine frame as codec output; dropped unless connected and free of faults. Never blocks.
   * A frame above the written limit, or net-DC where the device or manifest does not allow it, is a
   * latched fault; validity is cut to the engine's 100 ms.
   */
  send(frame: EngineFrame): void {
    const conn = this.#conn;
    if (!conn?.limits || this.#state !== "connected") return;
    if (frame.currentUa > conn.limits.maxCurrentUa) {
      this.#fault(
        `frame asks ${frame.currentUa} µA, above the device limit ${conn.limits.maxCurrentUa} µA`,
        true,
      );
      return;
    }
    if (frame.polarity !== "alternating" && !conn.netDc) {
      this.#fault(
        `frame asks ${frame.polarity} polarity (net-DC), which this device or plugin does not allow`,
        true,
      );
      return;
    }
    const command = {
      currentUa: frame.currentUa,
      freqHz: frame.freqHz,
      polarity: frame.polarity,
      validForMs: Math.min(frame.validForMs, FRAME_VALID_MS),
    };
    this.#cross.commanded(this.#clock.now(), command.currentUa, command.validForMs);
    conn.sendOutput(command);
  }

  /**
   * Halts output (the runner calls it on every estop and fault): queued frames are dropped, STOP is the
   * next and last write (the driver's standby stop if the driver failed), the device is closed, and
   * nothing more is written, not even the engine's 0 µA frames, until clearFault() and a fresh
   * connection with limits written again. A driver that lies about its bytes cannot keep output going:
   * the device's own frame expiry ends whatever its last bytes asked for.
   */
  stop(): void {
    this.#halt("output stopped (emergency stop or fault); held until an operator reset");
  }

  /** Changes the operator cap; rewrites limits on a live connection (nothing when the cap is unchanged). */
  async setOperatorCap(capUa: number): Promise<void> {
    if (checkCap(capUa) === this.#operatorCapUa) return;
    this.#operatorCapUa = capUa;
    const conn = this.#conn;
    if (!conn?.info || !conn.limits) return;
    try {
      await this.#writeLimits(conn);
    } catch (error) {
      // Dropped by a halt or a lost device: the next connection writes limits with this cap.
      if (this.#conn === conn || error instanceof LimitsRefusedError) throw error;
    }
  }

  /**
   * Operator reset: clears the latch and connects again (hello, limits written); frames flow once that is
   * done. Does nothing while no fault is latched.
   */
  clearFault(): void {
    if (this.#latched === null) return;
    this.#latched = null;
    if (this.#disposed || !this.#started) return;
    this.#state = "disconnected";
    this.#nextDelayMs = this.#backoff.initialMs;
    void this.#connect();
  }

  /** Status for /api/health. */
  status(): HostStatus {
    const conn = this.#conn;
    const now = this.#clock.now();
    return {
      kind: "device-host",
      driver: this.driver.id,
      state: this.#state,
      model: conn?.info?.model ?? null,
      firmware: conn?.info?.firmware ?? null,
      serialNumber: conn?.device.serialNumber ?? null,
      maxCurrentUa: conn?.info?.maxCurrentUa ?? null,
      declaredMaxUa: this.driver.declared?.maxCurrentUa ?? null,
      limitUa: conn?.limits?.maxCurrentUa ?? null,
      netDc: conn?.limits ? conn.netDc : null,
      contact: this.#contact,
      measuredUa: this.#lastTelemetry?.measuredUa ?? null,
      lastTelemetryAgeMs: this.#watch.lastAt === null ? null : Math.round(now - this.#watch.lastAt),
      telemetryFrames: this.#counts.telemetry,
      corruptFrames: this.#counts.corrupt,
      naks: this.#counts.naks,
      stalls: this.#counts.stalls + (conn?.stalls ?? 0),
      reconnects: this.#counts.reconnects,
      lastFault: this.#lastFault,
      latchedFault: this.#latched,
    };
  }

  /** Stops output, releases the device and all timers. Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#usb.removeEventListener?.("connect", this.#onConnect);
    this.#usb.removeEventListener?.("disconnect", this.#onDisconnect);
    this.#clearTimer("retry");
    this.#clearTimer("watchdog");
    const conn = this.#conn;
    this.#conn = null;
    this.#state = "disconnected";
    if (conn) await conn.close({ stopFirst: true });
    await this.#closing;
    this.#listeners.clear();
  }

  async #connect(): Promise<void> {
    if (this.#disposed || this.#connecting || this.#conn || this.#latched !== null) return;
    this.#connecting = true;
    this.#state = "connecting";
    const epoch = this.#epoch;
    let conn: Connection | null = null;
    try {
      await this.#closing;
      const devices = (await this.#usb.getDevices()).filter((d) => matchesFilters(d, this.driver.filters));
      if (devices.length === 0) throw new Error(`no device matches the filters of "${this.driver.id}"`);
      if (epoch !== this.#epoch) throw new Error("halted while connecting");
      // After a failed handshake the next matching device gets its turn.
      conn = new Connection(devices[this.#failedAttempts % devices.length]!, this.driver, this.#clock, {
        replyTimeoutMs: this.#opt.replyTimeoutMs,
        onMessage: (c, m) => this.#onMessage(c, m),
        onLost: (c, e) => this.#onLost(c, e),
      });
      this.#opening = conn;
      await conn.open();
      this.#opening = null;
      if (this.#disposed || epoch !== this.#epoch) {
        await conn.close({ stopFirst: true });
        if (!this.#disposed) this.#scheduleRetry(); // a halt came meanwhile; only a reset lets this retry run
        return;
      }
      this.#conn = conn;
      this.#cross.reset();
      this.#transientAt = [];
      this.#contact = null;
      await this.#writeLimits(conn);
      if (this.#conn !== conn) return;
      this.#nextDelayMs = this.#backoff.initialMs;
      this.#failedAttempts = 0;
      if (this.#everConnected) this.#counts.reconnects++;
      this.#everConnected = true;
      this.#watch.connected(this.#clock.now());
      this.#state = this.#latched ? "fault" : "connected";
      this.#log(
        `device: connected ${conn.info!.model} fw ${conn.info!.firmware}, limit ${
          conn.limits!.maxCurrentUa
        } µA`,
      );
      this.#armWatchdog();
    } catch (error) {
      this.#failedAttempts++;
      this.#log(`device: connect failed: ${errorText(error)}`);
      if (conn && this.#conn === conn) this.#conn = null;
      if (conn) await conn.close({ stopFirst: false });
      if (!this.#disposed && this.#latched === null) this.#state = "disconnected";
      this.#scheduleRetry();
    } finally {
      this.#opening = null;
      this.#connecting = false;
    }
  }

  // Limits = min(device max, approved manifest max, hard ceiling, operator cap), written at every
  // (re)connect and cap change; net-DC only where both the device and the manifest declare it.
  async #writeLimits(conn: Connection): Promise<void> {
    const info = conn.info!;
    const declared = this.driver.declared ?? null;
    const limits: DeviceLimits = {
      maxCurrentUa: Math.min(
        info.maxCurrentUa,
        declared?.maxCurrentUa ?? HARD_CEILING_UA,
        HARD_CEILING_UA,
        this.#operatorCapUa,
      ),
      maxSlewUaPerS: this.#opt.maxSlewUaPerS,
    };
    const netDc = info.netDc && (declared?.netDc ?? true);
    // Lowering: the engine and the host's own check learn first, so no frame is sent above the new limit.
    // Raising: only once the device has acknowledged it.
    const lowering = conn.limits !== null && limits.maxCurrentUa < conn.limits.maxCurrentUa;
    const announce = () => {
      conn.netDc = netDc;
      this.#emit({ type: "device", maxCurrentUa: limits.maxCurrentUa, netDc });
    };
    if (lowering) {
      conn.limits = { ...limits };
      announce();
    }
    await conn.writeLimits(limits);
    if (!lowering) announce();
  }

  #onMessage(conn: Connection, message: DeviceMessage): void {
    if (conn !== this.#conn) return;
    if (message.kind === "corrupt") {
      this.#counts.corrupt++;
    } else if (message.kind === "telemetry") {
      this.#onTelemetry(message.telemetry);
    } else if (message.kind === "nak") {
      this.#onNak(conn, message);
    } else if (message.kind === "fault") {
      this.#fault(`${message.code}: ${message.detail}`, true);
    }
  }

  // A device that lost its limits (it restarted) gets a fresh handshake, which writes them again.
  // Damaged or out-of-order frames are counted (the next frame follows 20 ms later) unless they come
  // in a burst; refusals for safety (above the limit, unsupported mode, device faulted) stop output.
  #onNak(conn: Connection, nak: Extract<DeviceMessage, { kind: "nak" }>): void {
    this.#counts.naks++;
    const what = `nak ${nak.reason}${nak.detail ? `: ${nak.detail}` : ""}`;
    if (nak.reason === "no-limits") {
      this.#onLost(conn, new Error(`device lost its limits (${what}); reconnecting`));
      return;
    }
    if (!isTransientNak(nak.reason)) {
      this.#fault(what, true);
      return;
    }
    const now = this.#clock.now();
    this.#transientAt = this.#transientAt.filter((t) => t > now - this.#transient.windowMs);
    this.#transientAt.push(now);
    if (this.#transientAt.length > this.#transient.max && this.#latched === null) {
      this.#transientAt = [];
      this.#fault(
        `repeated naks: ${
          this.#transient.max + 1
        } refused frames within ${this.#transient.windowMs} ms (last ${what})`,
        true,
      );
    }
  }

  #onTelemetry(telemetry: Telemetry): void {
    const wasStale = this.#watch.stale;
    const from = this.#watch.arrived(this.#clock.now());
    this.#watch.stale = false;
    this.#counts.telemetry++;
    this.#lastTelemetry = telemetry;
    this.#report({ kind: "telemetry", telemetry });
    if (this.#contact !== telemetry.contact) {
      this.#contact = telemetry.contact;
      this.#emit(
        Number.isFinite(telemetry.impedanceOhm)
          ? { type: "contact", on: telemetry.contact, impedanceOhm: telemetry.impedanceOhm }
          : { type: "contact", on: telemetry.contact },
      );
    }
    if (wasStale && !this.#latched && this.#conn?.limits) this.#state = "connected";
    const over = this.#cross.check(from, telemetry.measuredUa);
    this.#cross.forget(from);
    if (over && this.#latched === null) this.#fault(over, true);
    if (telemetry.faults.length > 0 && this.#latched === null) {
      this.#fault(`device fault: ${telemetry.faults.join(", ")}`, true);
    }
  }

  // A latched fault halts at once, before anyone hears of it; an unlatched one (silence, a lost device)
  // sends STOP and lets the host reconnect, unless a listener (the runner) halts it through stop() while it
  // hears of the fault: that halt's STOP is then the device's one STOP (frames are refused meanwhile).
  #fault(reason: string, latch: boolean): void {
    this.#lastFault = { reason, atMs: this.#clock.now() };
    this.#log(`device: fault: ${reason}`);
    if (latch) this.#halt(reason);
    else {
      this.#cross.commanded(this.#clock.now(), 0, 0);
      if (this.#conn) this.#state = "fault";
    }
    const epoch = this.#epoch;
    this.#emit({ type: "fault", source: `device:${this.driver.id}`, reason });
    if (!latch && epoch === this.#epoch) this.#conn?.sendStop();
  }

  // Latches, drops the connection (its close writes STOP as the last write, then releases the device) and
  // cancels any reconnect: nothing is written until clearFault().
  #halt(reason: string): void {
    this.#cross.commanded(this.#clock.now(), 0, 0);
    this.#latched ??= reason;
    this.#epoch++;
    this.#clearTimer("retry");
    this.#clearTimer("watchdog");
    if (this.#opening) {
      const handshake = this.#opening.close({ stopFirst: false });
      this.#closing = this.#closing.then(() => handshake);
    }
    const conn = this.#conn;
    this.#conn = null;
    if (!this.#disposed) this.#state = "fault";
    // The skin is no longer known: after the reset, output starts from 0 only once a reconnected device
    // reports contact again (rule 3), not at a level the engine ramped to while the device was closed.
    if (this.#contact) this.#emit({ type: "contact", on: false });
    this.#contact = null;
    if (!conn) return;
    const closed = conn.close({ stopFirst: true }).catch((error) =>
      this.#log(`device: close after stop failed: ${errorText(error)}`)
    );
    this.#closing = this.#closing.then(() => closed);
    this.#log(`device: output halted and device closed: ${this.#latched}`);
  }

  #onLost(conn: Connection, error: unknown): void {
    if (conn !== this.#conn) return;
    this.#conn = null;
    this.#clearTimer("watchdog");
    this.#state = "disconnected";
    if (this.#contact) this.#emit({ type: "contact", on: false });
    this.#contact = null;
    this.#fault(`disconnected: ${errorText(error)}`, false);
    const closed = conn.close({ stopFirst: false });
    this.#closing = this.#closing.then(() => closed);
    this.#scheduleRetry();
  }

  #armWatchdog(): void {
    this.#clearTimer("watchdog");
    const conn = this.#conn;
    if (!conn) return;
    const now = this.#clock.now();
    const verdict = this.#watch.check(now);
    const age = Math.round(verdict.ageMs);
    if (verdict.kind === "drop") return this.#onLost(conn, new Error(`no telemetry for ${age} ms`));
    if (verdict.kind === "timeout") {
      this.#fault(`telemetry-timeout: no telemetry for ${age} ms`, false);
      if (this.#conn !== conn) return; // a listener halted the host
    }
    const dueAt = now + verdict.checkInMs;
    this.#watchdog = this.#clock.setTimeout(() => {
      // Fired late: the kiosk's own thread was held up (a long task, a GC pause), and telemetry that came
      // meanwhile may still be waiting to be read. Let it be read before judging the device's silence.
      if (this.#clock.now() - dueAt > HOST_STALL_MS) {
        this.#watchdog = this.#clock.setTimeout(() => {
          this.#watchdog = null;
          this.#armWatchdog();
        }, 1);
        return;
      }
      this.#watchdog = null;
      this.#armWatchdog();
    }, verdict.checkInMs);
  }

  #scheduleRetry(): void {
    if (this.#disposed || this.#retryTimer !== null || this.#latched !== null) return;
    const delay = this.#nextDelayMs;
    this.#nextDelayMs = Math.min(this.#nextDelayMs * 2, this.#backoff.maxMs);
    this.#retryTimer = this.#clock.setTimeout(() => {
      this.#retryTimer = null;
      void this.#connect();
    }, delay);
  }

  #usbEvent(event: Event, connected: boolean): void {
    const device = (event as Event & { device?: HostUsbDevice }).device;
    if (!device || !matchesFilters(device, this.driver.filters)) return;
    if (!connected && this.#conn?.device === device) this.#onLost(this.#conn, new Error("device unplugged"));
    if (connected && !this.#conn && !this.#connecting) {
      this.#clearTimer("retry");
      void this.#connect();
    }
  }

  #clearTimer(which: "retry" | "watchdog"): void {
    const id = which === "retry" ? this.#retryTimer : this.#watchdog;
    if (id !== null) this.#clock.clearTimeout(id);
    if (which === "retry") this.#retryTimer = null;
    else this.#watchdog = null;
  }

  #emit(event: DeviceEvent): void {
    this.#report({ kind: "event", event });
  }

  #report(report: SinkReport): void {
    for (const listener of this.#listeners) {
      try {
        listener(report);
      } catch (error) {
        this.#log(`device: listener failed: ${errorText(error)}`);
      }
    }
  }
}

function checkCap(capUa: number): number {
  if (typeof capUa !== "number" || !(capUa >= 0 && capUa <= HARD_CEILING_UA)) {
    throw new RangeError(`Invalid operatorCapUa: ${capUa} (expected 0..${HARD_CEILING_UA})`);
  }
  return capUa;
}

// The telemetry cross-check: is the measured current above what was commanded, beyond a tolerance?

interface Command {
  t: number;
  ua: number;
  until: number;
}

/**
 * Remembers commands; a measurement above the highest command that may be behind it, plus tolerance, is a
 * fault. Telemetry arrives in order, so a frame received now was measured after the previous one was
 * received (minus latency): every command since then, and the window before it, may explain it.
 */
class CrossCheck {
  readonly #windowMs: number;
  readonly #minTol: number;
  readonly #fraction: number;
  #commands: Command[] = [];

  constructor(options: DeviceHostOptions["crossCheck"] = {}) {
    this.#windowMs = options.windowMs ?? 150;
    this.#minTol = options.minToleranceUa ?? 10;
    this.#fraction = options.fraction ?? 0.1;
  }

  /** Records a command sent at t (µA, valid for validForMs). */
  commanded(t: number, ua: number, validForMs: number): void {
    this.#commands.push({ t, ua, until: t + validForMs });
    if (this.#commands.length > 2000) this.#commands.splice(0, 1000);
  }

  /** Highest current the device may have delivered between `from` (minus the window) and now. */
  bound(from: number): number {
    const start = from - this.#windowMs;
    let bound = 0;
    let before: Command | undefined;
    for (const c of this.#commands) {
      if (c.t >= start) bound = Math.max(bound, c.ua);
      else before = c;
    }
    if (before && before.until >= start) bound = Math.max(bound, before.ua);
    return bound;
  }

  /**
   * A reason when measuredUa exceeds the bound plus tolerance, else null. `from` is when the previous
   * telemetry arrived (the earliest moment this measurement can describe).
   */
  check(from: number, measuredUa: number): string | null {
    const bound = this.bound(from);
    const tolerance = Math.max(this.#minTol, bound * this.#fraction);
    if (measuredUa <= bound + tolerance) return null;
    return `overcurrent: measured ${measuredUa.toFixed(1)} µA, commanded at most ${bound.toFixed(1)} µA ` +
      `(tolerance ${tolerance.toFixed(1)} µA)`;
  }

  /** Drops commands older than `from` minus the window, keeping the one in effect then. */
  forget(from: number): void {
    const start = from - this.#windowMs;
    let i = 0;
    while (i + 1 < this.#commands.length && this.#commands[i + 1]!.t < start) i++;
    if (i > 0) this.#commands.splice(0, i);
  }

  /** Forgets every command (new connection). */
  reset(): void {
    this.#commands = [];
  }
}
