/**
 * `npm run bench [-- part ...]`: runs each benchmark part in turn and prints its results.
 * Parts live beside this file as `<part>.bench.ts` and export `run(): Promise<void>`.
 * Method and recorded results: docs/benchmarks.md.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();

const wanted = process.argv.slice(2);
const unknown = wanted.filter((p) => !available.includes(p));
if (unknown.length > 0) {
  console.error(`Unknown benchmark part(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`);
  process.exit(2);
}

for (const part of wanted.length > 0 ? wanted : available) {
  console.log(`\n## ${part}\n`);
  const mod = (await import(pathToFileURL(`${dir}${part}.bench.ts`).href)) as { run: () => Promise<void> };
  await mod.run();
}
