// Builds the moderator web UI into collector-server/ui-dist/ (gitignored): one bundled script,
// the stylesheet and the HTML shell. Run by the root `build`, `prepare`, `start` and `test` scripts.
// Files are built aside and renamed into place, so a collector serving ui-dist/ meanwhile never
// reads a half-written file.
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}src/ui/`;
const out = `${root}ui-dist/`;
const tmp = `${root}ui-dist.tmp-${process.pid}/`;

await rm(tmp, { recursive: true, force: true });
await mkdir(`${tmp}assets`, { recursive: true });
try {
  await build({
    entryPoints: [`${src}main.ts`],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    outfile: `${tmp}assets/app.js`,
    logLevel: 'warning',
    legalComments: 'none',
  });
  // One stylesheet: the moderation UI's, then the workflow pages' (issue 7).
  await writeFile(
    `${tmp}assets/app.css`,
    `${await readFile(`${src}app.css`, 'utf8')}\n${await readFile(`${src}workflow/workflow.css`, 'utf8')}`,
  );
  await copyFile(`${src}favicon.svg`, `${tmp}assets/favicon.svg`);
  await copyFile(`${src}index.html`, `${tmp}index.html`);
  await mkdir(`${out}assets`, { recursive: true });
  for (const name of await readdir(`${tmp}assets`))
    await rename(`${tmp}assets/${name}`, `${out}assets/${name}`);
  await rename(`${tmp}index.html`, `${out}index.html`);
} finally {
  await rm(tmp, { recursive: true, force: true });
}
console.log(`UI built into ${out}`);
