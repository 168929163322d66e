/** Recorded cues for a browser without a voice: which short clips speak a cue (the glide, then the area) and the words each clip says. */
import type { Cue } from "./coach.ts";
import { CUE_CLIP_IDS } from "./cue_assets.ts";
import { type Language, messagesFor } from "./i18n.ts";
import { GUIDANCE } from "./i18n/guidance.ts";
import { zoneName } from "./i18n/zones.ts";

const t = messagesFor(GUIDANCE);

/** The words a clip says in a language (what tools/build_cues.ts speaks); throws a RangeError for an unknown id. */
export function clipText(id: string, lang: Language): string {
  if (id === "hold") return t("cue.hold", undefined, lang);
  if (id.startsWith("glide-") && CUE_CLIP_IDS.includes(id)) {
    return t(`cue.${id as `glide-${"up" | "down" | "outward" | "inward"}`}`, undefined, lang);
  }
  if (id.startsWith("zone-") && CUE_CLIP_IDS.includes(id)) return zoneName(id.slice("zone-".length), lang);
  throw new RangeError(`Cannot say cue clip "${id}": no such clip`);
}

/** The clips that speak a cue, in order; null when one is missing (a vendor's zone): then the banner and beep alone. */
export function cueClips(cue: Cue): string[] | null {
  if (cue.kind === "hold") return ["hold"];
  const zone = `zone-${cue.zone}`;
  return CUE_CLIP_IDS.includes(zone) ? [`glide-${cue.glide}`, zone] : null;
}
