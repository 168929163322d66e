/** The mirror area: the slot where the camera mirror goes; in demo mode it shows DemoFace. */
import type { ComponentChildren } from "preact";
import { DemoFace } from "./DemoFace.tsx";
import { hello } from "./state.ts";

/** Props for MirrorArea. */
export interface MirrorAreaProps {
  /**
   * The camera mirror (<Mirror/> from kiosk/ui/mirror/, camera + overlay). When absent, or in demo
   * mode, the area draws the UV face and the virtual probe instead.
   */
  children?: ComponentChildren;
}

/** Renders the mirror slot. */
export function MirrorArea({ children }: MirrorAreaProps) {
  const demo = hello.value?.demo ?? true;
  return (
    <section class="mirror" aria-label="mirror" data-testid="mirror">
      {children && !demo ? children : <DemoFace />}
      <span class="badge">{demo ? "demo: virtual probe" : "camera"}</span>
    </section>
  );
}
