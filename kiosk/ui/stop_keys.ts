/** The one-key stop: Escape anywhere, Space anywhere but a field being typed in, presses the emergency stop. */

/** What stopKey needs to know of a keydown: the key and the element that has the focus. */
export interface KeyView {
  key: string;
  /** The focused element's tag name (e.g. "INPUT", "BODY"), or null when nothing has the focus. */
  tagName: string | null;
  /** The focused input's type attribute, lower case ("" when not an input). */
  inputType: string;
  /** The focused element is contenteditable. */
  editable: boolean;
}

/** Input types in which Space is typed, so Space there is text, not a stop. */
const TYPING_INPUTS = new Set(["", "text", "number", "password", "search", "tel", "email", "url"]);

/**
 * True when the key is a stop: Escape always (nothing on the page needs it more), Space unless the person is
 * typing in a text or number field, where Space must type. A radio, checkbox, button, select or slider is not
 * typing: there Space stops too.
 */
export function isStopKey(k: KeyView): boolean {
  if (k.key === "Escape") return true;
  if (k.key !== " ") return false;
  if (k.editable || k.tagName === "TEXTAREA") return false;
  return !(k.tagName === "INPUT" && TYPING_INPUTS.has(k.inputType));
}

/** Reads a KeyView from a browser keydown. */
function view(e: KeyboardEvent): KeyView {
  const el = document.activeElement as HTMLElement | null;
  return {
    key: e.key,
    tagName: el?.tagName ?? null,
    inputType: el?.tagName === "INPUT"
      ? ((el as HTMLInputElement).getAttribute("type") ?? "").toLowerCase()
      : "",
    editable: el?.isContentEditable ?? false,
  };
}

/**
 * Listens on the whole window (capture, so no control can swallow the key first) and calls `press` (the stop
 * button's own pressEstop) on a stop key while `live()` says a session is live; returns a function that stops
 * listening. An idle kiosk ignores the keys: a stray Space must not latch a stop the next person needs staff
 * for (the stop button itself always works).
 */
export function watchStopKeys(press: () => void, live: () => boolean, target: Window = window): () => void {
  let spaceTaken = false;
  const down = (e: KeyboardEvent) => {
    if (!live() || !isStopKey(view(e))) return;
    // The key is the stop and nothing else: Space must not also toggle a box or press the focused button.
    e.preventDefault();
    e.stopPropagation();
    if (e.key === " ") spaceTaken = true;
    if (!e.repeat) press();
  };
  // A focused button is clicked on Space's keyup: swallow the keyup of a Space that stopped.
  const up = (e: KeyboardEvent) => {
    if (e.key === " " && spaceTaken) {
      spaceTaken = false;
      e.preventDefault();
      e.stopPropagation();
    }
  };
  target.addEventListener("keydown", down, true);
  target.addEventListener("keyup", up, true);
  return () => {
    target.removeEventListener("keydown", down, true);
    target.removeEventListener("keyup", up, true);
  };
}
