import type { HandsetProvisioningView, SipAccountView } from '../../provisioning/handsets/index.js';

export const primary: SipAccountView = {
  role: 'primary',
  registrar: 'jusa-a-shelters.sip.twilio.com',
  port: 5060,
  transport: 'udp',
  username: 'hs805ec0112233',
  password: 'pw-Primary-1',
  authUsername: 'hs805ec0112233',
};

export const backup: SipAccountView = { ...primary, role: 'backup', registrar: 'jusa-b-shelters.sip.twilio.com' };

/** A handset at a Nanao shelter, with the given fields replaced. */
export function aView(over: Partial<HandsetProvisioningView> = {}): HandsetProvisioningView {
  return {
    handsetId: 'hs_0001',
    mac: '805ec0112233',
    vendor: 'yealink',
    label: '受付',
    shelterName: '七尾市立東部中学校',
    shortCode: '4821',
    displayNumber: '0767-52-0959',
    accounts: [primary, backup],
    timezone: 'Asia/Tokyo',
    language: 'ja',
    provisioningUrl: 'https://orch.example.jp/p/tok_abcdef/',
    resyncMinutes: 30,
    ...over,
  };
}
