import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Twilio's own OpenAPI description of the 2010-04-01 API, compiled with ajv so simulator answers
 * can be checked against the operation they claim to be. The copy beside this file (twilio-oai,
 * 2026-04-14; see spec/SOURCE.md), not the older one @twilio/cli-core ships: that one lacks fields
 * Twilio now documents and returns (a phone number's `type`).
 */
export const SPEC_FILE = new URL('./spec/twilio_api_v2010.json', import.meta.url);

/** Every object schema with `properties` requires all of them: "valid" then means "every documented field present". */
function requireEveryProperty(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(requireEveryProperty);
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.properties && typeof o.properties === 'object') o.required = Object.keys(o.properties);
  for (const v of Object.values(o)) requireEveryProperty(v);
}

interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

interface Spec {
  paths: Record<string, Record<string, Operation | unknown>>;
  components: Record<string, unknown>;
}

export interface SpecOperation {
  method: string;
  template: string;
  operationId: string;
  responses: Operation['responses'];
}

/** Twilio's error body, documented at twilio.com/docs/usage/twilios-response; the spec itself only describes successes. */
export const ERROR_BODY = {
  type: 'object',
  required: ['code', 'message', 'more_info', 'status'],
  properties: {
    code: { type: 'integer' },
    message: { type: 'string', minLength: 1 },
    more_info: { type: 'string', pattern: '^https://www\\.twilio\\.com/docs/errors/\\d+$' },
    status: { type: 'integer' },
  },
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * A nullable string may also be written blank (""): Twilio's own examples write unset SMS URLs,
 * status callbacks and application SIDs as "" (IncomingPhoneNumber fetch), which the generated
 * pattern and format of those fields would otherwise refuse.
 */
function allowBlankWhereNullable(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(allowBlankWhereNullable);
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.properties && typeof o.properties === 'object') {
    const props = o.properties as Record<string, Record<string, unknown>>;
    for (const [k, p] of Object.entries(props)) {
      if (p.nullable === true && p.type === 'string' && (p.format || p.pattern || p.minLength)) {
        const { nullable: _n, ...rest } = p;
        props[k] = { type: 'string', nullable: true, anyOf: [rest, { maxLength: 0 }] };
      }
    }
  }
  for (const v of Object.values(o)) allowBlankWhereNullable(v);
}

/** `requireAll`: validators that also require every documented property (the spec itself requires none). */
export function loadTwilioSpec(opts: { requireAll?: boolean } = {}) {
  const spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Spec;
  allowBlankWhereNullable(spec.components);
  if (opts.requireAll) {
    requireEveryProperty(spec.components);
    for (const byMethod of Object.values(spec.paths)) requireEveryProperty(byMethod);
  }
  // OpenAPI 3.0: ajv understands `nullable`; vendor keywords (x-twilio…) are ignored, not errors.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // Twilio's `*_uri` fields are documented "relative to https://api.twilio.com", so a path is a valid uri here.
  ajv.addFormat('uri', (s: string) => /^\/[^\s]*$/.test(s) || /^https?:\/\/[^\s/]+/.test(s));
  ajv.addFormat('date-time-rfc-2822', /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
  ajv.addFormat('phone-number', /^\+[1-9]\d{1,14}$/);
  ajv.addFormat('http-method', /^(GET|POST|PUT|DELETE|HEAD|PATCH)$/);
  ajv.addFormat('uri-map', true);
  ajv.addFormat('phone-number-capabilities', true);
  ajv.addSchema({ $id: 'twilio-api', components: spec.components });

  const operations: Array<SpecOperation & { regex: RegExp }> = [];
  for (const [template, byMethod] of Object.entries(spec.paths)) {
    const regex = new RegExp(
      '^' + template.split(/(\{[A-Za-z]+\})/).map((p) => (/^\{/.test(p) ? '[^/]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('') + '$',
    );
    for (const [method, op] of Object.entries(byMethod)) {
      const o = op as Partial<Operation>;
      if (!o || typeof o !== 'object' || !o.operationId || !o.responses) continue;
      operations.push({ method: method.toUpperCase(), template, operationId: o.operationId, responses: o.responses, regex });
    }
  }

  const validators = new Map<string, ValidateFunction>();
  function compile(key: string, schema: unknown): ValidateFunction {
    let v = validators.get(key);
    if (!v) {
      const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"twilio-api#/components/'));
      v = ajv.compile(rebased);
      validators.set(key, v);
    }
    return v;
  }

  return {
    /** The spec operation for a concrete request path, or undefined when Twilio has no such operation. */
    operationFor(method: string, path: string): SpecOperation | undefined {
      return operations.find((o) => o.method === method && o.regex.test(path));
    },
    operationByTemplate(method: string, template: string): SpecOperation | undefined {
      return operations.find((o) => o.method === method && o.template === template);
    },
    /** Validator of one operation's response body for one status code, or undefined when the spec lists no body. */
    responseValidator(op: SpecOperation, status: number): ValidateFunction | undefined {
      const schema = op.responses[String(status)]?.content?.['application/json']?.schema;
      return schema ? compile(`${op.operationId} ${status}`, schema) : undefined;
    },
    errorValidator: () => compile('error', ERROR_BODY),
    errorsText: (v: ValidateFunction) => ajv.errorsText(v.errors, { separator: '\n' }),
  };
}
