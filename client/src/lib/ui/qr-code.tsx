import { useEffect, useState } from 'react';

/** A QR code drawn in the browser as SVG, so nothing secret goes to any other server. */
export function QrCode({ text, label, size = 160 }: { text: string; label: string; size?: number }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // The encoder loads only when a QR code is drawn, outside the board's first load.
    import('qrcode')
      .then(({ default: QRCode }) => QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }))
      .then((s) => live && setSvg(s), () => live && setSvg(null));
    return () => {
      live = false;
    };
  }, [text]);
  if (!svg) return null;
  return <img className="qr" width={size} height={size} alt={label} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} />;
}
