export { normalizeMac, macFromUserAgent, formatMac, pseudoMacFor, type MacResult } from './mac.js';
export {
  HandsetProvisioningView,
  SipAccountView,
  InvalidProvisioningView,
  checkProvisioningView,
  primaryAccount,
  backupAccount,
} from './provisioning-view.js';
export { fileNamesFor, resolveProvisioningFile, type ProvisioningFileResult } from './provisioning-files.js';
export { qrText, qrPng, qrSvg } from './qr.js';
export { renderYealinkConfig } from './vendors/yealink.js';
export { renderGrandstreamConfig } from './vendors/grandstream.js';
export { renderPolycomMaster, renderPolycomParams } from './vendors/polycom.js';
export { renderSoftphoneAccount, SOFTPHONE_ACCOUNT_FILE } from './vendors/softphone.js';
