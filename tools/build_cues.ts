/** Builds the recorded cue clips (kiosk/ui/assets/cues/<lang>/<id>.ogg) with espeak-ng and opusenc, and their README with provenance, licence and sha256. */
// Usage: deno run -R -W --allow-run tools/build_cues.ts
// Needs Debian's espeak-ng and opus-tools (apt-get install espeak-ng opus-tools). The clips are committed; the
// kiosk and the tests need neither tool.
import { clipText } from "../kiosk/ui/cue_clips.ts";
import { CUE_CLIP_IDS, CUE_LANGUAGES } from "../kiosk/ui/cue_assets.ts";

const OUT = new URL("../kiosk/ui/assets/cues/", import.meta.url).pathname;
/** espeak-ng voice per language, and its speed in words per minute (a little slower than its 175 default). */
const VOICES: Record<(typeof CUE_LANGUAGES)[number], string> = { en: "en-gb", es: "es" };
const SPEED_WPM = 150;
/** Opus at 16 kbit/s mono: clear speech for a short cue, ~2 KB a second. */
const BITRATE_KBPS = 16;

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return new TextDecoder().decode(out.stdout).trim();
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// "eSpeak NG text-to-speech: 1.51  Data at: …" → "espeak-ng 1.51"; "opusenc opus-tools 0.2 (using libopus 1.3.1)".
const espeak = `espeak-ng ${(await run("espeak-ng", ["--version"])).match(/:\s*([\d.]+)/)?.[1] ?? "?"}`;
const opusenc = (await run("opusenc", ["--version"])).split("\n")[0]!.replace(/^opusenc /, "");
const rows: string[] = [];
let total = 0;
const tmp = await Deno.makeTempDir({ prefix: "gp-cues-" });
try {
  for (const lang of CUE_LANGUAGES) {
    await Deno.mkdir(`${OUT}${lang}`, { recursive: true });
    for (const id of CUE_CLIP_IDS) {
      const text = clipText(id, lang);
      const wav = `${tmp}/${lang}-${id}.wav`;
      const file = `${lang}/${id}.ogg`;
      await run("espeak-ng", ["-v", VOICES[lang], "-s", String(SPEED_WPM), "-w", wav, text]);
      // A fixed stream serial and no extra padding: the same words give the same bytes on every run.
      await run("opusenc", [
        "--quiet",
        "--bitrate",
        String(BITRATE_KBPS),
        "--downmix-mono",
        "--serial",
        "1",
        "--padding",
        "0",
        wav,
        `${OUT}${file}`,
      ]);
      const bytes = await Deno.readFile(`${OUT}${file}`);
      total += bytes.byteLength;
      rows.push(`| \`${file}\` | ${text} | ${bytes.byteLength} | \`${await sha256(bytes)}\` |`);
    }
  }
} finally {
  await Deno.remove(tmp, { recursive: true });
}

const readme = `# Recorded cues

Spoken cue clips the page plays when the browser has no speech voice for the page's language
(\`kiosk/ui/cues.ts\`): a move cue is its glide clip then its area clip ("Glide up" · "forehead"), a hold cue
one clip. Served by the kiosk at \`/assets/cues/<lang>/<id>.ogg\` (\`kiosk/ui/cue_assets.ts\`).

- Made by \`tools/build_cues.ts\` (run it again after changing a cue's words in \`kiosk/ui/i18n/guidance.json\` or
  a zone name in \`kiosk/ui/i18n/zones.json\`): the words of each clip (\`clipText\`) spoken by ${espeak}
  (Debian package espeak-ng; voices \`${VOICES.en}\` and \`${VOICES.es}\`, ${SPEED_WPM} words a minute), encoded by
  opusenc of ${opusenc} (Debian package opus-tools) as Ogg Opus, mono, ${BITRATE_KBPS} kbit/s.
- Licence: synthesised speech this project generated from its own words; they are the project's, under the
  same terms as its code. espeak-ng (GPL-3.0-or-later) is only the tool: the sound it outputs is not a copy
  of the program and carries no licence of its own.
- ${rows.length} files, ${total} bytes in all.

| file | words | bytes | sha256 |
| ---- | ----- | ----- | ------ |
${rows.join("\n")}
`;
await Deno.writeTextFile(`${OUT}README.md`, readme);
// The table as `deno fmt` lays it out, so a fresh build and the checked-in file compare equal.
await run(Deno.execPath(), ["fmt", "--quiet", `${OUT}README.md`]);
console.log(`${rows.length} clips, ${total} bytes → ${OUT}`);
