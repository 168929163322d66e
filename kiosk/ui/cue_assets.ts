/** The recorded cue clips as files: their ids, URLs and paths (no page code: the server's file table reads it too). */
import { defaultZoneMap } from "../../core/zones/mod.ts";

/** Languages with recorded clips (the page's LANGUAGES; kept here as data so the server needs no page module). */
export const CUE_LANGUAGES = ["en", "es"] as const;

/** Every zone a step can target: the shipped map's treatment zones (a keep-out is never a target). */
const TARGET_ZONES: readonly string[] = defaultZoneMap.zones.filter((z) => z.kind === "treatment").map((z) =>
  z.id
);

/**
 * Every clip, by id: a move cue is two clips (its glide, then its area: 5 + 14 files per language instead of
 * 60 whole phrases), a hold one.
 */
export const CUE_CLIP_IDS: readonly string[] = [
  "glide-up",
  "glide-down",
  "glide-outward",
  "glide-inward",
  "hold",
  ...TARGET_ZONES.map((z) => `zone-${z}`),
];

/** Where the kiosk serves a clip. */
export function clipUrl(lang: string, id: string): string {
  return `/assets/cues/${lang}/${id}.ogg`;
}

/** Every clip file the kiosk serves (URL → project-relative path), for the server's file table. */
export const CUE_ASSETS: readonly { url: string; path: string; contentType: string }[] = CUE_LANGUAGES
  .flatMap((
    lang,
  ) =>
    CUE_CLIP_IDS.map((id) => ({
      url: clipUrl(lang, id),
      path: `kiosk/ui/assets/cues/${lang}/${id}.ogg`,
      contentType: "audio/ogg",
    }))
  );
