import { z } from 'zod';
import { Id, MunicipalityCode } from './common.js';
import { CarrierCapacity, CarrierKind, CarrierStatus, Certifications, Contact } from './carrier.js';
import { NumberState } from './phone-number.js';
import { Role } from './audit-event.js';
import { HandsetVendor } from './handset.js';
import { Shelter } from './shelter.js';

/**
 * Request bodies of the v1 API. Strict: an unknown field is an error, so a typo never passes
 * silently. The board imports these types too.
 */
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'lower-case letters, digits and hyphens, 2–40 characters');

export const TwilioCredentialsInput = z.strictObject({
  accountSid: z.string().regex(/^AC[0-9a-f]{32}$/, 'expected a Twilio account SID (AC + 32 hex)'),
  authToken: z.string().min(16).max(128),
  apiBaseUrl: z.url().max(300).optional(),
});

export const RegisterCarrierInput = z
  .strictObject({
    id: Slug.optional(),
    name: z.string().min(1).max(200),
    kind: CarrierKind,
    certifications: Certifications,
    capacity: CarrierCapacity.optional(),
    contact: Contact.optional(),
    lendingChain: z.array(z.string().min(1).max(200)).max(20).optional(),
    twilio: TwilioCredentialsInput.optional(),
  })
  .refine((c) => (c.kind === 'twilio') === (c.twilio !== undefined), {
    message: 'a twilio carrier needs `twilio` credentials, and only a twilio carrier may have them',
    path: ['twilio'],
  });
export type RegisterCarrierInput = z.infer<typeof RegisterCarrierInput>;

export const UpdateCarrierInput = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  certifications: Certifications.optional(),
  capacity: CarrierCapacity.optional(),
  contact: Contact.optional(),
  status: CarrierStatus.optional(),
  statusReason: z.string().max(500).optional(),
  lendingChain: z.array(z.string().min(1).max(200)).max(20).optional(),
  twilio: TwilioCredentialsInput.optional(),
  /** A coordinator marks a carrier down (or up again) by hand. */
  manualDown: z.boolean().optional(),
  healthReason: z.string().max(500).optional(),
});
export type UpdateCarrierInput = z.infer<typeof UpdateCarrierInput>;

export const LendNumberRow = z.strictObject({
  number: z.string().min(1).max(40),
  emergencyCapable: z.boolean().optional(),
});
export const LendNumbersInput = z.strictObject({
  numbers: z.array(LendNumberRow).min(1).max(10_000),
});
export type LendNumbersInput = z.infer<typeof LendNumbersInput>;

export const MintTokenInput = z.strictObject({
  label: z.string().min(1).max(200),
  role: Role,
  carrierId: Id.optional(),
});

/** The fields of a shelter that open data (or a coordinator) supplies; status, short code and lines in use are ours. */
export const ShelterOpenData = Shelter.pick({
  id: true, commonId: true, name: true, kana: true, nameEn: true, municipalityCode: true, prefecture: true, municipality: true,
  district: true, address: true, lat: true, lon: true, capacity: true, capacityText: true, evacuees: true, facilityPhone: true, lines: true,
}).partial({ capacity: true, evacuees: true, lines: true });

export const ShelterInput = ShelterOpenData.strict();
export type ShelterInput = z.infer<typeof ShelterInput>;

/** What changes while a shelter runs: how many people are there, how many lines it wants. */
export const PatchShelterInput = z.strictObject({
  evacuees: z.number().int().nonnegative().nullable().optional(),
  lines: z.number().int().min(1).max(10).optional(),
}).refine((p) => p.evacuees !== undefined || p.lines !== undefined, { message: 'send evacuees or lines' });

export const OpenShelterInput = z.strictObject({
  lines: z.number().int().min(1).max(10).optional(),
  evacuees: z.number().int().nonnegative().nullable().optional(),
  reason: z.string().max(500).optional(),
});
export const CloseShelterInput = z.strictObject({ reason: z.string().max(500).optional() });

export const RegisterHandsetInput = z.strictObject({
  mac: z.string().min(1).max(40).optional(),
  vendor: HandsetVendor,
  label: z.string().max(100).optional(),
});

export const SuspensionInput = z.strictObject({
  number: z.string().min(1).max(40),
  reason: z.string().min(1).max(2000),
  requestId: z.string().min(1).max(128).optional(),
});
export const LiftSuspensionInput = z.strictObject({ reason: z.string().min(1).max(2000) });

export const WorkOrderResultInput = z.strictObject({
  status: z.enum(['done', 'failed']),
  detail: z.string().max(2000).optional(),
});

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(500).optional(),
});
export const NumbersQuery = ListQuery.extend({
  state: NumberState.optional(),
  carrierId: Id.optional(),
  shelterId: Id.optional(),
});
export const SheltersQuery = ListQuery.extend({
  desiredStatus: z.enum(['open', 'closed']).optional(),
  municipalityCode: MunicipalityCode.optional(),
  /** Shelters whose lines fall short: fewer than wanted, none working, or none that can call 110/118/119. */
  service: z.enum(['degraded', 'no_line', 'no_emergency']).optional(),
});
export const AuditQuery = ListQuery.extend({
  format: z.enum(['json', 'csv']).optional(),
  action: z.string().max(100).optional(),
});

/** Posters about to be printed: the server records what each one shows. */
export const RecordPrintInput = z.strictObject({
  shelterIds: z.array(Id).min(1).max(2000),
});
