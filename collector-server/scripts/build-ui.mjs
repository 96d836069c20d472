// Builds the moderator web UI into collector-server/ui-dist/ (gitignored): one bundled script,
// the stylesheet and the HTML shell. Run by the root `build`, `prepare`, `start` and `test` scripts.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = `${root}src/ui/`;
const out = `${root}ui-dist/`;

await rm(out, { recursive: true, force: true });
await mkdir(`${out}assets`, { recursive: true });
await build({
  entryPoints: [`${src}main.ts`],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: `${out}assets/app.js`,
  logLevel: 'warning',
  legalComments: 'none',
});
await copyFile(`${src}app.css`, `${out}assets/app.css`);
await copyFile(`${src}favicon.svg`, `${out}assets/favicon.svg`);
await copyFile(`${src}index.html`, `${out}index.html`);
console.log(`UI built into ${out}`);
