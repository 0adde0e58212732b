/**
 * What a use case can refuse, as data: the server maps each kind to one HTTP status, and the
 * domain never speaks HTTP.
 */
export type DomainErrorKind = 'not_found' | 'conflict' | 'forbidden' | 'invalid' | 'unprocessable' | 'unavailable';

/** Facts a refusal carries for the caller (never secrets); the server renders them as documented Problem members. */
export interface DomainFacts {
  /** Input fields at fault, by name (`mac`, `municipalityCode`): they become Problem `errors`. */
  fields?: string[];
  id?: string;
  /** The current state that blocks the request. */
  state?: string;
  shelterId?: string | null;
  accountSid?: string;
  requestId?: string;
  /** CSV import: the header columns each known layout needs. */
  expected?: Record<string, string[]>;
  line?: number;
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    /** Extra facts for the caller (never secrets), e.g. the failing fields or the current state. */
    readonly facts: DomainFacts = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string) => new DomainError('not_found', `${what} ${id} does not exist`, { id });
export const conflict = (message: string, facts?: DomainFacts) => new DomainError('conflict', message, facts);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const invalid = (message: string, facts?: DomainFacts) => new DomainError('invalid', message, facts);
export const unprocessable = (message: string, facts?: DomainFacts) => new DomainError('unprocessable', message, facts);

/**
 * One line for a log, a job step or an alert: the message plus the HTTP status and code a carrier
 * answered, when the error carries them (CarrierError does).
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { status, code } = err as { status?: unknown; code?: unknown };
  if (typeof status !== 'number') return err.message;
  return `${err.message} (HTTP ${status}${code !== undefined && code !== null && code !== '' ? `, code ${String(code)}` : ''})`;
}
