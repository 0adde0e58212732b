import type { AccountState, ApiCallRecord, CredentialListRecord, CredentialRecord, DomainRecord, MappingRecord, NumberRecord } from './state.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { rfc2822 } from './twilio-date.js';

/**
 * JSON bodies as Twilio's 2010-04-01 API writes them (snake_case). Unset fields as Twilio's own
 * examples write them: on a phone number the voice URLs and trunk are null while the status
 * callback, SMS URLs and application SIDs are "" (its IncomingPhoneNumber fetch example); on a
 * SIP domain the unset URLs are null.
 */
const API = '/2010-04-01';
const orNull = (url: string) => (url === '' ? null : url);

/** Twilio's `type` of a number: local (geographic, 0AB-J), national (050 and other non-geographic), mobile, tollFree. */
function numberType(e164: string): string {
  switch (parsePhoneNumberFromString(e164)?.getType()) {
    case 'MOBILE':
      return 'mobile';
    case 'TOLL_FREE':
      return 'tollFree';
    case 'FIXED_LINE':
    case 'FIXED_LINE_OR_MOBILE':
      return 'local';
    default:
      return 'national';
  }
}

export const accountUri = (acct: string) => `${API}/Accounts/${acct}.json`;
export const callsUri = (acct: string) => `${API}/Accounts/${acct}/Calls.json`;
export const numbersUri = (acct: string) => `${API}/Accounts/${acct}/IncomingPhoneNumbers.json`;
export const domainsUri = (acct: string) => `${API}/Accounts/${acct}/SIP/Domains.json`;
export const listsUri = (acct: string) => `${API}/Accounts/${acct}/SIP/CredentialLists.json`;
export const credentialsUri = (acct: string, list: string) => `${API}/Accounts/${acct}/SIP/CredentialLists/${list}/Credentials.json`;
export const mappingsUri = (acct: string, domain: string, kind: 'Registrations' | 'Calls') =>
  `${API}/Accounts/${acct}/SIP/Domains/${domain}/Auth/${kind}/CredentialListMappings.json`;
const item = (collection: string, sid: string) => collection.replace(/\.json$/, `/${sid}.json`);

export function accountJson(a: AccountState) {
  const base = `${API}/Accounts/${a.sid}`;
  return {
    auth_token: a.authToken,
    date_created: rfc2822(a.created),
    date_updated: rfc2822(a.created),
    friendly_name: a.friendlyName,
    owner_account_sid: a.sid,
    sid: a.sid,
    status: 'active',
    subresource_uris: {
      incoming_phone_numbers: `${base}/IncomingPhoneNumbers.json`,
      sip: `${base}/SIP.json`,
      calls: `${base}/Calls.json`,
    },
    type: 'Full',
    uri: accountUri(a.sid),
  };
}

export function numberJson(acct: string, n: NumberRecord) {
  return {
    account_sid: acct,
    address_sid: null,
    address_requirements: 'none',
    api_version: '2010-04-01',
    beta: false,
    capabilities: { voice: true, sms: false, mms: false, fax: false },
    date_created: rfc2822(n.created),
    date_updated: rfc2822(n.updated),
    friendly_name: n.friendlyName,
    identity_sid: null,
    phone_number: n.phoneNumber,
    origin: 'twilio',
    sid: n.sid,
    sms_application_sid: '',
    sms_fallback_method: 'POST',
    sms_fallback_url: '',
    sms_method: 'POST',
    sms_url: '',
    status_callback: n.statusCallback,
    status_callback_method: n.statusCallbackMethod,
    trunk_sid: null,
    uri: item(numbersUri(acct), n.sid),
    voice_receive_mode: 'voice',
    voice_application_sid: '',
    voice_caller_id_lookup: false,
    voice_fallback_method: n.voiceFallbackMethod,
    voice_fallback_url: orNull(n.voiceFallbackUrl),
    voice_method: n.voiceMethod,
    voice_url: orNull(n.voiceUrl),
    emergency_status: 'Inactive',
    emergency_address_sid: null,
    emergency_address_status: 'unregistered',
    bundle_sid: null,
    status: 'in-use',
    type: numberType(n.phoneNumber),
  };
}

export function domainJson(acct: string, d: DomainRecord) {
  const uri = item(domainsUri(acct), d.sid);
  const base = uri.replace(/\.json$/, '');
  return {
    account_sid: acct,
    api_version: '2010-04-01',
    auth_type: d.registrationMappings.size + d.callsMappings.size > 0 ? 'CREDENTIAL_LIST' : null,
    date_created: rfc2822(d.created),
    date_updated: rfc2822(d.updated),
    domain_name: d.domainName,
    friendly_name: d.friendlyName,
    sid: d.sid,
    uri,
    voice_fallback_method: d.voiceFallbackMethod,
    voice_fallback_url: orNull(d.voiceFallbackUrl),
    voice_method: d.voiceMethod,
    voice_status_callback_method: d.voiceStatusCallbackMethod,
    voice_status_callback_url: orNull(d.voiceStatusCallbackUrl),
    voice_url: orNull(d.voiceUrl),
    subresource_uris: {
      ip_access_control_list_mappings: `${base}/IpAccessControlListMappings.json`,
      credential_list_mappings: `${base}/CredentialListMappings.json`,
      auth_types: `${base}/Auth.json`,
    },
    sip_registration: d.sipRegistration,
    emergency_calling_enabled: false,
    secure: false,
    byoc_trunk_sid: null,
    emergency_caller_sid: null,
  };
}

export function credentialListJson(acct: string, l: CredentialListRecord) {
  return {
    account_sid: acct,
    date_created: rfc2822(l.created),
    date_updated: rfc2822(l.updated),
    friendly_name: l.friendlyName,
    sid: l.sid,
    subresource_uris: { credentials: credentialsUri(acct, l.sid) },
    uri: item(listsUri(acct), l.sid),
  };
}

export function credentialJson(acct: string, listSid: string, c: CredentialRecord) {
  return {
    sid: c.sid,
    account_sid: acct,
    credential_list_sid: listSid,
    username: c.username,
    date_created: rfc2822(c.created),
    date_updated: rfc2822(c.updated),
    uri: item(credentialsUri(acct, listSid), c.sid),
  };
}

export function mappingJson(acct: string, m: MappingRecord, list: CredentialListRecord | undefined) {
  return {
    account_sid: acct,
    date_created: rfc2822(m.created),
    date_updated: rfc2822(m.created),
    friendly_name: list?.friendlyName ?? null,
    sid: m.credentialListSid,
  };
}

export function callJson(acct: string, c: ApiCallRecord) {
  const uri = item(callsUri(acct), c.sid);
  const base = uri.replace(/\.json$/, '');
  return {
    sid: c.sid,
    date_created: rfc2822(c.created),
    date_updated: rfc2822(c.created),
    parent_call_sid: null,
    account_sid: acct,
    to: c.to,
    to_formatted: c.to,
    from: c.from,
    from_formatted: c.from,
    phone_number_sid: null,
    status: c.status,
    start_time: null,
    end_time: null,
    duration: null,
    price: null,
    price_unit: 'USD',
    direction: 'outbound-api',
    answered_by: null,
    api_version: '2010-04-01',
    forwarded_from: null,
    group_sid: null,
    caller_name: null,
    queue_time: '0',
    trunk_sid: null,
    uri,
    subresource_uris: {
      notifications: `${base}/Notifications.json`,
      recordings: `${base}/Recordings.json`,
      payments: `${base}/Payments.json`,
      events: `${base}/Events.json`,
      siprec: `${base}/Siprec.json`,
      streams: `${base}/Streams.json`,
      user_defined_message_subscriptions: `${base}/UserDefinedMessageSubscriptions.json`,
      user_defined_messages: `${base}/UserDefinedMessages.json`,
    },
  };
}
