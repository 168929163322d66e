/** Routines: the schema, validation and the built-in free (manual) routine. */
export { estimateRoutineSeconds, FREE_ROUTINE, validateRoutine } from "./routine.ts";
export type { Routine, RoutineStep } from "./routine.ts";
export { checkStrokePaths, STROKE_CLEARANCE_MM, STROKE_SAMPLE_MM } from "./stroke_path.ts";
