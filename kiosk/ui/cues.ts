/** Live coaching on the page: shows each cue as a banner, with a soft beep and the words spoken (a browser voice, else the recorded clips). */
import { signal } from "@preact/signals";
import { type Cue, cueText, deriveCue } from "./coach.ts";
import { clipUrl } from "./cue_assets.ts";
import { cueClips } from "./cue_clips.ts";
import { type Language, language } from "./i18n.ts";
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

/** The browser's voice for the language ("es" matches "es-ES", "es-MX"...), or null when it has none. */
function voiceFor(lang: Language): SpeechSynthesisVoice | null {
  const voices = globalThis.speechSynthesis?.getVoices() ?? [];
  return voices.find((v) => typeof v.lang === "string" && v.lang.toLowerCase().startsWith(lang)) ?? null;
}

let playing: HTMLAudioElement | null = null;

/** Plays the clips one after the other; a newer cue cuts off an older one still playing. */
function playClips(urls: readonly string[]): void {
  playing?.pause();
  playing = null;
  let next = 0;
  const play = () => {
    const url = urls[next++];
    if (url === undefined) return;
    try {
      const clip = new Audio(url);
      playing = clip;
      clip.addEventListener("ended", () => playing === clip && play());
      // Refused (no audio device, autoplay before any touch): the banner and beep still show the cue.
      clip.play()?.catch(() => {});
    } catch {
      // No audio element here: the banner still shows the cue.
    }
  };
  play();
}

/** Says a cue: with the browser's voice for the page's language where it has one, else with the recorded clips. */
function say(c: Cue): void {
  const lang = language.peek();
  const synth = globalThis.speechSynthesis;
  const voice = voiceFor(lang);
  if (synth && voice) {
    synth.cancel();
    const words = new SpeechSynthesisUtterance(cueText(c, lang));
    words.lang = voice.lang;
    words.voice = voice;
    synth.speak(words);
    return;
  }
  const clips = cueClips(c);
  if (clips) playClips(clips.map((id) => clipUrl(lang, id)));
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
    say(c);
  });
}
