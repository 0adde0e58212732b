import QRCode from 'qrcode';
import { provisioningFileUrl, type HandsetProvisioningView } from './provisioning-view.js';
import { SOFTPHONE_ACCOUNT_FILE } from './vendors/softphone.js';

/**
 * What the QR code says: the URL of the handset's Linphone `account.xml`. Linphone's
 * "fetch remote configuration" scans exactly this; a URL keeps the code small and lets a
 * printed poster survive a password change, since the file is rendered at fetch time.
 */
export function qrText(view: HandsetProvisioningView): string {
  return provisioningFileUrl(view, SOFTPHONE_ACCOUNT_FILE);
}

// Medium error correction survives a creased or smudged poster; 4 modules of quiet zone is the standard's minimum.
const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

export function qrPng(view: HandsetProvisioningView): Promise<Buffer> {
  return QRCode.toBuffer(qrText(view), { ...OPTIONS, type: 'png', scale: 8 });
}

export function qrSvg(view: HandsetProvisioningView): Promise<string> {
  return QRCode.toString(qrText(view), { ...OPTIONS, type: 'svg' });
}
