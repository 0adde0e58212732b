import iconv from 'iconv-lite';
import { MalformedCsvError } from './csv-errors.js';

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'shift_jis';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(input: Buffer, bytes: number[]): boolean {
  return bytes.every((b, i) => input[i] === b);
}

/** Strict UTF-8 first (Japanese Shift_JIS text is almost never valid UTF-8), else Shift_JIS (CP932). */
export function decodeCsvBytes(input: Buffer): { encoding: CsvEncoding; text: string } {
  if (startsWith(input, [0xff, 0xfe]) || startsWith(input, [0xfe, 0xff])) {
    throw new MalformedCsvError('the file is UTF-16; save it as CSV in UTF-8 or Shift_JIS');
  }
  const hasBom = startsWith(input, UTF8_BOM);
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(hasBom ? input.subarray(3) : input);
    return { encoding: hasBom ? 'utf-8-bom' : 'utf-8', text };
  } catch {
    // iconv-lite's Shift_JIS table is CP932, so Windows extras such as ① and 髙 decode too.
    return { encoding: 'shift_jis', text: iconv.decode(input, 'Shift_JIS') };
  }
}
