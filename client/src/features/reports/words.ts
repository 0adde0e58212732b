import type { Words } from '../../lib/words.js';

/** Words of the anti-fraud view: the public's reports and the holds they made. */
export const reportWords = {
  fraudHelp: ['申告窓口に寄せられた不審な電話の申告と、それにより発信を制限した避難所です。申告窓口：', 'Reports of suspicious calls from the public reporting window, and the shelters they held. Reporting window:'],
  fraudHolds: ['発信制限中の避難所', 'Shelters with held outbound calls'],
  noFraudHolds: ['発信制限中の避難所はありません', 'No shelter is held'],
  outboundRestricted: ['{number} への信頼できる申告により、{since} から発信を緊急通報と短縮番号に制限中', 'Outbound limited to emergency numbers and short codes since {since} after credible reports about {number}'],
  newLinesRefused: ['{number} を詐欺により利用停止。端末 {handsets} 台を失効、新たな発信用番号の提供を拒否中', '{number} suspended for fraud; {handsets} handset(s) revoked; no new outbound line'],
  reviewNote: ['確認の記録', 'Review note'],
  reviewedOnBoard: ['ボードで確認済み', 'reviewed on the board'],
  reviewRestriction: ['確認して制限を解除', 'Reviewed: lift the restriction'],
  reviewRefusal: ['確認して番号提供を再開（管理者）', 'Reviewed: allow new lines (admin)'],
  reports: ['申告', 'Reports'],
  calledAt: ['着信日時', 'Call received'],
  reportedWords: ['申告内容', 'What was said'],
  heldBy: ['当時の利用者', 'Held by then'],
  triage: ['判定', 'Triage'],
  handsetsCalled: ['端末 {n} 台・通話 {calls} 件', '{n} handset(s), {calls} call(s)'],
  'report.received': ['未判定', 'Received'],
  'report.credible': ['信頼できる', 'Credible'],
  'report.not_credible': ['信頼できない', 'Not credible'],
  'report.needs_info': ['要追加情報', 'Needs info'],
  'report.suspended': ['利用停止済み', 'Suspended'],
  suspendFromReport: ['申告 {id} に基づく利用停止', 'suspension from report {id}'],
  suspendReportConfirm: ['申告された番号 {number} を利用停止します。発信した端末は失効し、避難所には管理者の確認まで新たな発信用番号を提供しません。', 'Suspend the reported number {number}: the handsets that called on it are revoked and the shelter gets no new outbound line until an admin review.'],
} satisfies Words;
