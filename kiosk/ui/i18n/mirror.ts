/** Messages of the mirror: its prompts (what the camera, the model and the engine report) and its labels. */
import type { Catalogue } from "../i18n.ts";

const en = {
  "connecting": "Connecting to the kiosk…",
  "badge.demo": "demo: face photo, simulated device",
  "badge.camera": "camera",
  "camera": "camera",
  "demoScene": "Demo scene",
  "demoSource": "demo scene (face photo)",
  "gauge": "output",
  "off": "{problem} Output stays off.",
  "model": "Face model unavailable — {detail}. Output stays off.",
  "loading": "Starting the camera and the face model…",
  "keepOut": "{reason} — output is off.",
  "excluded": "{reason} — move to another area. Output is off here.",
  "noFace": "No face in view — face the mirror.",
  "noProbe": "Probe not seen — keep the marked probe tip in view.",
  "twoFaces": "Two faces in view — following the nearest (largest) one.",
  "offFace": "Probe is off the face — output is off.",
  "noContact": "No skin contact — touch both probe balls to the skin.",
  "moreGel": "Add a little more gel — the probes are not touching the skin well.",
} as const;

/** A key of MIRROR. */
export type MirrorKey = keyof typeof en;

/** The mirror's messages, English and Spanish. */
export const MIRROR: Catalogue<MirrorKey> = {
  en,
  es: {
    "connecting": "Conectando con el quiosco…",
    "badge.demo": "demostración: foto de una cara, aparato simulado",
    "badge.camera": "cámara",
    "camera": "cámara",
    "demoScene": "Escena de demostración",
    "demoSource": "escena de demostración (foto de una cara)",
    "gauge": "salida",
    "off": "{problem} La salida sigue apagada.",
    "model": "El modelo de la cara no está disponible — {detail}. La salida sigue apagada.",
    "loading": "Iniciando la cámara y el modelo de la cara…",
    "keepOut": "{reason} — salida apagada.",
    "excluded": "{reason}: pase a otra zona. Aquí la salida está apagada.",
    "noFace": "No se ve ninguna cara — mire al espejo.",
    "noProbe": "No se ve la sonda — mantenga la punta marcada a la vista.",
    "twoFaces": "Hay dos caras — se sigue la más cercana (la más grande).",
    "offFace": "La sonda está fuera de la cara — salida apagada.",
    "noContact": "Sin contacto con la piel — toque la piel con las dos bolas de la sonda.",
    "moreGel": "Ponga un poco más de gel — las sondas no tocan bien la piel.",
  },
};
