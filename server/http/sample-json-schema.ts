/** A JSON Schema (2020-12) as zod renders it. */
export type JsonSchema = Record<string, any>;

const STRING_FORMATS: Record<string, string> = {
  'date-time': '2025-06-01T00:00:00.000Z',
  email: 'ops@example.jp',
  uri: 'https://line.example.jp',
  url: 'https://line.example.jp',
};

/**
 * An example value for a schema: its own `examples` first, else built from its constraints.
 * `minimal` leaves optional members out (a request), `full` fills them (a response).
 * Constraints a sample cannot meet by construction (patterns) are met by `examples` on the schema;
 * the OpenAPI test validates every sample, so a missing one shows.
 */
export function sampleJsonSchema(schema: JsonSchema, mode: 'minimal' | 'full', root: JsonSchema = schema, depth = 0): unknown {
  if (depth > 12) return null;
  const next = (s: JsonSchema) => sampleJsonSchema(s, mode, root, depth + 1);
  if (schema.$ref) {
    const target = String(schema.$ref).replace(/^#\//, '').split('/').reduce<any>((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], root);
    return target ? next(target) : null;
  }
  if (Array.isArray(schema.examples) && schema.examples.length) return structuredClone(schema.examples[0]);
  if ('const' in schema) return schema.const;
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) {
    const pick = alternatives.find((a: JsonSchema) => a.type !== 'null') ?? alternatives[0];
    return next(pick);
  }
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s: JsonSchema) => next(s)));
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const props: Record<string, JsonSchema> = schema.properties ?? {};
      const required = new Set<string>(schema.required ?? []);
      const keys = Object.keys(props).filter((k) => mode === 'full' || required.has(k));
      // A body that must carry something (PATCH) gets its first members.
      for (const k of Object.keys(props)) if (keys.length < (schema.minProperties ?? 0) && !keys.includes(k)) keys.push(k);
      return Object.fromEntries(keys.map((k) => [k, next(props[k]!)]));
    }
    case 'array': {
      const count = Math.max(schema.minItems ?? 0, mode === 'full' ? 1 : 0);
      return schema.items ? Array.from({ length: count }, () => next(schema.items)) : [];
    }
    case 'string': {
      if (schema.format && STRING_FORMATS[schema.format]) return STRING_FORMATS[schema.format];
      const min = schema.minLength ?? 0;
      const base = 'example';
      return base.length >= min ? base.slice(0, schema.maxLength ?? base.length) : base.padEnd(min, 'x');
    }
    case 'integer':
    case 'number': {
      if (typeof schema.minimum === 'number') return schema.minimum;
      if (typeof schema.exclusiveMinimum === 'number') return type === 'integer' ? Math.floor(schema.exclusiveMinimum) + 1 : schema.exclusiveMinimum + 1;
      return typeof schema.maximum === 'number' && schema.maximum < 1 ? schema.maximum : 1;
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return null;
  }
}
