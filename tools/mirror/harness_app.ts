/** The kiosk page as the e2e test and the bench load it: the shipped entry plus the mirror's harness hook. */
import { setMirrorInstrument } from "../../kiosk/ui/mirror/instrument.ts";
import "../../kiosk/ui/main.tsx";
import { attachMirrorHook } from "./mirror_hook.ts";

// Set after main.tsx rendered: a mirror session starts only once its model has loaded, well after this runs.
setMirrorInstrument(attachMirrorHook);
