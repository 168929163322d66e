/** The station's own screens in English and Spanish: the attract screen and the staff view (records behind the PIN). */
import type { Catalogue } from "../i18n.ts";

/** Keys of the station catalogue. */
export type StationKey =
  | "attract.salon"
  | "attract.home"
  | "attract.touch"
  | "attract.camera"
  | "attract.staff"
  | "staff.title"
  | "staff.locked"
  | "staff.pin"
  | "staff.unlock"
  | "staff.notConnected"
  | "staff.back"
  | "staff.lock"
  | "staff.sessions"
  | "staff.noSessions"
  | "staff.truncated"
  | "staff.loading"
  | "staff.col.time"
  | "staff.col.client"
  | "staff.col.routine"
  | "staff.col.duration"
  | "staff.col.output"
  | "staff.col.max"
  | "staff.col.end"
  | "staff.live"
  | "staff.nobody"
  | "staff.audit"
  | "staff.noAudit"
  | "staff.col.action"
  | "staff.col.actor"
  | "staff.col.detail"
  | "staff.newest"
  | "staff.newer"
  | "staff.older"
  | "staff.page"
  | "end.user-end"
  | "end.operator-end"
  | "end.ended"
  | "end.session-time"
  | "end.screening"
  | "end.aborted"
  | "end.replaced"
  | "end.crashed"
  | "end.shutdown"
  | "end.estop"
  | "end.device-fault";

/** The station catalogue. */
export const STATION: Catalogue<StationKey> = {
  en: {
    "attract.salon": "A guided microcurrent facial: the mirror shows you where to glide, step by step.",
    "attract.home": "Your guided microcurrent mirror: it shows you where to glide, step by step.",
    "attract.touch": "Touch to start",
    "attract.camera": "The camera stays off until you start.",
    "attract.staff": "Staff",
    "staff.title": "Staff view",
    "staff.locked": "Enter the operator PIN to see today's sessions and the audit log.",
    "staff.pin": "Operator PIN",
    "staff.unlock": "Unlock",
    "staff.notConnected": "Not connected",
    "staff.back": "Back",
    "staff.lock": "Lock and close",
    "staff.sessions": "Sessions on {day}",
    "staff.noSessions": "No sessions yet today.",
    "staff.truncated": "Only the latest {count} are listed.",
    "staff.loading": "Loading…",
    "staff.col.time": "Time",
    "staff.col.client": "Client",
    "staff.col.routine": "Routine",
    "staff.col.duration": "Duration",
    "staff.col.output": "Output time",
    "staff.col.max": "Max current",
    "staff.col.end": "How it ended",
    "staff.live": "still running",
    "staff.nobody": "—",
    "staff.audit": "Audit log",
    "staff.noAudit": "No entries.",
    "staff.col.action": "Action",
    "staff.col.actor": "By",
    "staff.col.detail": "Detail",
    "staff.newest": "Latest",
    "staff.newer": "Newer",
    "staff.older": "Older",
    "staff.page": "Page {page}",
    "end.user-end": "ended by the client",
    "end.operator-end": "ended by staff",
    "end.ended": "routine finished",
    "end.session-time": "time limit reached",
    "end.screening": "not started: screening answer",
    "end.aborted": "stopped early",
    "end.replaced": "replaced by a new session",
    "end.crashed": "kiosk stopped unexpectedly",
    "end.shutdown": "kiosk shut down",
    "end.estop": "emergency stop",
    "end.device-fault": "device fault",
  },
  es: {
    "attract.salon":
      "Un facial de microcorriente guiado: el espejo te muestra por dónde deslizar, paso a paso.",
    "attract.home": "Tu espejo de microcorriente guiado: te muestra por dónde deslizar, paso a paso.",
    "attract.touch": "Toca para empezar",
    "attract.camera": "La cámara sigue apagada hasta que empieces.",
    "attract.staff": "Personal",
    "staff.title": "Vista del personal",
    "staff.locked": "Introduce el PIN de operador para ver las sesiones de hoy y el registro de auditoría.",
    "staff.pin": "PIN de operador",
    "staff.unlock": "Desbloquear",
    "staff.notConnected": "Sin conexión",
    "staff.back": "Volver",
    "staff.lock": "Bloquear y cerrar",
    "staff.sessions": "Sesiones del {day}",
    "staff.noSessions": "Todavía no hay sesiones hoy.",
    "staff.truncated": "Solo se muestran las {count} más recientes.",
    "staff.loading": "Cargando…",
    "staff.col.time": "Hora",
    "staff.col.client": "Cliente",
    "staff.col.routine": "Rutina",
    "staff.col.duration": "Duración",
    "staff.col.output": "Tiempo con salida",
    "staff.col.max": "Corriente máx.",
    "staff.col.end": "Cómo terminó",
    "staff.live": "en curso",
    "staff.nobody": "—",
    "staff.audit": "Registro de auditoría",
    "staff.noAudit": "Sin entradas.",
    "staff.col.action": "Acción",
    "staff.col.actor": "Quién",
    "staff.col.detail": "Detalle",
    "staff.newest": "Más recientes",
    "staff.newer": "Más nuevas",
    "staff.older": "Más antiguas",
    "staff.page": "Página {page}",
    "end.user-end": "terminada por el cliente",
    "end.operator-end": "terminada por el personal",
    "end.ended": "rutina completada",
    "end.session-time": "límite de tiempo alcanzado",
    "end.screening": "no iniciada: respuesta del cuestionario",
    "end.aborted": "detenida antes de tiempo",
    "end.replaced": "sustituida por una sesión nueva",
    "end.crashed": "el quiosco se detuvo inesperadamente",
    "end.shutdown": "quiosco apagado",
    "end.estop": "parada de emergencia",
    "end.device-fault": "fallo del dispositivo",
  },
};
