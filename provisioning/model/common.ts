import { z } from 'zod';

/** An instant, stored as an ISO-8601 UTC string so both stores keep it as plain text. */
export const Instant = z.iso.datetime({ offset: true }).meta({ examples: ['2025-06-01T00:00:00.000Z'] });
export type Instant = z.infer<typeof Instant>;

/** A stored E.164 number: `+81` and the national number without its leading 0. */
export const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 number such as +81767520959').meta({ examples: ['+81767520959'] });
export type E164 = z.infer<typeof E164>;

/**
 * Identifiers are opaque strings chosen by us or by open data: ASCII letters and digits first,
 * then also `.`, `_`, `-` — never a path segment such as `..`, an escape, a control or bidi character.
 */
export const Id = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'an id starts with a letter or digit and has only letters, digits, ".", "_" and "-"');
export type Id = z.infer<typeof Id>;

/** A 6-digit 全国地方公共団体コード (with check digit), e.g. 172022 for 七尾市. */
export const MunicipalityCode = z.string().regex(/^\d{6}$/, 'expected a 6-digit municipality code such as 172022')
  .describe('全国地方公共団体コード: 5 digits and a check digit (11 minus the weighted sum 6,5,4,3,2 mod 11, last digit); a wrong check digit is refused (400, errors[].path body.municipalityCode)')
  .meta({ examples: ['172022'] });

/** A fixed-line area code (市外局番) with its leading 0, e.g. 0767. */
export const AreaCode = z.string().regex(/^0\d{1,4}$/, 'expected an area code such as 0767').meta({ examples: ['0767'] });

/** Every stored document carries its id and an optimistic version counter. */
export const DocumentBase = z.object({
  id: Id,
  version: z.number().int().nonnegative().default(0),
});
