import { z } from 'zod';
import { Id, MunicipalityCode } from './common.js';
import { CarrierCapacity, CarrierKind, CarrierStatus, Certifications, Contact } from './carrier.js';
import { NumberState } from './phone-number.js';
import { Role } from './audit-event.js';
import { HandsetVendor } from './handset.js';

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

export const ShelterInput = z.strictObject({
  id: Id,
  commonId: z.string().max(64).optional(),
  name: z.string().min(1).max(200),
  kana: z.string().max(200).optional(),
  nameEn: z.string().max(200).optional(),
  municipalityCode: MunicipalityCode,
  prefecture: z.string().max(20).optional(),
  municipality: z.string().max(60).optional(),
  district: z.string().max(100).optional(),
  address: z.string().max(300),
  lat: z.number().min(-90).max(90).nullable(),
  lon: z.number().min(-180).max(180).nullable(),
  capacity: z.number().int().nonnegative().nullable().optional(),
  capacityText: z.string().max(300).optional(),
  evacuees: z.number().int().nonnegative().nullable().optional(),
  facilityPhone: z.string().max(40).optional(),
  lines: z.number().int().min(1).max(10).optional(),
});
export type ShelterInput = z.infer<typeof ShelterInput>;

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
});
export const AuditQuery = ListQuery.extend({
  format: z.enum(['json', 'csv']).optional(),
  action: z.string().max(100).optional(),
});
