/** Messages of the profiles screen and the profile settings (English and Spanish), with the zone names people use. */
import type { Catalogue } from "../i18n.ts";

/** Keys of the profiles catalogue. */
export type ProfilesKey =
  | "title"
  | "intro"
  | "none"
  | "add.heading"
  | "add.name"
  | "add.language"
  | "add.submit"
  | "guest"
  | "settings.open"
  | "salon.title"
  | "salon.intro"
  | "salon.code"
  | "salon.hint"
  | "salon.submit"
  | "salon.privacy"
  | "settings.title"
  | "settings.language"
  | "settings.skip"
  | "settings.skipHint"
  | "settings.level"
  | "settings.levelHint"
  | "settings.gentlest"
  | "settings.strongest"
  | "settings.noLimit"
  | "settings.levelValue"
  | "settings.save"
  | "settings.saved"
  | "settings.done"
  | "settings.remove"
  | "settings.removeConfirm"
  | "chip.who"
  | "chip.change"
  | "chip.settings"
  | "chip.skips"
  | "chip.history"
  | "error.name"
  | "error.taken"
  | "error.code"
  | "error.store"
  | "error.busy"
  | "error.gone"
  | "error.other"
  | `zone.${ZoneId}`;

/** The treatment zones a person may skip, top of the face to the neck (kiosk/server checks the same ids). */
export const SKIPPABLE_ZONES = [
  "forehead",
  "brow-left",
  "brow-right",
  "temple-left",
  "temple-right",
  "cheek-left",
  "cheek-right",
  "nasolabial-left",
  "nasolabial-right",
  "jawline-left",
  "jawline-right",
  "chin",
  "neck-left",
  "neck-right",
] as const;
/** One skippable zone id. */
export type ZoneId = typeof SKIPPABLE_ZONES[number];

/**
 * The zones as the settings show them, one row per part of the face: the person's left side first, as they see it
 * in the mirror (a `-right` zone is the subject's left, docs/zones.md).
 */
export const ZONE_ROWS: readonly (readonly ZoneId[])[] = [
  ["forehead"],
  ["brow-right", "brow-left"],
  ["temple-right", "temple-left"],
  ["cheek-right", "cheek-left"],
  ["nasolabial-right", "nasolabial-left"],
  ["jawline-right", "jawline-left"],
  ["chin"],
  ["neck-right", "neck-left"],
];

/**
 * Zone names say the person's own side: a `-left` zone is the subject's right (docs/zones.md), the side a
 * person points to as "my right" in the mirror.
 */
export const PROFILES: Catalogue<ProfilesKey> = {
  en: {
    title: "Who's here?",
    intro: "Choose your name so the mirror remembers your settings.",
    none: "No one here yet — add yourself below.",
    "add.heading": "Add a person",
    "add.name": "Name",
    "add.language": "Language",
    "add.submit": "Add",
    guest: "Continue as a guest",
    "settings.open": "Settings for {name}",
    "salon.title": "Welcome",
    "salon.intro": "Enter your client code to begin.",
    "salon.code": "Your client code",
    "salon.hint": "4 to 8 letters or numbers, as on your card.",
    "salon.submit": "Continue",
    "salon.privacy": "Your code is never shown to the next client.",
    "settings.title": "Settings for {name}",
    "settings.language": "Language",
    "settings.skip": "Zones to skip",
    "settings.skipHint": "The device gives no current in a skipped zone, and routines leave it out.",
    "settings.level": "Strongest level for you",
    "settings.levelHint": "Sessions never go above this, whatever the level chosen later.",
    "settings.gentlest": "gentlest",
    "settings.strongest": "strongest",
    "settings.noLimit": "No limit of my own",
    "settings.levelValue": "level {level} of 10",
    "settings.save": "Save",
    "settings.saved": "Saved.",
    "settings.done": "Done",
    "settings.remove": "Remove this profile",
    "settings.removeConfirm": "Press again to remove {name} from this mirror.",
    "chip.who": "Who's here?",
    "chip.change": "Not you?",
    "chip.settings": "My settings",
    "chip.skips": "Skipping: {zones}",
    "chip.history": "My history",
    "error.name": "Please enter a name of 1 to 40 characters.",
    "error.taken": "That name is already used on this mirror. Try another.",
    "error.code": "A client code is 4 to 8 letters or numbers.",
    "error.store": "Your settings could not be saved, so nothing changed. Please try again or ask staff.",
    "error.busy": "A session is running. End it first.",
    "error.gone": "Please choose who you are again.",
    "error.other": "That did not work: {message}",
    "zone.forehead": "Forehead",
    "zone.brow-left": "Brow (your right)",
    "zone.brow-right": "Brow (your left)",
    "zone.temple-left": "Temple (your right)",
    "zone.temple-right": "Temple (your left)",
    "zone.cheek-left": "Cheek (your right)",
    "zone.cheek-right": "Cheek (your left)",
    "zone.nasolabial-left": "Smile line (your right)",
    "zone.nasolabial-right": "Smile line (your left)",
    "zone.jawline-left": "Jaw (your right)",
    "zone.jawline-right": "Jaw (your left)",
    "zone.chin": "Chin",
    "zone.neck-left": "Side of the neck (your right)",
    "zone.neck-right": "Side of the neck (your left)",
  },
  es: {
    title: "¿Quién está aquí?",
    intro: "Elige tu nombre para que el espejo recuerde tus ajustes.",
    none: "Aún no hay nadie: añádete abajo.",
    "add.heading": "Añadir a una persona",
    "add.name": "Nombre",
    "add.language": "Idioma",
    "add.submit": "Añadir",
    guest: "Continuar como invitado",
    "settings.open": "Ajustes de {name}",
    "salon.title": "Bienvenida, bienvenido",
    "salon.intro": "Escribe tu código de cliente para empezar.",
    "salon.code": "Tu código de cliente",
    "salon.hint": "De 4 a 8 letras o números, como en tu tarjeta.",
    "salon.submit": "Continuar",
    "salon.privacy": "Tu código nunca se muestra al siguiente cliente.",
    "settings.title": "Ajustes de {name}",
    "settings.language": "Idioma",
    "settings.skip": "Zonas que evitar",
    "settings.skipHint": "El aparato no da corriente en una zona evitada, y las rutinas la saltan.",
    "settings.level": "Tu nivel más fuerte",
    "settings.levelHint": "Las sesiones nunca pasan de aquí, elijas el nivel que elijas después.",
    "settings.gentlest": "más suave",
    "settings.strongest": "más fuerte",
    "settings.noLimit": "Sin límite propio",
    "settings.levelValue": "nivel {level} de 10",
    "settings.save": "Guardar",
    "settings.saved": "Guardado.",
    "settings.done": "Listo",
    "settings.remove": "Eliminar este perfil",
    "settings.removeConfirm": "Pulsa otra vez para eliminar a {name} de este espejo.",
    "chip.who": "¿Quién está aquí?",
    "chip.change": "¿No eres tú?",
    "chip.settings": "Mis ajustes",
    "chip.skips": "Se evita: {zones}",
    "chip.history": "Mi historial",
    "error.name": "Escribe un nombre de 1 a 40 caracteres.",
    "error.taken": "Ese nombre ya se usa en este espejo. Prueba otro.",
    "error.code": "Un código de cliente tiene de 4 a 8 letras o números.",
    "error.store":
      "No se pudieron guardar tus ajustes, así que nada cambió. Inténtalo de nuevo o pide ayuda al personal.",
    "error.busy": "Hay una sesión en curso. Termínala primero.",
    "error.gone": "Vuelve a elegir quién eres.",
    "error.other": "No funcionó: {message}",
    "zone.forehead": "Frente",
    "zone.brow-left": "Ceja (tu derecha)",
    "zone.brow-right": "Ceja (tu izquierda)",
    "zone.temple-left": "Sien (tu derecha)",
    "zone.temple-right": "Sien (tu izquierda)",
    "zone.cheek-left": "Mejilla (tu derecha)",
    "zone.cheek-right": "Mejilla (tu izquierda)",
    "zone.nasolabial-left": "Surco de la sonrisa (tu derecha)",
    "zone.nasolabial-right": "Surco de la sonrisa (tu izquierda)",
    "zone.jawline-left": "Mandíbula (tu derecha)",
    "zone.jawline-right": "Mandíbula (tu izquierda)",
    "zone.chin": "Barbilla",
    "zone.neck-left": "Lado del cuello (tu derecha)",
    "zone.neck-right": "Lado del cuello (tu izquierda)",
  },
};
