/** `deno task bench`: runs every benchmark script in bench/ in turn and prints their figures. */
const dir = new URL(".", import.meta.url).pathname;
const only = Deno.args[0] ?? "";
const scripts = [...Deno.readDirSync(dir)]
  .map((e) => e.name)
  .filter((n) => n.endsWith(".ts") && n !== "run.ts" && !n.startsWith("_") && n.includes(only))
  .sort();
let failed = 0;
for (const name of scripts) {
  console.log(`\n== bench/${name}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${dir}${name}`],
    stdout: "inherit",
    stderr: "inherit",
  })
    .output();
  if (code !== 0) {
    failed++;
    console.log(`bench/${name} exited with code ${code}`);
  }
}
Deno.exit(failed > 0 ? 1 : 0);
