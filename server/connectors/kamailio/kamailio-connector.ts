import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startWorkOrderLoop, type ReceivedWorkOrder, type WorkOrderLoop } from '../work-order-loop.js';

const run = promisify(execFile);

/** One RPC to a running Kamailio over its ctl socket (kamcmd, from the `kamailio` package). */
export async function kamcmd(ctlSocket: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('kamcmd', ['-s', ctlSocket, ...args], { timeout: 5000 });
  return stdout;
}

/**
 * Applies our work orders to Kamailio (kamailio.cfg beside this file): handset credentials go into
 * its `creds` table; numbers need nothing, since Kamailio asks the call-decision API per call.
 */
export function kamailioApply(ctlSocket: string): (order: ReceivedWorkOrder) => Promise<void> {
  return async (order) => {
    const p = order.params;
    switch (order.action) {
      case 'create_credential':
        if (typeof p.username !== 'string' || typeof p.password !== 'string') throw new Error('create_credential without username and password');
        await kamcmd(ctlSocket, 'htable.sets', 'creds', p.username, p.password);
        return;
      case 'delete_credential':
        if (typeof p.username !== 'string') throw new Error('delete_credential without username');
        await kamcmd(ctlSocket, 'htable.delete', 'creds', p.username);
        return;
      case 'route_number':
        // Only the JSON contract works here: a TwiML voice URL would mean the member declared the wrong call control.
        if (typeof p.inboundDecisionUrl !== 'string') throw new Error('route_number without the call-decision API: declare callControl json for this member');
        return;
      default:
        return;
    }
  };
}

/** The member's connector: pulls its work orders with its carrier token and applies them to Kamailio. */
export function startKamailioConnector(opts: { baseUrl: string; carrierId: string; token: string; ctlSocket: string; onError?: (err: unknown) => void }): WorkOrderLoop {
  return startWorkOrderLoop({ baseUrl: opts.baseUrl, carrierId: opts.carrierId, token: opts.token, apply: kamailioApply(opts.ctlSocket), ...(opts.onError ? { onError: opts.onError } : {}) });
}
