/** Messages of the first-run guide (gel, probes, what the mirror shows, how to stop) and of the calibration checklist before the first stroke. */
import type { Catalogue } from "../i18n.ts";

const en = {
  "progress": "Step {n} of {count}",
  "skip": "Skip the guide",
  "back": "Back",
  "next": "Next",
  "done": "Start my session",
  "welcome.title": "Welcome",
  "welcome.body":
    "This short guide shows how a session works, in about a minute. Then the mirror guides every stroke.",
  "gel.title": "Gel first",
  "gel.body":
    "Spread a thin, even layer of conductive gel over the area you will treat. The current reaches the skin through the gel; when the mirror asks for more gel, add a little.",
  "probes.title": "Both probes on the skin",
  "probes.body":
    "Touch the skin with both probe tips at the same time and keep them there as you glide. Output flows only while both touch; lift them and it stops.",
  "mirror.title": "What the mirror shows",
  "mirror.arrow": "The white arrow: glide from its tail to its head; it fills green as you go.",
  "mirror.ring": "The yellow ring: hold the probes still until it closes.",
  "mirror.green": "Green: the area to treat now.",
  "mirror.red": "Red: keep away (eyes, lips, front of the neck). Output stops there.",
  "mirror.dot": "The ring on the probe tip turns green while output flows.",
  "stop.title": "How to stop",
  "stop.body":
    "Press the big red stop button, or the Space bar or Escape key. Output stops at once and stays off until staff reset it. Lifting the probes off the skin also stops it.",
  "stop.button": "EMERGENCY STOP",
  "stop.keys": "Space · Esc",
  "calibration": "Before the first stroke",
  "check.face": "Face found",
  "check.probe": "Probe seen",
  "check.contact": "Probes touching the skin",
  "check.contact.pending": "Contact is checked once you press Start",
  "check.contact.none": "Touch the skin with both probes",
  "check.contact.gel": "Add a little more gel",
  "check.comfort": "Choose a strength",
  "check.comfort.chosen": "Strength: {word}",
  "done.mark": "done",
  "todo.mark": "not yet",
} as const;

/** A key of ONBOARDING. */
export type OnboardingKey = keyof typeof en;

/** The guide's and the calibration checklist's messages, English and Spanish. */
export const ONBOARDING: Catalogue<OnboardingKey> = {
  en,
  es: {
    "progress": "Paso {n} de {count}",
    "skip": "Saltar la guía",
    "back": "Atrás",
    "next": "Siguiente",
    "done": "Empezar mi sesión",
    "welcome.title": "Bienvenida",
    "welcome.body":
      "Esta breve guía muestra cómo funciona una sesión, en alrededor de un minuto. Después, el espejo le guía en cada pasada.",
    "gel.title": "Primero, el gel",
    "gel.body":
      "Extienda una capa fina y uniforme de gel conductor sobre la zona que va a tratar. La corriente llega a la piel a través del gel; cuando el espejo pida más gel, añada un poco.",
    "probes.title": "Las dos sondas sobre la piel",
    "probes.body":
      "Toque la piel con las dos puntas de la sonda a la vez y manténgalas así mientras desliza. La salida solo funciona mientras tocan las dos; si las levanta, se detiene.",
    "mirror.title": "Qué muestra el espejo",
    "mirror.arrow":
      "La flecha blanca: deslice desde la cola hasta la punta; se llena de verde a medida que avanza.",
    "mirror.ring": "El anillo amarillo: mantenga las sondas quietas hasta que se cierre.",
    "mirror.green": "Verde: la zona que toca tratar ahora.",
    "mirror.red": "Rojo: no se acerque (ojos, labios, parte delantera del cuello). Ahí la salida se detiene.",
    "mirror.dot": "El anillo de la punta de la sonda se vuelve verde mientras hay salida.",
    "stop.title": "Cómo parar",
    "stop.body":
      "Pulse el gran botón rojo de parada, o la barra espaciadora o la tecla Esc. La salida se detiene al instante y sigue apagada hasta que el personal la restablezca. Levantar las sondas de la piel también la detiene.",
    "stop.button": "PARADA DE EMERGENCIA",
    "stop.keys": "Espacio · Esc",
    "calibration": "Antes de la primera pasada",
    "check.face": "Cara encontrada",
    "check.probe": "Sonda a la vista",
    "check.contact": "Las sondas tocan la piel",
    "check.contact.pending": "El contacto se comprueba al pulsar Empezar",
    "check.contact.none": "Toque la piel con las dos sondas",
    "check.contact.gel": "Ponga un poco más de gel",
    "check.comfort": "Elija una intensidad",
    "check.comfort.chosen": "Intensidad: {word}",
    "done.mark": "hecho",
    "todo.mark": "pendiente",
  },
};
