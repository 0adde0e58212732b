import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrPng, qrSvg, qrText, resolveProvisioningFile } from '../../provisioning/handsets/index.js';
import { aView } from './handset-fixtures.js';

// pngjs is qrcode's own PNG codec; reading the image back proves the pixels, not just the header.
const { PNG } = createRequire(import.meta.url)('pngjs') as {
  PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } };
};

const MARGIN = 4;

function expectedModules(text: string): { size: number; dark: (r: number, c: number) => boolean } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: qr.modules.size, dark: (r, c) => !!qr.modules.get(r, c) };
}

/** Dark modules from qrcode's SVG path: per row, `M x y` or `m dx 0` moves, then `h n` runs. */
function modulesFromSvgPath(d: string): Set<string> {
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of d.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    const n = Number(a);
    if (cmd === 'M') [x, y] = [n, Math.floor(Number(b))];
    else if (cmd === 'm') x += n;
    else for (let i = 0; i < n; i++) dark.add(`${y - MARGIN},${x++ - MARGIN}`);
  }
  return dark;
}

describe('softphone QR code', () => {
  const view = aView({ vendor: 'softphone', mac: '02aabbccddee' });

  it('encodes the URL of the handset’s Linphone account file', async () => {
    expect(qrText(view)).toBe('https://orch.example.jp/p/tok_abcdef/account.xml');
    expect(qrText(aView({ provisioningUrl: 'https://orch.example.jp/p/tok_abcdef' }))).toBe(
      'https://orch.example.jp/p/tok_abcdef/account.xml',
    );
  });

  it('draws a PNG whose dark pixels are exactly the modules of that text', async () => {
    const png = await qrPng(view);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const img = PNG.sync.read(png);
    const want = expectedModules(qrText(view));
    const scale = img.width / (want.size + 2 * MARGIN);
    expect(Number.isInteger(scale)).toBe(true);
    for (let r = 0; r < want.size; r++) {
      for (let c = 0; c < want.size; c++) {
        const px = ((MARGIN + r) * scale + scale / 2) * img.width + (MARGIN + c) * scale + scale / 2;
        const isDark = (img.data[Math.floor(px) * 4] ?? 255) < 128;
        expect(isDark, `module ${r},${c}`).toBe(want.dark(r, c));
      }
    }
  });

  it('draws an SVG path whose runs are exactly the modules of that text', async () => {
    const svg = await qrSvg(view);
    const want = expectedModules(qrText(view));
    expect(svg).toContain(`viewBox="0 0 ${want.size + 2 * MARGIN} ${want.size + 2 * MARGIN}"`);
    const paths = [...svg.matchAll(/<path stroke="#000000" d="([^"]+)"/g)].map((m) => m[1]!);
    expect(paths).toHaveLength(1);
    const dark = modulesFromSvgPath(paths[0]!);
    for (let r = 0; r < want.size; r++) {
      for (let c = 0; c < want.size; c++) expect(dark.has(`${r},${c}`), `module ${r},${c}`).toBe(want.dark(r, c));
    }
  });

  it('is served as qr.png and qr.svg for a desk phone too, for the shelter poster', async () => {
    const png = await resolveProvisioningFile(aView(), 'qr.png', undefined);
    expect(png).toMatchObject({ ok: true, contentType: 'image/png' });
    expect(png.ok && Buffer.isBuffer(png.body)).toBe(true);
    const svg = await resolveProvisioningFile(aView(), 'qr.svg', undefined);
    expect(svg).toMatchObject({ ok: true, contentType: 'image/svg+xml; charset=utf-8' });
  });
});
