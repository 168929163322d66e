/** The kiosk runtime: starts the server, the session runner, the store and the page in one process. */
export { startKiosk } from "./runtime.ts";
export type { Kiosk, KioskOptions } from "./runtime.ts";
export { StartRefusedError } from "./_start_guard.ts";
