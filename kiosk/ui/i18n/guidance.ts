/** Messages of the guidance panel and the live cues: the step, the area, hold and what is left, and the spoken move and hold words. */
import type { Catalogue } from "../i18n.ts";

const en = {
  "title": "Guidance",
  "none": "No guided routine running",
  "step": "Step",
  "step.value": "{n} of {count}",
  "area": "Treat",
  "stroke": "This glide",
  "hold": "Hold",
  "passes": "Passes",
  "passes.value": "{done} of {count}",
  "left": "To go",
  "left.value": "{passes}, {steps}",
  "left.passes.one": "1 pass on this step",
  "left.passes.many": "{n} passes on this step",
  "left.steps.last": "last step",
  "left.steps.one": "then 1 more step",
  "left.steps.many": "then {n} more steps",
  "cue.glide-up": "Glide up",
  "cue.glide-down": "Glide down",
  "cue.glide-outward": "Glide outward",
  "cue.glide-inward": "Glide inward",
  "cue.hold": "Hold",
  "cue.move": "{glide}: {zone}",
} as const;

/** A key of GUIDANCE. */
export type GuidanceKey = keyof typeof en;

/** The guidance panel's and the cues' messages, English and Spanish. */
export const GUIDANCE: Catalogue<GuidanceKey> = {
  en,
  es: {
    "title": "Guía",
    "none": "No hay ninguna rutina guiada en curso",
    "step": "Paso",
    "step.value": "{n} de {count}",
    "area": "Tratar",
    "stroke": "Este recorrido",
    "hold": "Mantener",
    "passes": "Pasadas",
    "passes.value": "{done} de {count}",
    "left": "Falta",
    "left.value": "{passes}, {steps}",
    "left.passes.one": "1 pasada en este paso",
    "left.passes.many": "{n} pasadas en este paso",
    "left.steps.last": "último paso",
    "left.steps.one": "después 1 paso más",
    "left.steps.many": "después {n} pasos más",
    "cue.glide-up": "Deslice hacia arriba",
    "cue.glide-down": "Deslice hacia abajo",
    "cue.glide-outward": "Deslice hacia fuera",
    "cue.glide-inward": "Deslice hacia dentro",
    "cue.hold": "Mantenga",
    "cue.move": "{glide}: {zone}",
  },
};
