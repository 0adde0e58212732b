import { exportSheltersCsv } from '../../provisioning/shelters/export-shelters.js';
import { z } from 'zod';
import { defineRoute, roles, VIEWER_PLUS } from '../http/route.js';
import { Id, PatchShelterInput, RecordedPrints, RecordPrintInput, ShelterInput, SheltersQuery, ShelterUpsertResult, Shelter, ImportReport, pageOf, ShelterDetail, SHELTER_CSV_DESCRIPTION, ShelterContactInput } from '../../provisioning/model/index.js';
import { recordCheckIn, updateShelterContact } from '../../provisioning/shelters/shelter-contact.js';
import { recordDirectoryPrint, recordPrints } from '../../provisioning/shelters/record-print.js';
import { projectShelterDetail } from '../../provisioning/access/projections.js';
import { getShelterDetail, importShelters, listShelters, patchShelter, upsertShelter } from '../../provisioning/shelters/registry.js';

export const shelterRoutes = [
  defineRoute({
    method: 'post', path: '/api/v1/prints', access: roles('admin', 'coordinator'), area: 'filtered', summary: 'Record the posters (`shelterIds`) or the municipality phone directory (`municipalityCode`) about to be printed, so the board knows when one goes out of date', tags: ['shelters'],
    body: RecordPrintInput,
    responses: { 201: { description: 'recorded: what each shelter’s poster or directory row shows', schema: RecordedPrints }, 404: { description: 'unknown shelter' }, 409: { description: 'a shelter is not open, or none is open in the municipality' } },
    handler: async ({ body, principal, deps, now }) => {
      const ctx = { actor: principal!, scope: principal!.scope, at: now };
      return { status: 201, body: 'shelterIds' in body ? await recordPrints(deps.store, body.shelterIds, ctx) : await recordDirectoryPrint(deps.store, body.municipalityCode, ctx) };
    },
  }),
  defineRoute({
    method: 'post', path: '/api/v1/shelters', access: roles('admin', 'coordinator'), area: 'filtered', summary: 'Create or update one shelter (keyed by its open-data ID)', tags: ['shelters'],
    body: ShelterInput,
    responses: { 200: { description: 'updated or unchanged', schema: ShelterUpsertResult }, 201: { description: 'created', schema: ShelterUpsertResult } },
    handler: async ({ body, principal, deps, now }) => {
      const r = await upsertShelter(deps.store, body, { actor: principal!, scope: principal!.scope, at: now });
      return { status: r.status === 'created' ? 201 : 200, body: { status: r.status, shelter: r.shelter, warnings: r.warnings } };
    },
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/shelters/:id', access: roles('admin', 'coordinator'), area: { bound: 'shelters' }, summary: 'Update the evacuee count or the lines a shelter wants (a reopening job applies new lines)', tags: ['shelters'],
    params: z.object({ id: Id }), body: PatchShelterInput,
    responses: { 200: { description: 'updated', schema: Shelter }, 404: { description: 'no such shelter' } },
    handler: async ({ params, body, principal, deps, now }) => ({ status: 200, body: await patchShelter(deps.store, params.id, body, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'patch', path: '/api/v1/shelters/:id/contact', access: roles('admin', 'coordinator'), area: { bound: 'shelters' }, summary: 'Set the shelter\'s contact person, phone and notes (audited with before and after; an empty string or null clears a field)', tags: ['shelters'],
    params: z.object({ id: Id }), body: ShelterContactInput,
    responses: { 200: { description: 'updated (or unchanged)', schema: Shelter }, 404: { description: 'no such shelter' } },
    handler: async ({ params, body, principal, deps, now }) => ({ status: 200, body: await updateShelterContact(deps.store, params.id, body, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/shelters/:id/check-ins', access: roles('admin', 'coordinator'), area: { bound: 'shelters' }, summary: 'Record that a coordinator checked in with the shelter now (the server\'s clock; audited)', tags: ['shelters'],
    params: z.object({ id: Id }),
    responses: { 201: { description: 'recorded; the shelter with its last check-in', schema: Shelter }, 404: { description: 'no such shelter' } },
    handler: async ({ params, principal, deps, now }) => ({ status: 201, body: await recordCheckIn(deps.store, params.id, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'post', path: '/api/v1/shelters/import', access: roles('admin', 'coordinator'), area: 'filtered',
    summary: 'Import shelters from open data CSV (自治体標準 or GSI layouts; UTF-8, UTF-8 with BOM or Shift_JIS); per-row report', tags: ['shelters'],
    csvOnly: true, csv: true, bodyDescription: SHELTER_CSV_DESCRIPTION,
    csvExample: 'ID,名称,所在地_全国地方公共団体コード,所在地_連結表記,緯度,経度,想定収容人数\n172022-0001,七尾市立中島小学校,172022,石川県七尾市中島町中島,37.1405,136.8487,300\n',
    responses: { 200: { description: 'per-row report', schema: ImportReport } },
    handler: async ({ csv, principal, deps, now }) => ({ status: 200, body: await importShelters(deps.store, csv!, { actor: principal!, scope: principal!.scope, at: now }) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/shelters', access: roles(...VIEWER_PLUS), area: 'filtered', summary: 'List shelters', tags: ['shelters'],
    query: SheltersQuery,
    responses: { 200: { description: 'a page of shelters', schema: pageOf(Shelter) } },
    handler: async ({ query, principal, deps }) => ({ status: 200, body: await listShelters(deps.store, query, principal!) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/exports/shelters.csv', access: roles(...VIEWER_PLUS), area: 'filtered', summary: 'Every shelter with its numbers and status as CSV (UTF-8 with BOM, CRLF: opens in Excel)', tags: ['shelters'],
    responses: { 200: { description: 'the CSV', schema: z.string(), contentType: 'text/csv' } },
    handler: async ({ principal, deps, now }) => ({
      status: 200,
      contentType: 'text/csv; charset=utf-8',
      headers: { 'Content-Disposition': `attachment; filename="shelters-${now.toISOString().slice(0, 10)}.csv"` },
      body: await exportSheltersCsv(deps.store, principal!),
    }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/shelters/:id', access: roles(...VIEWER_PLUS), area: { bound: 'shelters' }, summary: 'One shelter with its numbers, handsets, short code and job progress', tags: ['shelters'],
    params: z.object({ id: Id }),
    responses: { 200: { description: 'the shelter (a viewer gets only its published numbers and no handsets)', schema: ShelterDetail }, 404: { description: 'no such shelter' } },
    handler: async ({ params, principal, deps }) => ({ status: 200, body: projectShelterDetail(principal!.role, await getShelterDetail(deps.store, params.id)) }),
  }),
];
