import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { lexiconOverridesStore } from '../adapters/repositories/lexicon-overrides.js';
import { LexiconAdminService } from '../domain/lexicon-admin/lexicon-admin-service.js';
import { loadShippedLexicon } from '../domain/lexicon-source.js';
import { parseWith } from './parse.js';
import { guarded, subjectOf } from './workflow-access.js';
import { workflowServices } from './workflow-services.js';

const schoolParams = z.strictObject({ schoolId: z.string().min(1).max(100) });

let service: { app: FastifyInstance; svc: LexiconAdminService } | undefined;

/** One service per app, so compiled drafts are reused between "try a phrase" requests. */
function lexiconAdmin(app: FastifyInstance): LexiconAdminService {
  if (service?.app !== app) {
    service = {
      app,
      svc: new LexiconAdminService({
        overrides: lexiconOverridesStore(app.kestrel.storage.db),
        policies: app.kestrel.storage.policies,
        shipped: loadShippedLexicon,
        audit: workflowServices(app).audit,
        clock: app.kestrel.clock,
      }),
    };
  }
  return service.svc;
}

/** Lexicon administration per school. */
export const lexiconRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/v1/schools/:schoolId/lexicon', guarded('lexicon.view'), async (request) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    return lexiconAdmin(app).overview(subjectOf(request), schoolId);
  });

  app.get('/api/v1/schools/:schoolId/lexicon/entries', guarded('lexicon.view'), async (request) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    return { items: await lexiconAdmin(app).search(subjectOf(request), schoolId, request.query) };
  });

  app.put('/api/v1/schools/:schoolId/lexicon/overrides', guarded('lexicon.edit'), async (request) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    return lexiconAdmin(app).setOverrides(subjectOf(request), schoolId, request.body);
  });

  app.post('/api/v1/schools/:schoolId/lexicon/try', guarded('lexicon.view'), async (request) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    return lexiconAdmin(app).tryPhrase(subjectOf(request), schoolId, request.body);
  });

  app.post('/api/v1/schools/:schoolId/lexicon/publish', guarded('lexicon.publish'), async (request) => {
    const { schoolId } = parseWith(schoolParams, request.params);
    return lexiconAdmin(app).publish(subjectOf(request), schoolId);
  });
};
