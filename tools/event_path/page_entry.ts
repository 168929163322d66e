/** The kiosk page as the hop count loads it: the shipped entry plus a hook that hands the count the mirror's loop. */
import { setMirrorInstrument } from "../../kiosk/ui/mirror/instrument.ts";
import "../../kiosk/ui/main.tsx";

let probes = 0;
setMirrorInstrument((session) => {
  (globalThis as unknown as { __hops: unknown }).__hops = {
    session,
    get probes() {
      return probes;
    },
  };
  return {
    frameDone(result) {
      if (result.observation.points.length > 0) probes++;
    },
    dispose() {},
  };
});
