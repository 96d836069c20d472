import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

/** The UI's policy: same-origin script and style only, nothing inline, no framing, no plugins. */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

// Built by collector-server/scripts/build-ui.mjs; from dist/http/ or src/http/ this is ../../ui-dist/.
const UI_DIR = fileURLToPath(new URL('../../ui-dist/', import.meta.url));

const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.js.map': 'application/json; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kestrel</title></head>
<body><main><h1>Kestrel</h1><p>The web UI is not built. Run <code>npm run build</code>, then reload.</p></main></body></html>`;

/** Serves the moderator UI (one HTML shell and its assets) from a fixed list: no path from the request. */
export const moderationUiRoutes: FastifyPluginAsync = async (app) => {
  const load = async (name: string) => readFile(`${UI_DIR}${name}`).catch(() => undefined);

  app.get('/', async (_request, reply) => {
    const html = await load('index.html');
    reply.header('content-security-policy', UI_CSP).header('cache-control', 'no-cache');
    return reply
      .type('text/html; charset=utf-8')
      .code(html ? 200 : 503)
      .send(html ?? NOT_BUILT);
  });

  app.get('/assets/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    const body = type === undefined ? undefined : await load(`assets/${name}`);
    if (type === undefined || body === undefined) {
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such asset' } });
    }
    reply.header('content-security-policy', UI_CSP).header('cache-control', 'no-cache');
    return reply.type(type).send(body);
  });
};
