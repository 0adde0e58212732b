import type { HandsetVendor } from '../model/handset.js';
import { macFromUserAgent, normalizeMac } from './mac.js';
import { checkProvisioningView, type HandsetProvisioningView } from './provisioning-view.js';
import { qrPng, qrSvg } from './qr.js';
import { grandstreamFileNames, renderGrandstreamConfig } from './vendors/grandstream.js';
import { polycomFileNames, polycomParamsFileName, renderPolycomMaster, renderPolycomParams } from './vendors/polycom.js';
import { renderSoftphoneAccount, SOFTPHONE_ACCOUNT_FILE } from './vendors/softphone.js';
import { renderYealinkConfig, yealinkFileNames } from './vendors/yealink.js';

export type ProvisioningFileResult =
  | { ok: true; contentType: string; body: string | Buffer; cacheSeconds: 0 }
  | { ok: false; status: 404 | 403; reason: string };

const XML = 'application/xml; charset=utf-8';
const QR_FILES = ['qr.png', 'qr.svg'] as const;

type Render = { contentType: string; render: (view: HandsetProvisioningView) => string | Promise<string | Buffer> };

/** Every file a handset may fetch: its vendor's own, the softphone account and the poster QR codes. */
export function fileNamesFor(vendor: HandsetVendor, mac: string): string[] {
  const m = normalizeMac(mac);
  if (!m.ok) throw new Error(m.reason);
  return [...vendorFileNames(vendor, m.mac), SOFTPHONE_ACCOUNT_FILE, ...QR_FILES];
}

function vendorFileNames(vendor: HandsetVendor, mac: string): string[] {
  switch (vendor) {
    case 'yealink':
      return yealinkFileNames(mac);
    case 'grandstream':
      return grandstreamFileNames(mac);
    case 'polycom':
      return polycomFileNames(mac);
    case 'softphone':
      return [];
  }
}

function renderers(view: HandsetProvisioningView): Map<string, Render> {
  const files = new Map<string, Render>();
  const text = 'text/plain; charset=utf-8';
  switch (view.vendor) {
    case 'yealink':
      files.set(`${view.mac}.cfg`, { contentType: text, render: renderYealinkConfig });
      break;
    case 'grandstream':
      files.set(`cfg${view.mac}.xml`, { contentType: XML, render: renderGrandstreamConfig });
      break;
    case 'polycom':
      files.set(`${view.mac}.cfg`, { contentType: XML, render: renderPolycomMaster });
      files.set(polycomParamsFileName(view.mac), { contentType: XML, render: renderPolycomParams });
      break;
    case 'softphone':
      break;
  }
  files.set(SOFTPHONE_ACCOUNT_FILE, { contentType: XML, render: renderSoftphoneAccount });
  files.set('qr.png', { contentType: 'image/png', render: qrPng });
  files.set('qr.svg', { contentType: 'image/svg+xml; charset=utf-8', render: qrSvg });
  return files;
}

/** Desk phones whose firmware names its MAC in the User-Agent: their secret-bearing files need it to. */
const MAC_IN_USER_AGENT = new Set<HandsetVendor>(['yealink', 'grandstream']);

/**
 * A desk phone's file carries its SIP password: a request that does not show it comes from that
 * phone (no User-Agent, or one naming no MAC) is refused. Polycom firmware never names its MAC,
 * so a Polycom file needs a Polycom User-Agent at least.
 */
function deskPhoneUserAgentRefusal(view: HandsetProvisioningView, name: string, userAgent: string | undefined, uaMac: string | null): ProvisioningFileResult | null {
  if ((QR_FILES as readonly string[]).includes(name) || view.vendor === 'softphone') return null;
  if (MAC_IN_USER_AGENT.has(view.vendor) && uaMac !== view.mac) {
    return { ok: false, status: 403, reason: `a ${view.vendor} file is served only to a User-Agent naming the handset's MAC` };
  }
  if (view.vendor === 'polycom' && !uaMac && !/polycom/i.test(userAgent ?? '')) {
    return { ok: false, status: 403, reason: 'a polycom file is served only to a Polycom User-Agent' };
  }
  return null;
}

/**
 * Answers a handset's `GET /p/{token}/{fileName}` once the caller has found the handset by its token.
 * Unknown names and files named for another MAC are 404; a User-Agent naming a different MAC is 403
 * (a UA naming none, as Polycom's and softphones' do, is accepted). Never cached: files carry secrets.
 * Async because PNG encoding is; throws InvalidProvisioningView if the view itself is unsafe.
 */
export async function resolveProvisioningFile(
  view: HandsetProvisioningView,
  fileName: string,
  userAgent: string | undefined,
): Promise<ProvisioningFileResult> {
  const checked = checkProvisioningView(view);
  // MACs in requested names arrive in either case (Polycom asks upper-case on some firmware).
  const name = fileName.toLowerCase();
  const file = renderers(checked).get(name);
  if (!file) {
    const named = /(?:^|[^0-9a-f])([0-9a-f]{12})(?![0-9a-f])/.exec(name)?.[1];
    const reason =
      named && named !== checked.mac
        ? `${fileName} is a file for another handset (MAC ${named})`
        : `${fileName} is not a provisioning file of this ${checked.vendor} handset`;
    return { ok: false, status: 404, reason };
  }
  const uaMac = userAgent ? macFromUserAgent(userAgent) : null;
  if (uaMac && uaMac !== checked.mac) {
    return { ok: false, status: 403, reason: `the User-Agent names MAC ${uaMac}, not this handset's ${checked.mac}` };
  }
  const refused = deskPhoneUserAgentRefusal(checked, name, userAgent, uaMac);
  if (refused) return refused;
  return { ok: true, contentType: file.contentType, body: await file.render(checked), cacheSeconds: 0 };
}
