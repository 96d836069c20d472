import { ERROR_CODES } from '@kestrel/shared/errors';
import {
  captureAcceptedSchema,
  captureListQuerySchema,
  captureListSchema,
  captureMetadataSchema,
  captureViewSchema,
  enrolRequestSchema,
  enrolResponseSchema,
  heartbeatRequestSchema,
  policyResponseSchema,
  sessionRequestSchema,
} from '@kestrel/shared/protocol';
import { z } from 'zod';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', enum: Object.keys(ERROR_CODES) }, message: { type: 'string' } },
    },
  },
};

const errors = (...codes: (keyof typeof ERROR_CODES)[]) =>
  Object.fromEntries(
    [...new Set(codes.map((c) => ERROR_CODES[c].status))].map((status) => [
      String(status),
      {
        description: codes.filter((c) => ERROR_CODES[c].status === status).join(', '),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );

const body = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: json(schema, 'input') } },
});
const ok = (description: string, schema?: z.ZodType) => ({
  description,
  ...(schema === undefined ? {} : { content: { 'application/json': { schema: json(schema) } } }),
});

const deviceAuth = [{ deviceToken: [] }];
const staffAuth = [{ session: [] }];
const deviceErrors = [
  'DEVICE_TOKEN_MISSING',
  'DEVICE_TOKEN_INVALID',
  'DEVICE_REVOKED',
  'RATE_LIMITED',
] as const;

/** OpenAPI 3.0 description of the agent and staff APIs, built from the shared zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  const listQuery = json(captureListQuerySchema, 'input') as { properties?: Record<string, unknown> };
  return {
    openapi: '3.0.3',
    info: {
      title: 'Kestrel collector API',
      version: '1',
      description: 'Agent API (device token) and staff API (session cookie). Errors: docs/errors.md.',
    },
    components: {
      securitySchemes: {
        deviceToken: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'kestrel_session' },
      },
      schemas: { Error: errorSchema },
    },
    paths: {
      '/api/v1/enrol': {
        post: {
          summary: 'Enrol a device with a school enrolment token',
          requestBody: body(enrolRequestSchema),
          responses: {
            '201': ok('Enrolled', enrolResponseSchema),
            ...errors(
              'VALIDATION_FAILED',
              'BAD_REQUEST',
              'ENROLMENT_TOKEN_INVALID',
              'UNSUPPORTED_MEDIA_TYPE',
            ),
          },
        },
      },
      '/api/v1/captures': {
        post: {
          summary: 'Send a capture (idempotent on captureId per device)',
          security: deviceAuth,
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['metadata', 'screenshot'],
                  properties: {
                    metadata: json(captureMetadataSchema, 'input'),
                    screenshot: { type: 'string', format: 'binary' },
                  },
                },
                encoding: {
                  metadata: { contentType: 'application/json' },
                  screenshot: { contentType: 'image/jpeg, image/png, image/webp' },
                },
              },
            },
          },
          responses: {
            '201': ok('Stored', captureAcceptedSchema),
            '200': ok('Already stored (same captureId from this device)', captureAcceptedSchema),
            ...errors(
              'BAD_REQUEST',
              'VALIDATION_FAILED',
              'MULTIPART_PART_MISSING',
              'UNSUPPORTED_MEDIA_TYPE',
              'PAYLOAD_TOO_LARGE',
              'SCREENSHOT_TOO_LARGE',
              'SCREENSHOT_INVALID',
              ...deviceErrors,
            ),
          },
        },
        get: {
          summary: 'List captures visible to the signed-in member of staff, newest first',
          security: staffAuth,
          parameters: Object.entries(listQuery.properties ?? {}).map(([name, schema]) => ({
            name,
            in: 'query',
            required: false,
            schema,
          })),
          responses: {
            '200': ok('A page of captures', captureListSchema),
            ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'VALIDATION_FAILED'),
          },
        },
      },
      '/api/v1/captures/{id}': {
        get: {
          summary: 'One capture (audited)',
          security: staffAuth,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          ],
          responses: {
            '200': ok('The capture', captureViewSchema),
            ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
          },
        },
      },
      '/api/v1/captures/{id}/screenshot': {
        get: {
          summary: 'The screenshot image (audited)',
          security: staffAuth,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          ],
          responses: {
            '200': {
              description: 'The image',
              content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
            },
            ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
          },
        },
      },
      '/api/v1/captures/{id}/thumbnail': {
        get: {
          summary: 'A 320-pixel-wide JPEG thumbnail (audited; blurred for the illegal category)',
          security: staffAuth,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          ],
          responses: {
            '200': {
              description: 'The image',
              content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } },
            },
            ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
          },
        },
      },
      '/api/v1/heartbeat': {
        post: {
          summary: 'Report agent health',
          security: deviceAuth,
          requestBody: body(heartbeatRequestSchema),
          responses: {
            '200': ok('Recorded'),
            ...errors('VALIDATION_FAILED', 'BAD_REQUEST', ...deviceErrors),
          },
        },
      },
      '/api/v1/policy': {
        get: {
          summary: "The device's policy and lexicon (ETag; 304 on If-None-Match)",
          security: deviceAuth,
          parameters: [{ name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } }],
          responses: {
            '200': ok('Policy and lexicon', policyResponseSchema),
            '304': { description: 'Unchanged' },
            ...errors(...deviceErrors),
          },
        },
      },
      '/api/v1/session': {
        post: {
          summary: 'Sign in (sets the session cookie)',
          requestBody: body(sessionRequestSchema),
          responses: { '200': ok('Signed in'), ...errors('VALIDATION_FAILED', 'INVALID_CREDENTIALS') },
        },
        delete: {
          summary: 'Sign out',
          security: staffAuth,
          responses: { '204': { description: 'Signed out' }, ...errors('UNAUTHENTICATED') },
        },
      },
      '/api/v1/me': {
        get: {
          summary: 'The signed-in member of staff',
          security: staffAuth,
          responses: { '200': ok('You'), ...errors('UNAUTHENTICATED') },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { '200': ok('Alive') } } },
      '/readyz': {
        get: {
          summary: 'Readiness (database reachable)',
          responses: { '200': ok('Ready'), ...errors('NOT_READY') },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: { '200': { description: 'Text exposition format' } },
        },
      },
    },
  };
}
