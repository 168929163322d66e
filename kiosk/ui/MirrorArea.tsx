/** The mirror area: the camera mirror, or in demo mode the face-photo demo scene through the same pipeline. */
import { messagesFor } from "./i18n.ts";
import { MIRROR } from "./i18n/mirror.ts";
import { Mirror } from "./mirror/mod.ts";
import { demoAllowed, hello } from "./state.ts";

const t = messagesFor(MIRROR);

/** Props for MirrorArea. */
export interface MirrorAreaProps {
  /** tfjs backend passed to the mirror ("auto", "wasm", "webgl", "cpu"). Default "auto". */
  backend?: string;
}

/**
 * Renders the mirror slot. It waits for the server's hello: the demo scene is used only when the hello says the
 * kiosk runs in demo mode on a simulated device; otherwise the camera mirror
 * runs with the demo scene hidden, so a kiosk with a real device never takes observations from the photo.
 */
export function MirrorArea({ backend = "auto" }: MirrorAreaProps) {
  const allowed = demoAllowed.value;
  const known = hello.value !== null && allowed !== null;
  const demo = known && hello.value!.demo && allowed === true;
  return (
    <section
      class="mirror"
      aria-label="mirror"
      data-testid="mirror"
      data-mode={known ? (demo ? "demo" : "camera") : ""}
    >
      {known
        ? (
          <Mirror
            key={demo ? "demo" : "camera"}
            camera={demo ? "demo" : "auto"}
            allowDemo={allowed === true}
            backend={backend}
          />
        )
        : <p class="mirror-wait">{t("connecting")}</p>}
      <span class="badge">{!known ? "" : demo ? t("badge.demo") : t("badge.camera")}</span>
    </section>
  );
}
