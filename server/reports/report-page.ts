/** The public reporting window's pages: plain HTML that works without JavaScript, Japanese first. */
import { createHash } from 'node:crypto';

export interface FormValues {
  number?: string;
  calledAt?: string;
  description?: string;
  contact?: string;
}

export interface FieldProblem {
  path: string;
  message: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE = `body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.6;color:#111}
label{display:block;font-weight:bold;margin-top:1rem}.en{font-weight:normal;color:#444;font-size:.9em}
input,textarea{width:100%;font-size:1rem;padding:.4rem;box-sizing:border-box;border:2px solid #555}
input:focus,textarea:focus,button:focus{outline:3px solid #0a58ca;outline-offset:2px}
.err{color:#a00;font-weight:bold}.summary{border:3px solid #a00;padding:.5rem 1rem}
button{margin-top:1.5rem;font-size:1.1rem;padding:.6rem 1.5rem}`;

/**
 * The pages' policy: no script at all, only their own inline style (by its hash), forms post only
 * back here, nobody frames them (a framed form invites clickjacking of a report).
 */
export const REPORT_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main></body>
</html>
`;
}

const FIELDS = [
  { name: 'number', ja: '電話をかけてきた番号', en: 'The number that called you', hint: '例: 0767-52-0959', input: 'tel', required: true },
  { name: 'calledAt', ja: '電話を受けた日時', en: 'When you received the call (Japan time)', hint: '例: 2024-01-09T10:15', input: 'datetime-local', required: true },
  { name: 'description', ja: '言われた内容', en: 'What was said', hint: 'できるだけ具体的に (2000文字まで)', input: 'textarea', required: true },
  { name: 'contact', ja: 'ご連絡先 (任意)', en: 'Your contact, optional', hint: '電話番号かメールアドレス。総務省・警察と共有されることがあります', input: 'text', required: false },
] as const;

/** The form, with what the person typed and what was wrong with it when it came back. */
export function reportFormPage(values: FormValues = {}, problems: FieldProblem[] = [], notice?: string): string {
  const errorFor = (name: string) => problems.filter((p) => p.path === `body.${name}`).map((p) => p.message);
  const summary = problems.length
    ? `<div class="summary" role="alert" id="errors"><p class="err">入力内容を確認してください (please check the form):</p><ul>${problems
        .map((p) => `<li><a href="#${escapeHtml(p.path.replace(/^body\./, ''))}">${escapeHtml(p.message)}</a></li>`)
        .join('')}</ul></div>`
    : '';
  const fields = FIELDS.map((f) => {
    const errors = errorFor(f.name);
    const value = escapeHtml(values[f.name] ?? '');
    const describedBy = `${f.name}-hint${errors.length ? ` ${f.name}-error` : ''}`;
    const common = `id="${f.name}" name="${f.name}" aria-describedby="${describedBy}"${f.required ? ' required aria-required="true"' : ''}${errors.length ? ' aria-invalid="true"' : ''}`;
    const control =
      f.input === 'textarea'
        ? `<textarea ${common} rows="6" maxlength="2000">${value}</textarea>`
        : `<input ${common} type="${f.input}" value="${value}"${f.input === 'tel' ? ' autocomplete="off" inputmode="tel"' : ''}${f.name === 'contact' ? ' maxlength="200"' : ''}>`;
    return `<label for="${f.name}">${f.ja} <span class="en">${f.en}</span></label>
<p id="${f.name}-hint" class="en">${escapeHtml(f.hint)}</p>
${errors.length ? `<p id="${f.name}-error" class="err">${errors.map(escapeHtml).join(' ')}</p>` : ''}${control}`;
  }).join('\n');
  return page(
    '不審な電話の申告窓口 | Report a suspicious call',
    `<h1>不審な電話の申告窓口 <span class="en">Report a suspicious call</span></h1>
<p>避難所の電話番号 (クラウド電話) から詐欺などの不審な電話を受けた方は、こちらからお知らせください。申告は総務省と警察に共有されます。ログインは不要です。</p>
<p class="en">If a shelter phone number (a cloud phone) called you with a scam or another suspicious call, tell us here. Reports are shared with the Ministry of Internal Affairs and Communications and the police. No sign-in is needed.</p>
${notice ? `<p role="status">${escapeHtml(notice)}</p>` : ''}
${summary}
<form method="post" action="/report" accept-charset="utf-8" novalidate>
${fields}
<button type="submit">申告する <span class="en">Send report</span></button>
</form>
<p>緊急の場合は110番へ。<span class="en">In an emergency, call 110.</span></p>`,
  );
}

export function reportReceivedPage(receipt: { id: string; duplicate: boolean }): string {
  return page(
    '申告を受け付けました | Report received',
    `<div role="status"><h1>申告を受け付けました <span class="en">Your report was received</span></h1></div>
<p>${receipt.duplicate ? '同じ内容の申告はすでに受け付けています。' : 'ご協力ありがとうございます。内容を確認し、必要に応じて番号の利用停止などの措置をとります。'}</p>
<p class="en">${receipt.duplicate ? 'We had already received this report.' : 'Thank you. We will review it and act on the number where needed.'}</p>
<p>受付番号 (reference): <strong>${escapeHtml(receipt.id)}</strong></p>
<p><a href="/report">別の申告をする (send another report)</a></p>`,
  );
}

export function tooManyReportsPage(message: string): string {
  return page('申告が多すぎます | Too many reports', `<div role="alert"><h1>${escapeHtml(message)}</h1></div><p><a href="/report">申告窓口に戻る (back to the form)</a></p>`);
}
