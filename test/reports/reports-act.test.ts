import { describe, expect, it } from 'vitest';
import { FraudReport, type ReportStatus } from '../../provisioning/model/index.js';
import { canMoveReport, decideRestriction, DEFAULT_REPORT_POLICY, REPORT_TRANSITIONS } from '../../provisioning/reports/index.js';

const H = 3_600_000;
const T0 = Date.parse('2024-01-09T00:00:00Z');
const report = (id: string, hoursAfter: number, status: ReportStatus) =>
  FraudReport.parse({
    id, e164: '+81767520107', calledAt: new Date(T0 + hoursAfter * H).toISOString(), description: 'x', receivedAt: new Date(T0 + hoursAfter * H).toISOString(), channel: 'json', status,
    link: { ours: true, carrierId: null, carrierName: null, shelterId: 's1', shelterName: null, basis: 'number', windowStart: new Date(T0).toISOString(), windowEnd: new Date(T0).toISOString(), handsetIds: [], calls: [] },
  });

describe('credible reports restrict a shelter', () => {
  it('restricts on the third credible report within 24 h, naming those reports', () => {
    const d = decideRestriction([report('a', 0, 'credible'), report('b', 5, 'credible'), report('c', 23, 'credible')], DEFAULT_REPORT_POLICY);
    expect(d).toEqual({ restrict: true, reportIds: ['a', 'b', 'c'], reason: expect.stringContaining('3 credible reports') });
  });

  it('does not restrict when the three are spread over more than 24 h, or one is not credible', () => {
    expect(decideRestriction([report('a', 0, 'credible'), report('b', 5, 'credible'), report('c', 25, 'credible')], DEFAULT_REPORT_POLICY)).toEqual({ restrict: false, credible: 2, needed: 3 });
    expect(decideRestriction([report('a', 0, 'credible'), report('b', 1, 'not_credible'), report('c', 2, 'needs_info'), report('d', 3, 'received')], DEFAULT_REPORT_POLICY)).toEqual({ restrict: false, credible: 1, needed: 3 });
  });

  it('counts a report already turned into a suspension, and follows the configured threshold and window', () => {
    const reports = [report('a', 0, 'suspended'), report('b', 40, 'credible')];
    expect(decideRestriction(reports, { ...DEFAULT_REPORT_POLICY, credibleReports: 2, windowHours: 48 })).toMatchObject({ restrict: true, reportIds: ['a', 'b'] });
    expect(decideRestriction(reports, { ...DEFAULT_REPORT_POLICY, credibleReports: 2 })).toMatchObject({ restrict: false });
  });
});

describe('the report lifecycle', () => {
  it('is one table: a suspension is final, a triage can be revised', () => {
    expect(REPORT_TRANSITIONS.suspended).toEqual([]);
    expect(canMoveReport('not_credible', 'credible')).toBe(true);
    expect(canMoveReport('not_credible', 'suspended')).toBe(false);
    expect(canMoveReport('received', 'received')).toBe(false);
  });
});
