import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { exemptionsRepository } from '../adapters/repositories/exemptions.js';
import { suppressionsFor } from '../domain/lexicon-admin/exemption.js';
import { ExemptionService } from '../domain/lexicon-admin/exemption-service.js';
import type { Device } from '../ports/devices-repository.js';
import { parseWith } from './parse.js';
import { guarded, subjectOf } from './workflow-access.js';
import { workflowServices } from './workflow-services.js';

const schoolParams = z.strictObject({ schoolId: z.string().min(1).max(100) });
const idParams = z.strictObject({ id: z.uuid() });

export function exemptionService(app: FastifyInstance): ExemptionService {
  const { storage, clock } = app.kestrel;
  return new ExemptionService({
    repo: exemptionsRepository(storage.db),
    audit: workflowServices(app).audit,
    clock,
    deviceInSchool: async (id, schoolId) => (await storage.devices.get(id))?.schoolId === schoolId,
  });
}

/** The categories a device must suppress now (one indexed query per policy poll). */
export async function deviceSuppressions(app: FastifyInstance, device: Device) {
  const now = app.kestrel.clock.now();
  const current = await exemptionsRepository(app.kestrel.storage.db).currentForSchool(
    device.schoolId,
    now.toISOString(),
  );
  return suppressionsFor(current, device, now);
}

/** Research exemptions: the DSL grants, everyone who configures monitoring can see them. */
export const exemptionRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/v1/schools/:schoolId/exemptions', guarded('exemption.view'), async (request) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    return { items: await exemptionService(app).list(subjectOf(request), schoolId) };
  });

  app.post('/api/v1/schools/:schoolId/exemptions', guarded('exemption.manage'), async (request, reply) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    return reply
      .code(201)
      .send(await exemptionService(app).grant(subjectOf(request), schoolId, request.body as never));
  });

  app.post('/api/v1/exemptions/:id/revoke', guarded('exemption.manage'), async (request) => {
    const { id } = parseWith(idParams, request.params);
    return exemptionService(app).revoke(subjectOf(request), id);
  });
};
