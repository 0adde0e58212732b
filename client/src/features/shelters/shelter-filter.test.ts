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

  it('matches the abbreviations people type: 高校 ↔ 高等学校, 小 ↔ 小学校, 中 ↔ 中学校', () => {
    const schools = [
      s('t', '石川県立田鶴浜高等学校', 'イシカワケンリツタツルハマコウトウガッコウ', 'closed'),
      s('n', '七尾高校体育館', 'ナナオコウコウタイイクカン', 'closed'),
      s('w', '和倉小体育館', 'ワクラショウタイイクカン', 'closed'),
      s('c', '中島中学校', 'ナカジマチュウガッコウ', 'closed'),
      s('k', '小松市民センター', 'コマツシミンセンター', 'closed'),
    ];
    const find = (text: string) => filterShelters(schools, { text, status: 'all', sort: 'name', desc: false }).map((r) => r.id).sort();
    expect(find('田鶴浜高校')).toEqual(['t']);
    expect(find('たつるはまこうこう')).toEqual(['t']);
    expect(find('田鶴浜')).toEqual(['t']);
    expect(find('七尾高等学校')).toEqual(['n']);
    expect(find('和倉小学校')).toEqual(['w']);
    expect(find('中島中')).toEqual(['c']);
    expect(find('中島中学校')).toEqual(['c']);
    // 小 and 中 alone are the start of many names: typed alone they are not read as 小学校 / 中学校.
    expect(find('小学校')).toEqual([]);
    expect(find('中学校')).toEqual(['c']);
    expect(find('高校')).toEqual(['n', 't']);
  });

  it('matches whatever the width, kana or spacing: full-width, half-width katakana, hiragana, spaces, dashes', () => {
    const rows2 = [
      s('a', '七尾サンライフプラザ', 'ナナオサンライフプラザ', 'closed', { address: '石川県七尾市本府中町ソ27-1' }),
      s('b', '霞ヶ丘公民館', 'カスミガオカコウミンカン', 'closed', { address: '石川県七尾市霞ケ丘1-2' }),
      s('c', 'ＡＢＣホール', undefined as unknown as string, 'closed', { address: '石川県七尾市藤橋町辰部５２－１' }),
    ];
    const find = (text: string) => filterShelters(rows2, { text, status: 'all', sort: 'name', desc: false }).map((r) => r.id).sort();
    expect(find('ｻﾝﾗｲﾌ')).toEqual(['a']);
    expect(find('さんらいふ')).toEqual(['a']);
    expect(find('ＳＡＮ')).toEqual([]);
    expect(find('abc')).toEqual(['c']);
    expect(find('ABCホール')).toEqual(['c']);
    expect(find('辰部52-1')).toEqual(['c']);
    expect(find('霞ケ丘')).toEqual(['b']);
    expect(find('七尾 プラザ')).toEqual(['a']);
    expect(find('七尾　サンライフ　プラザ')).toEqual(['a']);
    expect(find('七尾 ホール')).toEqual(['c']);
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
