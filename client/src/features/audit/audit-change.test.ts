import { describe, expect, it } from 'vitest';
import { partsText, type Names } from '../../lib/messages.js';
import { auditChange } from './audit-change.js';

const names: Names = { carrier: (id) => ({ 'hokuriku-voice': 'Hokuriku Voice' })[id] ?? id, shelter: (id) => id, number: (e164) => `0${e164.slice(3)}` };
const change = (e: Parameters<typeof auditChange>[0], lang: 'ja' | 'en' = 'ja') => partsText(auditChange(e, lang, names));

describe('what an audit entry changed, as a coordinator reads it', () => {
  it('words the states a shelter, a carrier, a number and a work order move between', () => {
    expect(change({ action: 'carrier.down', from: 'up', to: 'down', after: null })).toBe('正常 → 停止');
    expect(change({ action: 'number.in_service', from: 'reserved', to: 'in_service', after: null })).toBe('割当済（設定中） → 使用中');
    expect(change({ action: 'work_order.done', from: 'pending', to: 'done', after: null })).toBe('未完了 → 完了');
    expect(change({ action: 'report.triaged', from: 'received', to: 'credible', after: null })).toBe('未判定 → 信頼できる');
    expect(change({ action: 'carrier.down', from: 'up', to: 'down', after: null }, 'en')).toBe('Up → Down');
  });

  it('says how many lines a shelter was opened with, not "closed → open"', () => {
    expect(change({ action: 'shelter.open', from: 'closed', to: 'open', after: { lines: 2, jobId: 'job_00lr64' } })).toBe('2 回線');
    expect(change({ action: 'shelter.close', from: 'open', to: 'closed', after: { jobId: 'job_00lr64' } })).toBe('');
  });

  it('names the task a reconcile asked for and the carrier behind it, never a job id', () => {
    const text = change({ action: 'reconcile.request', from: null, to: 'job_00lr64fvmy0000e6c5ac3d', after: { kind: 'failover', jobId: 'job_00lr64fvmy0000e6c5ac3d', carrierId: 'hokuriku-voice' } });
    expect(text).toBe('処理「障害時の回線切替」 · Hokuriku Voice');
    expect(text).not.toMatch(/job_|∅/);
  });

  it('lists the numbers an allocation gave, as people write them', () => {
    expect(change({ action: 'number.reserved', from: null, to: 'reserved', after: { '+81767530104': { state: 'reserved' }, '+815031200001': { state: 'reserved' } } })).toBe('番号 0767530104、05031200001');
  });

  it('shows a state it has no words for as its code, marked as one', () => {
    expect(auditChange({ action: 'token.mint', from: 'x-new-state', to: null, after: null }, 'ja', names)).toEqual([{ name: 'x-new-state' }, ' → ']);
  });
});
