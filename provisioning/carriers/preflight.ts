import twilio from 'twilio';
import type { Carrier as CarrierDoc, PreflightCheck, PreflightReport } from '../model/index.js';
import type { Store } from '../store/store.js';
import { bumped, bumpedAt } from '../store/versioned.js';
import type { SecretBox } from '../platform/secrets.js';
import { conflict, describeError, notFound } from '../errors.js';
import { CarrierError, SIP_DOMAIN_HELD_ELSEWHERE, type CarrierAdapter, type SipDomainSpec } from './carrier.js';
import { BaseUrlRequestClient } from './twilio/base-url-request-client.js';
import { recordSipDomain } from './registry.js';

/** The probe of the account's real limit: short and bounded, whatever the account answers. */
export const PROBE = { maxRequests: 64, maxMs: 10_000, maxConcurrency: 32 } as const;
/**
 * How long a started preflight keeps others from starting one: its own checks (a few requests of at
 * most 15 s each, the probe's 10 s) end well within it; an instance that dies mid-way frees it then.
 */
export const PREFLIGHT_RUNNING_MS = 120_000;

const fix = (ja: string, en: string) => ({ ja, en });

/**
 * Requests sent together in growing waves (1, 2, 4, … up to the declared concurrency, at most
 * PROBE.maxConcurrency) until the account answers 429, the request budget or the time runs out.
 * A cheap read (the account itself) each time; never through the shared budget, which is the
 * point: it measures what the account answers, not what we allow ourselves.
 */
async function probeLimit(doc: CarrierDoc, authToken: string, declared: number): Promise<PreflightReport['measured']> {
  const sdk = twilio(doc.twilio!.accountSid, authToken, { httpClient: new BaseUrlRequestClient(doc.twilio!.apiBaseUrl, { timeout: 5_000 }) }).api.v2010.accounts(doc.twilio!.accountSid);
  const started = performance.now();
  let requests = 0;
  let answered = 0;
  const top = Math.min(declared, PROBE.maxConcurrency);
  for (let wave = 1; ; wave = Math.min(top, wave * 2)) {
    if (requests + wave > PROBE.maxRequests || performance.now() - started > PROBE.maxMs) break;
    requests += wave;
    const outcomes = await Promise.all(Array.from({ length: wave }, () => sdk.fetch().then(() => 'ok' as const, (e: unknown) => (e instanceof CarrierError && e.status === 429 ? ('429' as const) : ('error' as const)))));
    if (outcomes.includes('429')) return { concurrency: outcomes.filter((o) => o === 'ok').length, reachedDeclared: false, requests, seconds: (performance.now() - started) / 1000 };
    if (outcomes.includes('error')) break;
    answered = wave;
    if (wave === top) break;
  }
  return { concurrency: answered || null, reachedDeclared: answered >= top, requests, seconds: (performance.now() - started) / 1000 };
}

interface PreflightDeps {
  store: Store;
  secrets: SecretBox;
  adapter: (carrierId: string) => Promise<CarrierAdapter>;
  domainSpec: SipDomainSpec;
}

/**
 * A member's preflight, before the disaster: against its real account, do the credentials work,
 * are the numbers it lends on the account, is the SIP domain ours (made if the name is free, as the
 * first opening would) and what limit does the account really answer with. Kept with the carrier.
 */
export async function runPreflight(
  deps: PreflightDeps,
  carrierId: string,
  at: Date,
): Promise<PreflightReport> {
  const { doc, until } = await claimPreflight(deps.store, carrierId, at);
  try {
    const report = await preflight(deps, doc, at);
    await deps.store.transaction(async (tx) => {
      const c = await tx.get('carriers', carrierId);
      if (c) tx.put('carriers', bumpedAt(c, at, { preflight: report, ...(c.preflightRunningUntil === until ? { preflightRunningUntil: null } : {}) }));
    });
    return report;
  } catch (err) {
    await deps.store.transaction(async (tx) => {
      const c = await tx.get('carriers', carrierId);
      if (c && c.preflightRunningUntil === until) tx.put('carriers', bumped(c, { preflightRunningUntil: null }));
    });
    throw err;
  }
}

type TwilioCarrierDoc = CarrierDoc & { twilio: NonNullable<CarrierDoc['twilio']> };

/** One preflight at a time per carrier, on whichever instance: a second one while it runs is refused (409). */
async function claimPreflight(store: Store, carrierId: string, at: Date): Promise<{ doc: TwilioCarrierDoc; until: string }> {
  return store.transaction(async (tx) => {
    const doc = await tx.get('carriers', carrierId);
    if (!doc) throw notFound('carrier', carrierId);
    if (doc.kind !== 'twilio' || !doc.twilio) throw conflict(`carrier ${carrierId} is not on Twilio: its work orders are its preflight`);
    if (doc.preflightRunningUntil && Date.parse(doc.preflightRunningUntil) > at.getTime()) {
      throw conflict(`a preflight of carrier ${carrierId} is running (at the latest until ${doc.preflightRunningUntil}); its report will be on the carrier`);
    }
    const until = new Date(at.getTime() + PREFLIGHT_RUNNING_MS).toISOString();
    tx.put('carriers', bumped(doc, { preflightRunningUntil: until }));
    return { doc: { ...doc, twilio: doc.twilio }, until };
  });
}

async function preflight(deps: PreflightDeps, doc: TwilioCarrierDoc, at: Date): Promise<PreflightReport> {
  const carrierId = doc.id;
  const carrier = await deps.adapter(carrierId);
  const checks: PreflightCheck[] = [];
  const health = await carrier.health();
  checks.push({
    check: 'credentials', ok: health.ok, detail: health.detail,
    fix: health.ok ? null : fix('Account SID と Auth Token を確認し、管理者に登録し直してもらってください（サブアカウントが有効であること）。', 'Check the Account SID and Auth Token and have an admin register them again (the subaccount must be active).'),
  });
  let measured: PreflightReport['measured'] = { concurrency: null, reachedDeclared: false, requests: 0, seconds: 0 };
  if (health.ok) {
    const lent = (await deps.store.query('numbers', { where: { carrierId }, limit: 10_000 })).items.filter((n) => n.state !== 'withdrawn');
    try {
      const onAccount = new Set((await carrier.discoverNumbers()).map((n) => n.e164));
      const missing = lent.filter((n) => !onAccount.has(n.e164)).map((n) => n.e164);
      checks.push({
        check: 'numbers', ok: missing.length === 0,
        detail: missing.length ? `${missing.length} of ${lent.length} lent number(s) are not on account ${doc.twilio.accountSid}: ${missing.slice(0, 50).join(', ')}` : `all ${lent.length} lent number(s) are on the account`,
        fix: missing.length ? fix(`アカウントにない番号（${missing.slice(0, 5).join('、')}${missing.length > 5 ? ' ほか' : ''}）を撤回するか、アカウントに戻してください。`, `Withdraw the numbers that are not on the account (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}) or bring them back to it.`) : null,
      });
    } catch (err) {
      checks.push({ check: 'numbers', ok: false, detail: describeError(err), fix: fix('番号一覧を取得できませんでした。時間をおいて再実行してください。', 'The numbers could not be listed; run the preflight again later.') });
    }
    try {
      const { domain } = await carrier.ensureSipDomain(deps.domainSpec);
      await recordSipDomain(deps.store, carrierId, domain, at);
      checks.push({ check: 'sip_domain', ok: true, detail: `SIP domain ${domain} is ours on the account`, fix: null });
    } catch (err) {
      const held = err instanceof CarrierError && err.code === SIP_DOMAIN_HELD_ELSEWHERE;
      checks.push({
        check: 'sip_domain', ok: false, detail: describeError(err),
        fix: held
          ? fix('SIP ドメイン名が別のアカウントで使われています。運用者に ORCH_DEPLOYMENT_ID の変更を依頼するか、保有アカウントで削除してください。', 'The SIP domain name is held by another account: ask the operator to change ORCH_DEPLOYMENT_ID, or delete it on the account that holds it.')
          : fix('SIP ドメインを作成・確認できませんでした。詳細を確認して再実行してください。', 'The SIP domain could not be made or checked; read the detail and run the preflight again.'),
      });
    }
    measured = await probeLimit(doc, deps.secrets.open(doc.twilio.authTokenEncrypted), doc.capacity.concurrency);
    const low = measured.concurrency !== null && !measured.reachedDeclared;
    checks.push({
      check: 'limit', ok: !low,
      detail: measured.concurrency === null ? `not measured (${measured.requests} request(s))` : `${measured.concurrency} request(s) at once answered${measured.reachedDeclared ? ` (the declared ${doc.capacity.concurrency}, or the probe's cap ${PROBE.maxConcurrency}, reached without a 429)` : ` before a 429; declared ${doc.capacity.concurrency}`}; ${measured.requests} request(s) in ${measured.seconds.toFixed(1)} s`,
      fix: low ? fix(`アカウントは同時 ${measured.concurrency} 件で 429 を返しました。申告値（${doc.capacity.concurrency}）を ${measured.concurrency} 以下に下げるか、Twilio に上限の引き上げを依頼してください。`, `The account answered 429 at ${measured.concurrency} requests at once: lower the declared concurrency (${doc.capacity.concurrency}) to ${measured.concurrency} or less, or ask Twilio to raise the limit.`) : null,
    });
  }
  return { at: at.toISOString(), ok: checks.every((c) => c.ok), checks, measured };
}
