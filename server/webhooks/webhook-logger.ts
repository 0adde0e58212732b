/** The slice of a pino logger the webhooks use, so tests can pass none. */
export interface WebhookLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
