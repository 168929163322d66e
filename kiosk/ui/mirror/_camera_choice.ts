/** The camera picked in the mirror's menu, remembered across reloads (where storage is available). */

const CAMERA_KEY = "glidepath.mirror.camera";

/** The remembered camera choice, or null (also when storage is unavailable). */
export function stored(): string | null {
  try {
    return localStorage.getItem(CAMERA_KEY);
  } catch {
    return null;
  }
}

/** Remembers a camera choice (silently not, where storage is unavailable). */
export function remember(choice: string): void {
  try {
    localStorage.setItem(CAMERA_KEY, choice);
  } catch {
    // not remembered
  }
}
