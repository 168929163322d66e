/** Routine files on disk: loading and validation. */
export { CORE_ROUTINES_FILE, loadCoreRoutines, loadRoutineFile, parseRoutineFile } from "./load.ts";
export type { LoadRoutinesOptions } from "./load.ts";
