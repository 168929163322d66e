/** Test fixture: a kiosk as the runtime suites and benches start it, with only what a case is about spelled out. */
import { type Kiosk, type KioskOptions, startKiosk } from "../../kiosk/mod.ts";

/**
 * Starts a kiosk on a free port, without building the page, logging nowhere, in a fresh temporary data folder:
 * `options` add to or replace those (pass `dataDir` to look into the folder afterwards).
 */
export function startTestKiosk(options: KioskOptions = {}): Promise<Kiosk> {
  return startKiosk({
    port: 0,
    buildUi: false,
    log: () => {},
    ...options,
    dataDir: options.dataDir ?? Deno.makeTempDirSync({ prefix: "gp-kiosk-" }),
  });
}
