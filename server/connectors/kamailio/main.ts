import { startKamailioConnector } from './kamailio-connector.js';

/**
 * The Kamailio connector as a process beside Kamailio (README "Kamailio"): reads its settings from
 * the environment, pulls this member's work orders and keeps Kamailio's credentials in step.
 *   SHELTER_LINE_URL, SHELTER_LINE_TOKEN, CARRIER_ID, CTL_SOCKET, SIP_DOMAIN, CREDENTIALS_FILE
 */
const NEEDED = ['SHELTER_LINE_URL', 'SHELTER_LINE_TOKEN', 'CARRIER_ID', 'CTL_SOCKET', 'SIP_DOMAIN', 'CREDENTIALS_FILE'] as const;
const missing = NEEDED.filter((k) => !process.env[k]);
if (missing.length) {
  console.error(`kamailio connector: set ${missing.join(', ')}`);
  process.exit(2);
}
const env = process.env as Record<(typeof NEEDED)[number], string>;
const connector = startKamailioConnector({
  baseUrl: env.SHELTER_LINE_URL.replace(/\/+$/, ''), token: env.SHELTER_LINE_TOKEN, carrierId: env.CARRIER_ID,
  ctlSocket: env.CTL_SOCKET, realm: env.SIP_DOMAIN, credentialsFile: env.CREDENTIALS_FILE,
  // The error, never the order: a create_credential order carries a password.
  onError: (err) => console.error(`kamailio connector: ${(err as Error).message ?? String(err)}`),
});
console.log(`kamailio connector: serving ${env.CARRIER_ID}'s work orders into ${env.CTL_SOCKET}`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void connector.stop().then(() => process.exit(0)));
