import type { Collections, Role } from '../../provisioning/model/index.js';
import { BOARD_COLLECTIONS, isBoardCollection, projectForRole, type BoardCollection } from '../../provisioning/access/projections.js';
import { lendingEligibility } from '../../provisioning/compliance/certification.js';

export { BOARD_COLLECTIONS, isBoardCollection, type BoardCollection };

export interface ViewContext {
  now: Date;
  etocGraceDays: number;
}

/** The form a document takes on a role's board: the same projection its REST reads use; null = not shown. */
export function boardView<C extends BoardCollection>(role: Role, collection: C, doc: Collections[C], ctx: ViewContext): unknown | null {
  return projectForRole(role, collection, doc, { carrierEligibility: (c) => lendingEligibility(c, ctx.now, { etocGraceDays: ctx.etocGraceDays }) });
}
