import {
  backupAccount,
  backupSharesCredentials,
  callerName,
  NTP_SERVER,
  primaryAccount,
  provisioningPath,
  type HandsetProvisioningView,
  type SipAccountView,
} from '../provisioning-view.js';
import { escapeXml } from '../xml.js';

/** Grandstream GXP/GRP phones ask for `cfg{mac}.xml` (lower-case MAC). */
export function grandstreamFileNames(mac: string): string[] {
  return [`cfg${mac}.xml`];
}

// P130 SIP transport: 0 UDP, 1 TCP, 2 TLS/TCP.
const TRANSPORT: Record<SipAccountView['transport'], number> = { udp: 0, tcp: 1, tls: 2 };

/**
 * Grandstream P-values, as in the vendor's GXP21xx/GRP26xx config templates:
 * account 1 — P271 active, P270 account name, P47 SIP server, P2312 secondary (failover) SIP server,
 * P35 SIP user id, P36 authenticate id, P34 password, P3 display name, P130 transport, P31 register;
 * account 2 — P401 active, P417 account name, P402 server, P404 user id, P405 auth id, P406 password, P407 name;
 * P30 NTP server, P64 time zone (a POSIX TZ string, as wazo-provd writes it), P1362 display language,
 * P212 provisioning protocol (1 HTTP, 2 HTTPS), P237 config server path, P194 automatic upgrade
 * (1: every P193 minutes) so a failover's new registrar order reaches the phone.
 */
export function renderGrandstreamConfig(view: HandsetProvisioningView): string {
  const primary = primaryAccount(view);
  const backup = backupAccount(view);
  const name = callerName(view);
  const server = (a: SipAccountView) => `${a.registrar}:${a.port}`;
  const prov = provisioningPath(view);
  const values: Array<[string, string | number]> = [
    ['P271', 1],
    ['P270', view.displayNumber],
    ['P47', server(primary)],
    ['P2312', backup ? server(backup) : ''],
    ['P35', primary.username],
    ['P36', primary.authUsername],
    ['P34', primary.password],
    ['P3', name],
    ['P130', TRANSPORT[primary.transport]],
    ['P31', 1],
    ['P32', 60],
    ...(backup && !backupSharesCredentials(view)
      ? ([
          ['P401', 1],
          ['P417', `${view.displayNumber} (2)`],
          ['P402', server(backup)],
          ['P404', backup.username],
          ['P405', backup.authUsername],
          ['P406', backup.password],
          ['P407', name],
        ] as Array<[string, string | number]>)
      : []),
    ['P30', NTP_SERVER],
    ['P64', 'JST-9'],
    ['P1362', view.language],
    ['P212', prov.https ? 2 : 1],
    ['P237', prov.path],
    ['P194', 1],
    ['P193', view.resyncMinutes],
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gs_provision version="1">',
    `  <mac>${escapeXml(view.mac)}</mac>`,
    '  <config version="1">',
    ...values.map(([p, v]) => `    <${p}>${escapeXml(v)}</${p}>`),
    '  </config>',
    '</gs_provision>',
    '',
  ].join('\n');
}
