import type { Words } from '../../lib/words.js';

/** Words of the offline shelter map. */
export const mapWords = {
  mapTitle: ['避難所の地図（オフライン）', 'Shelter map (offline)'],
  mapSource: ['避難所の位置: 七尾市 指定避難所オープンデータ（CC BY 4.0）。', 'Shelter positions: Nanao City designated-shelter open data (CC BY 4.0).'],
  legend: ['凡例', 'Legend'],
  mapZoom: ['表示範囲', 'Zoom'],
  mapPrefecture: ['県全体', 'Whole prefecture'],
  mapNational: ['全国', 'All Japan'],
  mapPrefectureChoice: ['都道府県を選ぶ…', 'Choose a prefecture…'],
  mapOpenShelters: ['開設中の避難所', 'Open shelters'],
  mapTown: ['市町村を拡大…', 'Zoom to a town…'],
  mapDetail: ['詳細を開く', 'Open the details'],
  mapCluster: ['{place}付近の{service}の避難所 {n} か所', '{n} shelters near {place}: {service}'],
  mapMore: ['ほか {n} か所（拡大すると選べます）', 'and {n} more (zoom in to pick one)'],
  mapZoomHere: ['この市町村を拡大', 'Zoom to this municipality'],
  mapUnlabelled: ['地図に名前を書ききれない市町村（押すと拡大）:', 'Municipalities not named on the map (press to zoom):'],
} satisfies Words;
