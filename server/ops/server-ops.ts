import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JobStatus, CarrierHealth } from '../../provisioning/model/index.js';
import type { Store } from '../../provisioning/store/store.js';
import { effectiveLimit } from '../../provisioning/carriers/carrier-throttle.js';

/** What /metrics and /readyz read; one per running server (tests run several in one process). */
export interface ServerOps {
  metrics: ServerMetrics;
  ready(): Promise<Readiness>;
  /** The engine (job worker) is running: until then the instance is not ready. */
  markEngineUp(up: boolean): void;
}

export interface Readiness {
  ready: boolean;
  store: 'ok' | 'unreachable';
  engine: 'up' | 'starting' | 'stopping';
}

export interface ServerMetrics {
  registry: Registry;
  observeHttp(method: string, route: string, status: number, seconds: number): void;
  observeCarrierCall(carrierId: string, ok: boolean, seconds: number): void;
}

const STORE_PROBE_MS = 2000;

/** A store read bounded in time: a hung connection must read as unreachable, not hang the probe. */
async function storeReachable(store: Store): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), STORE_PROBE_MS);
  });
  try {
    return await Promise.race([store.get('carriers', 'readyz-probe').then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function createServerOps(deps: { store: Store; wsClients: () => number }): ServerOps {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { store } = deps;
  let engine: Readiness['engine'] = 'starting';

  new Gauge({
    name: 'shelter_line_jobs', help: 'Jobs in the store by state', labelNames: ['state'], registers: [registry],
    async collect() {
      const counts = await Promise.all(JobStatus.options.map(async (state) => [state, await store.count('jobs', { status: state })] as const));
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'shelter_line_carrier_health', help: '1 for the health each carrier is in, 0 for the others', labelNames: ['carrier', 'health'], registers: [registry],
    async collect() {
      this.reset();
      const { items } = await store.query('carriers', { limit: 1000 });
      for (const c of items) for (const h of CarrierHealth.options) this.set({ carrier: c.id, health: h }, c.health === h ? 1 : 0);
    },
  });
  new Gauge({
    name: 'shelter_line_carrier_effective_limit', help: 'The limit the deployment holds each member to now (learnt from its 429s, never above what it declared), by kind: concurrency or requests_per_second', labelNames: ['carrier', 'kind'], registers: [registry],
    async collect() {
      this.reset();
      const { items } = await store.query('carriers', { limit: 1000 });
      for (const c of items) {
        const limit = effectiveLimit(c.capacity, c.throttle);
        this.set({ carrier: c.id, kind: 'concurrency' }, limit.concurrency);
        this.set({ carrier: c.id, kind: 'requests_per_second' }, limit.requestsPerSecond);
      }
    },
  });
  new Gauge({
    name: 'shelter_line_carrier_throttled_total', help: '429 (too many requests) answers each member gave, all instances together', labelNames: ['carrier'], registers: [registry],
    async collect() {
      this.reset();
      const { items } = await store.query('carriers', { limit: 1000 });
      for (const c of items) this.set({ carrier: c.id }, c.throttle?.tooManyRequests ?? 0);
    },
  });
  new Gauge({
    name: 'shelter_line_lines_working', help: 'In-service lines on carriers that are up, by carrier', labelNames: ['carrier'], registers: [registry],
    async collect() {
      this.reset();
      const { items } = await store.query('carriers', { limit: 1000 });
      const up = items.filter((c) => c.health === 'up' && c.status === 'active');
      const counts = await Promise.all(up.map(async (c) => [c.id, await store.count('numbers', { state: 'in_service', carrierId: c.id })] as const));
      for (const [carrier, n] of counts) this.set({ carrier }, n);
    },
  });
  new Gauge({
    name: 'shelter_line_ws_clients', help: 'Boards connected to this instance over WebSocket', registers: [registry],
    collect() {
      this.set(deps.wsClients());
    },
  });
  const carrierCalls = new Counter({ name: 'shelter_line_carrier_requests_total', help: 'Operations this instance sent to each carrier, by outcome', labelNames: ['carrier', 'outcome'], registers: [registry] });
  const carrierSeconds = new Histogram({ name: 'shelter_line_carrier_request_duration_seconds', help: 'Latency of carrier operations', labelNames: ['carrier'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry] });
  const httpRequests = new Counter({ name: 'shelter_line_http_requests_total', help: 'HTTP requests served, by route pattern and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const httpSeconds = new Histogram({ name: 'shelter_line_http_request_duration_seconds', help: 'HTTP request latency by route pattern', labelNames: ['method', 'route'], buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] });

  return {
    metrics: {
      registry,
      observeHttp(method, route, status, seconds) {
        httpRequests.inc({ method, route, status: String(status) });
        httpSeconds.observe({ method, route }, seconds);
      },
      observeCarrierCall(carrier, ok, seconds) {
        carrierCalls.inc({ carrier, outcome: ok ? 'ok' : 'error' });
        carrierSeconds.observe({ carrier }, seconds);
      },
    },
    async ready() {
      const reachable = await storeReachable(store);
      return { ready: reachable && engine === 'up', store: reachable ? 'ok' : 'unreachable', engine };
    },
    markEngineUp(up) {
      engine = up ? 'up' : 'stopping';
    },
  };
}
