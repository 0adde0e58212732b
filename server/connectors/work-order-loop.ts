/** A work order as a member engineer receives it from GET /api/v1/carriers/:id/work-orders. */
export interface ReceivedWorkOrder {
  id: string;
  carrierId: string;
  action: 'route_number' | 'reset_number' | 'intercept_number' | 'create_credential' | 'delete_credential';
  params: Record<string, unknown>;
  deadline: string;
}

export interface WorkOrderLoop {
  /** Orders done so far, oldest first: the member's own record of what it configured. */
  readonly completed: ReceivedWorkOrder[];
  /** Stop serving orders (pending ones then stay pending, as with a member that went quiet). */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export interface WorkOrderLoopOptions {
  baseUrl: string;
  carrierId: string;
  token: string;
  waitSeconds?: number;
  /** Configures the member's platform for one order; a throw reports the order failed with its message. */
  apply?: (order: ReceivedWorkOrder) => Promise<void>;
  onError?: (err: unknown) => void;
}

/**
 * A member's side of the work orders: long-polls them over HTTP with its own carrier token,
 * applies each to its platform (the drill's simulated member only notes it) and reports the result.
 */
export function startWorkOrderLoop(opts: WorkOrderLoopOptions): WorkOrderLoop {
  const completed: ReceivedWorkOrder[] = [];
  const abort = new AbortController();
  let paused = false;
  const headers = { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' };

  async function pollOnce(): Promise<void> {
    const wait = opts.waitSeconds ?? 5;
    const res = await fetch(`${opts.baseUrl}/api/v1/carriers/${opts.carrierId}/work-orders?wait=${wait}&limit=100`, { headers, signal: abort.signal });
    if (!res.ok) throw new Error(`work-order poll answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as { items: ReceivedWorkOrder[] };
    for (const order of page.items) {
      if (paused || abort.signal.aborted) return;
      let result: { status: 'done' | 'failed'; detail: string };
      try {
        await opts.apply?.(order);
        result = { status: 'done', detail: `${order.action} configured` };
      } catch (err) {
        result = { status: 'failed', detail: String((err as Error).message ?? err).slice(0, 500) };
      }
      const done = await fetch(`${opts.baseUrl}/api/v1/work-orders/${order.id}/result`, {
        method: 'POST', headers, signal: abort.signal, body: JSON.stringify(result),
      });
      // 409: the order was superseded or expired meanwhile; the orchestrator will issue a new one.
      if (done.ok && result.status === 'done') completed.push(order);
      else if (done.status !== 409) throw new Error(`work-order result answered ${done.status}: ${await done.text()}`);
    }
  }

  const loop = (async () => {
    while (!abort.signal.aborted) {
      if (paused) {
        await delay(50);
        continue;
      }
      try {
        await pollOnce();
      } catch (err) {
        if (abort.signal.aborted) break;
        opts.onError?.(err);
        await delay(200);
      }
    }
  })();

  return {
    completed,
    pause: () => void (paused = true),
    resume: () => void (paused = false),
    async stop() {
      abort.abort();
      await loop;
    },
  };
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
