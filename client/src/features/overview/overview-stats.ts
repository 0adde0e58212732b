import type { Collections } from '../../lib/board-state.js';

const DAY = 86_400_000;

/** The numbers a coordinator reads first, computed from live board state. */
export function overviewStats(data: Collections, now: Date) {
  let sheltersOpen = 0;
  let sheltersNoLine = 0;
  let sheltersNoEmergency = 0;
  let postersOutOfDate = 0;
  // Only working lines count: a number in service on a dead carrier carries no call.
  let linesWorking = 0;
  for (const s of data.shelters.values()) {
    if (s.desiredStatus !== 'open') continue;
    if (s.actualStatus === 'open' || s.actualStatus === 'degraded' || s.actualStatus === 'no_line') sheltersOpen++;
    if (!s.service) continue;
    linesWorking += s.service.workingLines;
    if (s.service.workingLines === 0) sheltersNoLine++;
    if (!s.service.emergencyCapable) sheltersNoEmergency++;
    if (s.lastPrint?.outOfDate) postersOutOfDate++;
  }
  const available = new Map<string, number>();
  for (const n of data.numbers.values()) {
    if (n.state === 'available') available.set(n.carrierId, (available.get(n.carrierId) ?? 0) + 1);
  }
  let handsetsSeen = 0;
  for (const h of data.handsets.values()) if (h.status === 'active' && h.lastSeenAt && now.getTime() - Date.parse(h.lastSeenAt) < DAY) handsetsSeen++;
  let activeCalls = 0;
  for (const c of data.calls.values()) if (!c.endedAt && ['ringing', 'in-progress', 'queued', 'initiated'].includes(c.status)) activeCalls++;
  const perCarrier = [...data.carriers.values()].map((c) => ({ id: c.id, name: c.name, health: c.health, available: available.get(c.id) ?? 0, usable: c.health !== 'down' }));
  // What holds now, apart from what is over (a resolved episode, a notice such as "back up"): the past never reads as the present.
  const unseen = [...data.alerts.values()].filter((a) => !a.acknowledged).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const alerts = unseen.filter((a) => !a.resolvedAt);
  const resolvedAlerts = unseen.filter((a) => a.resolvedAt).sort((a, b) => b.resolvedAt!.localeCompare(a.resolvedAt!));
  return { sheltersNoLine, sheltersNoEmergency, postersOutOfDate, sheltersOpen, sheltersTotal: data.shelters.size, linesWorking, handsetsSeen, activeCalls, perCarrier, alerts, resolvedAlerts };
}
