/** Longitude/latitude box → SVG coordinates, equirectangular scaled by cos(latitude): true enough at city scale. */
export interface Box {
  minLon: number;
  maxLon: number;
  minLat: number;
  maxLat: number;
}

export function fitBox(points: Array<[number, number]>, marginRatio = 0.08): Box {
  if (points.length === 0) throw new Error('fitBox needs at least one point');
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const box = { minLon: Math.min(...lons), maxLon: Math.max(...lons), minLat: Math.min(...lats), maxLat: Math.max(...lats) };
  const dLon = Math.max(box.maxLon - box.minLon, 0.01) * marginRatio;
  const dLat = Math.max(box.maxLat - box.minLat, 0.01) * marginRatio;
  return { minLon: box.minLon - dLon, maxLon: box.maxLon + dLon, minLat: box.minLat - dLat, maxLat: box.maxLat + dLat };
}

export function projector(box: Box, width: number) {
  const k = Math.cos((((box.minLat + box.maxLat) / 2) * Math.PI) / 180);
  const scale = width / ((box.maxLon - box.minLon) * k);
  const height = (box.maxLat - box.minLat) * scale;
  return {
    width,
    height,
    project: (lon: number, lat: number): [number, number] => [(lon - box.minLon) * k * scale, (box.maxLat - lat) * scale],
  };
}
