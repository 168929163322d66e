/** Session runtime: the 50 Hz scheduler, the runner that owns the engine, the records and the demo probe. */
export { createScheduler, percentile } from "./scheduler.ts";
export type { JitterStats, Scheduler, SchedulerOptions, TickInfo } from "./scheduler.ts";
export { createSessionRunner } from "./runner.ts";
export type {
  Consent,
  EngineLike,
  EventInput,
  EventMeta,
  EventSource,
  FrameInfo,
  RunnerObserver,
  SessionRunner,
  SessionRunnerOptions,
} from "./runner.ts";
export type { DeviceEvent, OutputSink, SinkReport } from "./output_sink.ts";
export { createRecorder } from "./recorder.ts";
export type { Recorder, RecorderOptions } from "./recorder.ts";
export { createDemoProbe } from "./demo_probe.ts";
export type { DemoObservation, DemoPhase, DemoProbe, DemoProbeOptions } from "./demo_probe.ts";
export { attachDemo } from "./demo.ts";
export type { Demo, DemoOptions } from "./demo.ts";
export { attachRecords, createEventLog } from "./records.ts";
export type {
  EventLog,
  EventLogHealth,
  EventLogOptions,
  Records,
  RecordsHealth,
  RecordsOptions,
} from "./records.ts";
