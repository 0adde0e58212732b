import { describe, expect, it } from 'vitest';
import type { PhoneNumber, Shelter } from '../../../../provisioning/model/index.js';
import { filterShelters, numbersByShelter } from './shelter-filter.js';

const s = (id: string, name: string, kana: string, actualStatus: Shelter['actualStatus'], extra: Partial<Shelter> = {}) => ({ id, name, kana, actualStatus, address: '石川県七尾市', evacuees: null, shortCode: null, ...extra }) as Shelter;
const rows = [
  s('1', '七尾中学校', 'ナナオチュウガッコウ', 'open', { shortCode: '5623', evacuees: 120 }),
  s('2', '和倉小学校', 'ワクラショウガッコウ', 'closed'),
  s('3', '能登島小学校', 'ノトジマショウガッコウ', 'error', { evacuees: 30 }),
];

describe('the shelters table', () => {
  it('finds a shelter by name, kana (typed in hiragana too) or short code', () => {
    expect(filterShelters(rows, { text: '和倉', status: 'all', sort: 'name', desc: false }).map((r) => r.id)).toEqual(['2']);
    expect(filterShelters(rows, { text: 'のとじま', status: 'all', sort: 'name', desc: false }).map((r) => r.id)).toEqual(['3']);
    expect(filterShelters(rows, { text: '5623', status: 'all', sort: 'name', desc: false }).map((r) => r.id)).toEqual(['1']);
  });

  it('puts shelters in trouble first when sorted by status, and filters by status', () => {
    expect(filterShelters(rows, { text: '', status: 'all', sort: 'status', desc: false }).map((r) => r.id)).toEqual(['3', '1', '2']);
    expect(filterShelters(rows, { text: '', status: 'closed', sort: 'name', desc: false }).map((r) => r.id)).toEqual(['2']);
    expect(filterShelters(rows, { text: '', status: 'all', sort: 'evacuees', desc: true }).map((r) => r.id)).toEqual(['1', '3', '2']);
  });

  it('lists only numbers a shelter holds now, not aging or available ones', () => {
    const n = (id: string, shelterId: string | null, state: PhoneNumber['state']) => ({ id, e164: id, shelterId, state }) as PhoneNumber;
    const m = numbersByShelter([n('+81767520100', '1', 'in_service'), n('+81767520101', '1', 'aging'), n('+81767520102', null, 'available'), n('+81767520103', '3', 'reserved')]);
    expect(m.get('1')?.map((x) => x.id)).toEqual(['+81767520100']);
    expect(m.get('3')?.map((x) => x.id)).toEqual(['+81767520103']);
  });
});
