import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from './collector-helpers.js';
import { type WorkflowWorld, workflowWorld } from './workflow-helpers.js';

const rule = (webhookUrl: string | null) => ({ categories: ['suicide'], minSeverity: 5, webhookUrl });

for (const backend of await backends()) {
  describe(`the school's alert rule on ${backend.name}`, () => {
    let w: WorkflowWorld;
    const insecure = process.env.ALLOW_INSECURE_WEBHOOKS;
    beforeAll(async () => {
      delete process.env.ALLOW_INSECURE_WEBHOOKS;
      w = await workflowWorld(backend.env());
    });
    afterAll(async () => {
      if (insecure === undefined) delete process.env.ALLOW_INSECURE_WEBHOOKS;
      else process.env.ALLOW_INSECURE_WEBHOOKS = insecure;
      await w.close();
    });

    const put = (body: ReturnType<typeof rule>) =>
      w.as('dsl')({ method: 'PUT', url: `/api/v1/schools/${w.schoolA}/alert-rule`, payload: body });
    const saved = async () =>
      (await w.as('dsl')({ method: 'GET', url: `/api/v1/schools/${w.schoolA}/alert-rule` })).json<{
        webhookUrl: string | null;
        isDefault: boolean;
      }>();

    it.each([
      ['http://hooks.example.org/kestrel', 'webhookUrl: must use https: (got http:)'],
      ['https://10.0.0.5/hook', 'webhookUrl: host 10.0.0.5 is an internal address; refused'],
      ['https://[::1]/hook', 'webhookUrl: host ::1 is an internal address; refused'],
      [
        'https://localhost/hook',
        /^webhookUrl: host localhost resolves to an internal address \((127\.0\.0\.1|::1)\); refused$/,
      ],
    ] as const)('refuses %s when it is saved, not at the first urgent capture', async (url, message) => {
      const res = await put(rule(url));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        error: {
          code: 'VALIDATION_FAILED',
          message: typeof message === 'string' ? message : expect.stringMatching(message),
        },
      });
      expect(await saved()).toMatchObject({ webhookUrl: null, isDefault: true });
    });

    it('saves an https: webhook on a public name, and no webhook', async () => {
      const ok = await put(rule('https://hooks.example.org/kestrel'));
      expect(ok.statusCode).toBe(200);
      expect(await saved()).toMatchObject({
        webhookUrl: 'https://hooks.example.org/kestrel',
        isDefault: false,
      });
      expect((await put(rule(null))).statusCode).toBe(200);
      expect(await saved()).toMatchObject({ webhookUrl: null, isDefault: false });
    });

    it('accepts http: on loopback only with ALLOW_INSECURE_WEBHOOKS=1, as the sender does', async () => {
      process.env.ALLOW_INSECURE_WEBHOOKS = '1';
      try {
        expect((await put(rule('http://127.0.0.1:9/hook'))).statusCode).toBe(200);
      } finally {
        delete process.env.ALLOW_INSECURE_WEBHOOKS;
      }
      expect(await saved()).toMatchObject({ webhookUrl: 'http://127.0.0.1:9/hook' });
    });
  });
}
