import {
  backupAccount,
  backupSharesCredentials,
  callerName,
  JAPAN_UTC_OFFSET_SECONDS,
  NTP_SERVER,
  primaryAccount,
  type HandsetProvisioningView,
  type SipAccountView,
} from '../provisioning-view.js';
import { escapeXml } from '../xml.js';

/**
 * Polycom UC Software first fetches the master config `{mac}.cfg`, whose `CONFIG_FILES` names the
 * parameter files to load next; ours is `{mac}-shelter.cfg`. (`{mac}-phone.cfg` is avoided: the
 * phone uploads its local overrides under that name.)
 */
export function polycomFileNames(mac: string): string[] {
  return [`${mac}.cfg`, polycomParamsFileName(mac)];
}

export function polycomParamsFileName(mac: string): string {
  return `${mac}-shelter.cfg`;
}

/** The master config file: which firmware and which parameter files this phone loads. */
export function renderPolycomMaster(view: HandsetProvisioningView): string {
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    // No firmware is hosted here: a 404 for sip.ld leaves the installed application running.
    `<APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="${escapeXml(polycomParamsFileName(view.mac))}" MISC_FILES="" LOG_FILE_DIRECTORY="" OVERRIDES_DIRECTORY="" CONTACTS_DIRECTORY="" LICENSE_DIRECTORY="" USER_PROFILES_DIRECTORY="" CALL_LISTS_DIRECTORY=""/>`,
    '',
  ].join('\n');
}

const TRANSPORT: Record<SipAccountView['transport'], string> = { udp: 'UDPOnly', tcp: 'TCPOnly', tls: 'TLS' };
const LANGUAGE: Record<HandsetProvisioningView['language'], string> = {
  ja: 'Japanese_Japan',
  en: 'English_United_States',
};

/**
 * The parameter file: one `<polycomConfig>` element whose attributes are the parameters.
 * Line 1 registers on the primary carrier with the backup carrier as `reg.1.server.2`;
 * when the backup's credentials differ, line 2 registers there as well.
 */
export function renderPolycomParams(view: HandsetProvisioningView): string {
  const primary = primaryAccount(view);
  const backup = backupAccount(view);
  const name = callerName(view);
  const params: Array<[string, string | number]> = [
    ...line(1, primary, name, view.displayNumber),
    ...(backup ? server(1, 2, backup) : []),
    ...(backup && !backupSharesCredentials(view) ? line(2, backup, name, `${view.displayNumber} (2)`) : []),
    ['tcpIpApp.sntp.address', NTP_SERVER],
    ['tcpIpApp.sntp.address.overrideDHCP', 1],
    ['tcpIpApp.sntp.gmtOffset', JAPAN_UTC_OFFSET_SECONDS],
    ['tcpIpApp.sntp.gmtOffset.overrideDHCP', 1],
    ['tcpIpApp.sntp.daylightSavings.enable', 0],
    ['lcl.ml.lang', LANGUAGE[view.language]],
    // device.* values apply only with device.set and each parameter's own .set flag.
    ['device.set', 1],
    ['device.prov.serverType.set', 1],
    ['device.prov.serverType', new URL(view.provisioningUrl).protocol === 'https:' ? 'HTTPS' : 'HTTP'],
    ['device.prov.serverName.set', 1],
    ['device.prov.serverName', view.provisioningUrl],
    // Poll the provisioning server every period (seconds, relative mode) so a failover reaches the phone.
    ['prov.polling.enabled', 1],
    ['prov.polling.mode', 'rel'],
    ['prov.polling.period', view.resyncMinutes * 60],
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<polycomConfig',
    ...params.map(([k, v]) => `  ${k}="${escapeXml(v)}"`),
    '/>',
    '',
  ].join('\n');
}

function line(n: number, acc: SipAccountView, name: string, label: string): Array<[string, string | number]> {
  return [
    [`reg.${n}.address`, acc.username],
    [`reg.${n}.auth.userId`, acc.authUsername],
    [`reg.${n}.auth.password`, acc.password],
    [`reg.${n}.displayName`, name],
    [`reg.${n}.label`, label],
    ...server(n, 1, acc),
  ];
}

function server(n: number, slot: 1 | 2, acc: SipAccountView): Array<[string, string | number]> {
  const key = `reg.${n}.server.${slot}`;
  return [
    [`${key}.address`, acc.registrar],
    [`${key}.port`, acc.port],
    [`${key}.transport`, TRANSPORT[acc.transport]],
    [`${key}.expires`, 3600],
    [`${key}.register`, 1],
  ];
}
