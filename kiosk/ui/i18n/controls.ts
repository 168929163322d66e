/** Messages of the session controls: routine, strength, screening and consent, the buttons and why Start waits. */
import type { Catalogue } from "../i18n.ts";

const en = {
  "title": "Session controls",
  "routine": "Routine",
  "comfort": "Strength: {word}",
  "comfort.value": "{word}, {level} of 10",
  "comfort.gentle": "gentle",
  "comfort.medium": "medium",
  "comfort.strong": "strong",
  "screening.hint": "Before you start, answer every question.",
  "yes": "Yes",
  "no": "No",
  "screening.yes": "With a “yes” answer the device gives no output. Please ask the operator.",
  "consent": "I have read the guidance and consent to this session",
  "start": "Start",
  "pause": "Pause",
  "resume": "Resume",
  "end": "End session",
  "hint.latched": "A member of staff must reset the stop before a session can start or continue.",
  "hint.paused": "Output is off. Press Resume when you are ready.",
  "why.answers": "Answer every question to start.",
  "why.consent": "Tick consent to start.",
  "why.face": "Face the mirror so the camera finds your face.",
  "why.probe": "Hold a probe where the camera can see its tip.",
  "notConnected": "Not connected — the session did not start",
  "guide": "How it works",
  "language": "Language",
} as const;

/** A key of CONTROLS. */
export type ControlsKey = keyof typeof en;

/** The session controls' messages, English and Spanish. */
export const CONTROLS: Catalogue<ControlsKey> = {
  en,
  es: {
    "title": "Controles de la sesión",
    "routine": "Rutina",
    "comfort": "Intensidad: {word}",
    "comfort.value": "{word}, {level} de 10",
    "comfort.gentle": "suave",
    "comfort.medium": "media",
    "comfort.strong": "fuerte",
    "screening.hint": "Antes de empezar, responda a todas las preguntas.",
    "yes": "Sí",
    "no": "No",
    "screening.yes": "Con un «sí» el aparato no da salida. Consulte al personal.",
    "consent": "He leído las indicaciones y doy mi consentimiento para esta sesión",
    "start": "Empezar",
    "pause": "Pausa",
    "resume": "Continuar",
    "end": "Terminar la sesión",
    "hint.latched": "Alguien del personal debe restablecer la parada para empezar o continuar una sesión.",
    "hint.paused": "La salida está apagada. Pulse Continuar cuando esté listo.",
    "why.answers": "Responda a todas las preguntas para empezar.",
    "why.consent": "Marque el consentimiento para empezar.",
    "why.face": "Mire al espejo para que la cámara encuentre su cara.",
    "why.probe": "Sostenga una sonda donde la cámara vea su punta.",
    "notConnected": "Sin conexión: la sesión no ha empezado",
    "guide": "Cómo funciona",
    "language": "Idioma",
  },
};
