/** Live coaching on the page: shows each cue as a banner, with a soft beep and, where a voice exists, the words spoken. */
import { signal } from "@preact/signals";
import { type Cue, deriveCue } from "./coach.ts";
import { frame } from "./state.ts";

/** The cue on show (banner), with a serial so the same words twice still count as a new cue; null when none. */
export const cue = signal<(Cue & { serial: number }) | null>(null);

/** How long a cue's banner stays up. */
export const CUE_SHOW_MS = 3000;

let audio: AudioContext | null = null;

/** A soft 150 ms beep (a 660 Hz sine at low gain, faded in and out to avoid clicks); silent where audio is unavailable. */
function beep(): void {
  try {
    audio ??= new AudioContext();
    const t = audio.currentTime;
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 660;
    gain.gain.setValueAtTime(0, t);
    gain.gain.linearRampToValueAtTime(0.06, t + 0.02);
    gain.gain.linearRampToValueAtTime(0, t + 0.15);
    osc.connect(gain).connect(audio.destination);
    osc.start(t);
    osc.stop(t + 0.16);
  } catch {
    // No audio device or no permission yet: the banner still shows the cue.
  }
}

/** Speaks the words when the browser has a voice; a newer cue cuts off an older one still speaking. */
function speak(text: string): void {
  const synth = globalThis.speechSynthesis;
  if (!synth || synth.getVoices().length === 0) return;
  synth.cancel();
  synth.speak(new SpeechSynthesisUtterance(text));
}

/** Derives a cue from every engine frame and plays it; returns a function that stops watching. */
export function watchCues(): () => void {
  let prev = frame.peek()?.guidance ?? null;
  let serial = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return frame.subscribe((f) => {
    const next = f?.guidance ?? null;
    const c = deriveCue(prev, next);
    prev = next;
    if (!next && cue.peek()) cue.value = null;
    if (!c) return;
    const mine = ++serial;
    cue.value = { ...c, serial: mine };
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (cue.peek()?.serial === mine) cue.value = null;
    }, CUE_SHOW_MS);
    beep();
    speak(c.text);
  });
}
