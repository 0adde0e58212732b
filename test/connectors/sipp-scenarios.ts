/**
 * SIPp scenarios for the Kamailio connector test, each written once: a shelter handset (registers,
 * places a call), a handset or trunk that answers, rings until cancelled or is busy, and the
 * member's trunk delivering a call. `[$var]` values come from `-set var value`.
 */

const scenario = (name: string, body: string, globals = '') => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="${name}">${globals ? `\n  <Global variables="${globals}"/>` : ''}
${body}
</scenario>`;

const SDP = `v=0
o=- 1 1 IN IP4 [local_ip]
s=-
c=IN IP4 [local_ip]
t=0 0
m=audio [media_port] RTP/AVP 0`;

/** A handset's REGISTER with its digest: `contact` and `expires` set which contact (or `*` and 0: all of them, gone). */
export const REGISTER = scenario('register', ['', '[authentication]\n'].map((auth, i) => `
  <send retrans="500"><![CDATA[
REGISTER sip:[$domain] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[$user]@[$domain]>;tag=r[call_number]
To: <sip:[$user]@[$domain]>
Call-ID: [call_id]
CSeq: ${i + 1} REGISTER
Contact: [$contact]
${auth}Expires: [$expires]
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="${i === 0 ? 401 : 200}"${i === 0 ? ' auth="true"' : ''}/>`).join(''), 'user,domain,contact,expires');

/** A handset places one call to [service] and expects `code`; a 200 is acknowledged and hung up, a refusal must carry `reason`. */
export function handsetCall(code: number, reason: string | null): string {
  const invite = (auth: boolean) => `
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[$domain] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[$user]@[$domain]>;tag=[call_number]
To: <sip:[service]@[$domain]>
Call-ID: [call_id]
CSeq: ${auth ? 2 : 1} INVITE
Contact: <sip:[$user]@[local_ip]:[local_port]>
${auth ? '[authentication]\n' : ''}Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

${SDP}
]]></send>`;
  const inDialog = (method: 'ACK' | 'BYE', cseq: number, routed: boolean) => `
  <send${method === 'BYE' ? ' retrans="500"' : ''}><![CDATA[
${method} ${routed ? '[next_url]' : 'sip:[service]@[$domain]'} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[$user]@[$domain]>;tag=[call_number]
To: <sip:[service]@[$domain]>[peer_tag_param]
Call-ID: [call_id]
CSeq: ${cseq} ${method}
${routed ? '[routes]\n' : ''}Max-Forwards: 70
Content-Length: 0
]]></send>`;
  const outcome = code === 200
    ? `
  <recv response="200" rrs="true" rtd="true"/>${inDialog('ACK', 2, true)}${inDialog('BYE', 3, true)}
  <recv response="200"/>`
    : `
  <recv response="${code}" rtd="true">${reason ? `
    <action><ereg regexp="X-Shelter-Line-Reason: ${reason}" search_in="msg" check_it="true" assign_to="why"/></action>
  ` : ''}</recv>${reason ? '\n  <Reference variables="why"/>' : ''}${inDialog('ACK', 2, false)}`;
  return scenario('shelter handset call', `${invite(false)}
  <recv response="100" optional="true"/>
  <recv response="407" auth="true"/>${inDialog('ACK', 1, false)}${invite(true)}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>${outcome}`, 'user,domain');
}

/** A response to the INVITE just received (or, after a CANCEL, to that INVITE: its CSeq was kept in [$cseq]). */
const reply = (status: string, o: { sdp?: boolean; cseq?: 'last' | 'invite'; toInvite?: boolean } = {}) => `
  <send><![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[call_number]
[last_Call-ID:]
${o.cseq === 'invite' ? 'CSeq: [$cseq] INVITE' : '[last_CSeq:]'}
${o.toInvite === false ? '' : '[last_Record-Route:]\n'}Contact: <sip:uas@[local_ip]:[local_port]>
${o.sdp ? `Content-Type: application/sdp
Content-Length: [len]

${SDP}` : 'Content-Length: 0\n'}
]]></send>`;
const INVITE_IN = `
  <recv request="INVITE"/>`;
/** The INVITE, its CSeq number kept for the 487 that ends it after a CANCEL. */
const INVITE_IN_KEEPING_CSEQ = `
  <recv request="INVITE">
    <action><ereg regexp="([0-9]+) INVITE" search_in="hdr" header="CSeq:" assign_to="whole,cseq"/></action>
  </recv>
  <Reference variables="whole"/>`;

/** The far end answers: a handset (rings first, `ringMs`) or the member's trunk (at once), then takes the BYE. */
export function answering(ringMs: number | null): string {
  return scenario('answers', `${INVITE_IN}${ringMs === null ? '' : `${reply('180 Ringing')}
  <pause milliseconds="${ringMs}"/>`}${reply('200 OK', { sdp: true })}
  <recv request="ACK"/>
  <recv request="BYE"/>${reply('200 OK', { toInvite: false })}`);
}

/** A handset that rings and never answers: the proxy gives up on it (CANCEL), it ends the INVITE with 487. */
export const RINGS_UNTIL_CANCELLED = scenario('rings until cancelled', `${INVITE_IN_KEEPING_CSEQ}${reply('180 Ringing')}
  <recv request="CANCEL"/>${reply('200 OK', { toInvite: false })}${reply('487 Request Terminated', { cseq: 'invite', toInvite: false })}
  <recv request="ACK"/>`);

/** A registered handset that is busy: 486 to the INVITE. */
export const BUSY = scenario('busy handset', `${INVITE_IN}${reply('486 Busy Here')}
  <recv request="ACK"/>`);

/** The member's trunk sending a call from an outside caller to a shelter number, up to its final answer. */
const TRUNK_INVITE = `
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:+81312345678@[local_ip]>;tag=[call_number]
To: <sip:[service]@[remote_ip]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:trunk@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

${SDP}
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>`;
const trunkRequest = (method: 'ACK' | 'BYE', cseq: number, routed: boolean) => `
  <send${method === 'BYE' ? ' retrans="500"' : ''}><![CDATA[
${method} ${routed ? '[next_url]' : 'sip:[service]@[remote_ip]:[remote_port]'} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:+81312345678@[local_ip]>;tag=[call_number]
To: <sip:[service]@[remote_ip]>[peer_tag_param]
Call-ID: [call_id]
CSeq: ${cseq} ${method}
${routed ? '[routes]\n' : ''}Max-Forwards: 70
Content-Length: 0
]]></send>`;

/** The trunk delivers a call to a shelter number and expects it answered, then hangs up. */
export const TRUNK_CALL = scenario('trunk call', `${TRUNK_INVITE}
  <recv response="200" rrs="true"/>${trunkRequest('ACK', 1, true)}${trunkRequest('BYE', 2, true)}
  <recv response="200"/>`);

/** The trunk delivers a call that the proxy redirects (302) to the shelter's other carrier. */
export const TRUNK_CALL_REDIRECTED = scenario('trunk call redirected', `${TRUNK_INVITE}
  <recv response="302"/>${trunkRequest('ACK', 1, false)}`);
