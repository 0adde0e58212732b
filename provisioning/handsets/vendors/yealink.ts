import {
  backupAccount,
  backupSharesCredentials,
  callerName,
  NTP_SERVER,
  primaryAccount,
  type HandsetProvisioningView,
  type SipAccountView,
} from '../provisioning-view.js';

/** Yealink asks for `{mac}.cfg` (lower-case MAC) after its common `y0000000000xx.cfg`. */
export function yealinkFileNames(mac: string): string[] {
  return [`${mac}.cfg`];
}

const TRANSPORT: Record<SipAccountView['transport'], string> = { udp: '0', tcp: '1', tls: '2' };
const LANGUAGE: Record<HandsetProvisioningView['language'], string> = { ja: 'Japanese', en: 'English' };

/**
 * The MAC-specific Yealink configuration: `key = value` lines after the mandatory
 * `#!version:1.0.0.1` header. The backup carrier is the failover registrar of line 1
 * (`account.1.sip_server.2`); when its credentials differ, line 2 registers there as well.
 */
export function renderYealinkConfig(view: HandsetProvisioningView): string {
  const primary = primaryAccount(view);
  const backup = backupAccount(view);
  const name = callerName(view);
  const lines: Array<[string, string | number]> = [
    ...account(1, primary, name, view.displayNumber),
    ...(backup ? server(1, 2, backup) : []),
    ...(backup && !backupSharesCredentials(view) ? [...account(2, backup, name, `${view.displayNumber} (2)`)] : []),
    // Japan has no daylight saving; NICT is the national time source.
    ['local_time.time_zone', '+9'],
    ['local_time.time_zone_name', 'Japan(Tokyo)'],
    ['local_time.summer_time', 0],
    ['local_time.ntp_server1', NTP_SERVER],
    ['lang.gui', LANGUAGE[view.language]],
    ['lang.wui', LANGUAGE[view.language]],
    ['static.auto_provision.server.url', view.provisioningUrl],
    // Re-read the file periodically so a change of carrier reaches the handset without a site visit.
    ['static.auto_provision.repeat.enable', 1],
    ['static.auto_provision.repeat.minutes', view.resyncMinutes],
  ];
  return ['#!version:1.0.0.1', ...lines.map(([k, v]) => `${k} = ${cfgValue(k, v)}`), ''].join('\n');
}

function account(n: number, acc: SipAccountView, name: string, label: string): Array<[string, string | number]> {
  return [
    [`account.${n}.enable`, 1],
    [`account.${n}.label`, label],
    [`account.${n}.display_name`, name],
    [`account.${n}.auth_name`, acc.authUsername],
    [`account.${n}.user_name`, acc.username],
    [`account.${n}.password`, acc.password],
    ...server(n, 1, acc),
  ];
}

function server(n: number, slot: 1 | 2, acc: SipAccountView): Array<[string, string | number]> {
  const key = `account.${n}.sip_server.${slot}`;
  return [
    [`${key}.address`, acc.registrar],
    [`${key}.port`, acc.port],
    [`${key}.transport_type`, TRANSPORT[acc.transport]],
    [`${key}.expires`, 3600],
  ];
}

/** A value runs to the end of its line, so a CR or LF would inject a key of the caller's choosing. */
function cfgValue(key: string, value: string | number): string {
  const s = String(value);
  if (/[\r\n\u0000-\u001f\u007f]/.test(s)) throw new Error(`${key}: a control character cannot be written to a Yealink .cfg`);
  return s;
}
