import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** The parts of the OpenAPI document the contract check reads. */
export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown> };
  [k: string]: unknown;
}
export interface OpenApiOperation {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: any; example?: unknown }[];
  requestBody?: { content: Record<string, { schema: any; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: any; example?: unknown }> }>;
  [k: string]: unknown;
}

const DOC_ID = 'https://shelter-line.jp/openapi.json';
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Finds the operation that serves `method path` (a concrete path), preferring literal segments over templates. */
export function findOperation(doc: OpenApiDoc, method: string, path: string): { template: string; op: OpenApiOperation } | null {
  const pathOnly = path.split('?')[0]!;
  const candidates = Object.keys(doc.paths)
    .filter((t) => doc.paths[t]![method.toLowerCase()])
    .filter((t) => new RegExp('^' + t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+') + '$').test(pathOnly))
    .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  const template = candidates[0];
  return template ? { template, op: doc.paths[template]![method.toLowerCase()]! } : null;
}

/** Validates HTTP answers against the OpenAPI document with ajv (JSON Schema 2020-12): status, content type and body. */
export class ContractChecker {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly doc: OpenApiDoc) {
    addFormats(this.ajv);
    this.ajv.addSchema({ ...doc, $id: DOC_ID }, DOC_ID);
  }

  private validator(ref: string): ValidateFunction {
    let v = this.compiled.get(ref);
    if (!v) {
      v = this.ajv.compile({ $ref: `${DOC_ID}#${ref}` });
      this.compiled.set(ref, v);
    }
    return v;
  }

  /** Validates a value against the schema at a JSON pointer of the document; returns error text or null. */
  validateAt(ref: string, value: unknown): string | null {
    const v = this.validator(ref);
    return v(value) ? null : this.ajv.errorsText(v.errors, { separator: '; ' });
  }

  /** The problems with one answer, empty when it matches the document. */
  check(method: string, path: string, status: number, contentType: string | null, text: string): string[] {
    const where = `${method.toUpperCase()} ${path.split('?')[0]} → ${status}`;
    const found = findOperation(this.doc, method, path);
    if (!found) {
      // A path the API does not serve: only a Problem 404/405 is a right answer.
      if (status !== 404 && status !== 405) return [`${where}: no operation in the document serves this path`];
      return this.checkBody(where, '/components/schemas/Problem', contentType, 'application/problem+json', text);
    }
    const response = found.op.responses[String(status)];
    if (!response) return [`${where}: status ${status} is not documented for ${found.op.operationId} (documented: ${Object.keys(found.op.responses).join(', ')})`];
    if (!response.content) return text.length === 0 ? [] : [`${where}: documented without a body, but a body came back`];
    const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (!response.content[media]) return [`${where}: content type ${media || '(none)'} is not documented (documented: ${Object.keys(response.content).join(', ')})`];
    const ref = `/paths/${pointer(found.template)}/${method.toLowerCase()}/responses/${status}/content/${pointer(media)}/schema`;
    return this.checkBody(where, ref, contentType, media, text);
  }

  private checkBody(where: string, ref: string, contentType: string | null, media: string, text: string): string[] {
    const got = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (got !== media) return [`${where}: content type ${got || '(none)'}, expected ${media}`];
    let value: unknown = text;
    if (media === 'application/json' || media.endsWith('+json')) {
      try {
        value = JSON.parse(text);
      } catch {
        return [`${where}: the body is not JSON`];
      }
    }
    const err = this.validateAt(ref, value);
    return err ? [`${where}: body does not match the document: ${err}`] : [];
  }
}

const checkers = new Map<string, Promise<ContractChecker>>();

/** One checker per running server, built from the document that server serves. */
export function contractFor(url: string): Promise<ContractChecker> {
  let c = checkers.get(url);
  if (!c) {
    c = fetch(`${url}/api/v1/openapi.json`).then(async (res) => {
      if (res.status !== 200) throw new Error(`GET /api/v1/openapi.json answered ${res.status}`);
      return new ContractChecker((await res.json()) as OpenApiDoc);
    });
    checkers.set(url, c);
  }
  return c;
}
