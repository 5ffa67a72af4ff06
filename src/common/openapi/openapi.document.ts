import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode } from '../errors/error-codes';
import {
  ADMIN_COMMON_ERRORS,
  ERROR_EXAMPLES,
  OPERATION_ERRORS,
  PARTNER_COMMON_ERRORS,
} from './documented-errors';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * The OpenAPI 3 document: generated from the controllers and DTOs, then every operation gets its documented
 * error responses (`{error, message}` with an example per code) from one table, so docs and code agree.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('MexicoP2P-compatible Partner API (TruBit OTC gateway)')
    .setDescription(
      'Sell USDT for MXN paid by SPEI to a CLABE. Authenticate with `X-API-Key`. Every error is ' +
        '`{"error": "CODE", "message": "…"}` (plus `details` for VALIDATION_ERROR and `requestId`). Every partner ' +
        'response carries X-RateLimit-Limit/Remaining/Reset; 429 also Retry-After. Webhooks are signed (see ' +
        'X-Webhook-Signature and Standard Webhooks `webhook-signature`).',
    )
    .setVersion('1.0')
    .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'apiKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'admin')
    .build();
  const doc = SwaggerModule.createDocument(app, config);
  doc.components ??= {};
  doc.components.schemas ??= {};
  doc.components.schemas.ErrorResponse = {
    type: 'object',
    required: ['error', 'message'],
    properties: {
      error: { type: 'string', enum: Object.keys(ERROR_STATUS) },
      message: { type: 'string' },
      details: {
        type: 'array',
        items: { type: 'object', properties: { field: { type: 'string' }, problem: { type: 'string' } } },
      },
      requestId: { type: 'string' },
    },
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const common = path.startsWith('/api/v1')
        ? PARTNER_COMMON_ERRORS
        : path.startsWith('/admin/v1')
          ? ADMIN_COMMON_ERRORS
          : [];
      if (path.startsWith('/api/v1')) op.security ??= [{ apiKey: [] }];
      if (path.startsWith('/admin/v1')) op.security ??= [{ admin: [] }];
      addErrors(op.responses, [...common, ...(OPERATION_ERRORS[`${method.toUpperCase()} ${path}`] ?? [])]);
    }
  }
  return doc;
}

function addErrors(responses: Record<string, any>, codes: ErrorCode[]): void {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, list] of byStatus) {
    const existing = responses[String(status)];
    responses[String(status)] = {
      description: existing?.description ?? list.join(' | '),
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/ErrorResponse' },
          examples: Object.fromEntries(
            list.map((code) => [code, { value: { error: code, message: ERROR_EXAMPLES[code] ?? code } }]),
          ),
        },
      },
    };
  }
}
