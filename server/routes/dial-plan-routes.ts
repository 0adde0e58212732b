import { z } from 'zod';
import { defineRoute, roles } from '../http/route.js';
import { DialPlanSettings, Id, ListQuery, NaviDialSettingsInput, PrefectureCode, PublicCarrier, PutSpecialNumberTranslationInput, SetCarrierSpecialNumbersInput, SpecialNumberTranslation, pageOf } from '../../provisioning/model/index.js';
import { setCarrierSpecialNumbers } from '../../provisioning/carriers/registry.js';
import { deleteTranslation, getDialPlanSettings, listTranslations, putTranslation, setNaviDialRefusedPrefixes } from '../../provisioning/network/dial-plan-table.js';

const TranslationId = z.string().regex(/^(7119|8000|9110)-(0[1-9]|[1-3]\d|4[0-7])$/, 'expected the service digits and the prefecture, e.g. 7119-17').meta({ examples: ['7119-17'] });

/** The numbers evacuees dial beyond the ordinary: carrier capabilities, the translation table, 0570 settings. */
export const dialPlanRoutes = [
  defineRoute({
    method: 'put', path: '/api/v1/carriers/:id/special-numbers', access: roles('admin'), summary: 'Declare which special numbers (171, 188, 189, #7119, #8000, #9110) the carrier’s lines can dial; replaces the list, audited', tags: ['carriers'],
    params: z.object({ id: Id }), body: SetCarrierSpecialNumbersInput,
    responses: { 200: { description: 'the carrier with its new list', schema: PublicCarrier }, 404: { description: 'no such carrier' } },
    handler: async ({ params, body, principal, deps, now }) => {
      const carrier = await setCarrierSpecialNumbers({ store: deps.store, secrets: deps.secrets, etocGraceDays: deps.config.ORCH_ETOC_GRACE_DAYS }, params.id, body, { actor: principal!, at: now });
      deps.engine.carriers.invalidate(params.id);
      return { status: 200, body: carrier };
    },
  }),
  defineRoute({
    method: 'get', path: '/api/v1/dial-plan/translations', access: roles('admin', 'coordinator'), area: 'unbound', summary: 'The special-number translation table (#7119, #8000, #9110 × prefecture → an ordinary number, with its source); shipped empty', tags: ['dial plan'],
    query: ListQuery.extend({ prefecture: PrefectureCode.optional() }),
    responses: { 200: { description: 'a page of rows', schema: pageOf(SpecialNumberTranslation) } },
    handler: async ({ query, deps }) => ({ status: 200, body: await listTranslations(deps.store, query) }),
  }),
  defineRoute({
    method: 'put', path: '/api/v1/dial-plan/translations', access: roles('admin'), summary: 'Create or replace the row for a service and prefecture; the number must be an ordinary domestic one', tags: ['dial plan'],
    body: PutSpecialNumberTranslationInput,
    responses: { 200: { description: 'the row as stored (id: digits-prefecture, e.g. 7119-17)', schema: SpecialNumberTranslation }, 400: { description: 'the number is not an ordinary domestic number' } },
    handler: async ({ body, principal, deps, now }) => ({ status: 200, body: await putTranslation(deps.store, body, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'delete', path: '/api/v1/dial-plan/translations/:id', access: roles('admin'), summary: 'Remove a row; that prefecture’s callers get spoken guidance again', tags: ['dial plan'],
    params: z.object({ id: TranslationId }),
    responses: { 200: { description: 'the row that was removed', schema: SpecialNumberTranslation }, 404: { description: 'no such row' } },
    handler: async ({ params, principal, deps, now }) => ({ status: 200, body: await deleteTranslation(deps.store, params.id, { actor: principal!, at: now }) }),
  }),
  defineRoute({
    method: 'get', path: '/api/v1/dial-plan/navi-dial', access: roles('admin', 'coordinator'), area: 'unbound', summary: '0570 (ナビダイヤル) settings: the prefixes shelter phones may not call', tags: ['dial plan'],
    responses: { 200: { description: 'the settings (an empty list until a coordinator sets one)', schema: DialPlanSettings } },
    handler: async ({ deps, now }) => ({ status: 200, body: await getDialPlanSettings(deps.store, now) }),
  }),
  defineRoute({
    method: 'put', path: '/api/v1/dial-plan/navi-dial', access: roles('admin', 'coordinator'), area: 'national', summary: 'Replace the refused 0570 prefixes (0570 and up to 6 more digits); audited', tags: ['dial plan'],
    body: NaviDialSettingsInput,
    responses: { 200: { description: 'the settings as stored', schema: DialPlanSettings }, 400: { description: 'a prefix is not 0570 followed by at most 6 digits' } },
    handler: async ({ body, principal, deps, now }) => ({ status: 200, body: await setNaviDialRefusedPrefixes(deps.store, body, { actor: principal!, at: now }) }),
  }),
];
