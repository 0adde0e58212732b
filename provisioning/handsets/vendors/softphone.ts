import { callerName, primaryAccount, provisioningFileUrl, type HandsetProvisioningView } from '../provisioning-view.js';
import { escapeXml } from '../xml.js';

/**
 * Softphones have no vendor file. They import the primary-carrier SIP account from `account.xml`,
 * in Linphone's remote-provisioning format (lpconfig XML: `<config><section><entry>`), which
 * Linphone on iOS, Android and desktop fetches from a URL entered or scanned as a QR code.
 */
export const SOFTPHONE_ACCOUNT_FILE = 'account.xml';

export function renderSoftphoneAccount(view: HandsetProvisioningView): string {
  const acc = primaryAccount(view);
  const transport = acc.transport;
  const proxy = `<sip:${acc.registrar}:${acc.port};transport=${transport}>`;
  const identity = `"${callerName(view).replace(/["\\]/g, '\\$&')}" <sip:${acc.username}@${acc.registrar}>`;
  const section = (name: string, entries: Array<[string, string | number]>) => [
    `  <section name="${name}" overwrite="true">`,
    ...entries.map(([k, v]) => `    <entry name="${k}" overwrite="true">${escapeXml(v)}</entry>`),
    '  </section>',
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<config xmlns="http://www.linphone.org/xsds/lpconfig.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.linphone.org/xsds/lpconfig.xsd lpconfig.xsd">',
    ...section('sip', [['default_proxy', 0]]),
    // Linphone re-reads its remote provisioning from config-uri at every launch; it has no periodic poll.
    ...section('misc', [['config-uri', provisioningFileUrl(view, SOFTPHONE_ACCOUNT_FILE)]]),
    ...section('proxy_0', [
      ['reg_proxy', proxy],
      ['reg_identity', identity],
      ['reg_expires', 3600],
      ['reg_sendregister', 1],
      ['publish', 0],
    ]),
    ...section('auth_info_0', [
      ['username', acc.username],
      ['userid', acc.authUsername],
      ['passwd', acc.password],
      ['domain', acc.registrar],
    ]),
    '</config>',
    '',
  ].join('\n');
}
