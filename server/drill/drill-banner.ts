import type { DrillCarrier } from './drill-carriers.js';

/** What `npm run drill` prints at start: where everything is, and the simulator's controls a drill uses (README, "Two commands"). */
export function drillBanner(d: { boardUrl: string; url: string; adminToken: string; simUrl: string; carriers: DrillCarrier[]; dataDir: string }): string {
  const sim = d.simUrl;
  const twilio = d.carriers.filter((c) => c.account);
  const width = Math.max(...twilio.map((c) => c.id.length));
  return `Shelter Line drill is running.
  board:        ${d.boardUrl}
  admin token:  ${d.adminToken}
  API:          ${d.url}/api/v1  (Authorization: Bearer <admin token>)
  simulator:    ${sim}  (Twilio API under /2010-04-01; the same port on the next start with this data dir, or --sim-port P)
  accounts:     ${twilio.map((c) => `${c.id.padEnd(width)}  ${c.account!.sid}`).join('\n                ')}
  outage:       curl -X PUT ${sim}/_sim/accounts/<account>/outage -H 'Content-Type: application/json' -d '{"on":true}'
                (every call to that member answers 503 until {"on":false})
  rate limit:   curl -X PUT ${sim}/_sim/accounts/<account>/rate-limit -H 'Content-Type: application/json' -d '{"limit":{"perSecond":1,"burst":2}}'
                (429 beyond it, as Twilio answers; {"limit":null} lifts it)
  latency:      curl -X PUT ${sim}/_sim/latency -H 'Content-Type: application/json' -d '{"ms":300}'
  calls:        POST ${sim}/_sim/calls {"to","from"} rings a Twilio member's number;
                POST ${sim}/_sim/sip-calls {"domain","username","to"} dials from a handset registered there;
                POST ${sim}/_sim/api-member/calls {"from","to"} or /_sim/api-member/sip-calls
                {"username","domain","to"} calls on the api member, through the call-decision API
  carriers:     ${d.carriers.map((c) => `${c.id} (${c.kind}, ${c.numbers.length} numbers)`).join(', ')}
  data dir:     ${d.dataDir}`;
}
