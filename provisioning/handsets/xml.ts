// Runtime code may not depend on fast-xml-parser (a dev dependency); these five entities are all XML needs.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for an XML element body or a quoted attribute value. */
export function escapeXml(value: string | number): string {
  const s = String(value);
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s)) {
    throw new Error('a control character cannot be written to XML');
  }
  // CR, LF and TAB would be normalised away inside attributes: keep them as character references.
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c).replace(/[\r\n\t]/g, (c) => `&#${c.charCodeAt(0)};`);
}
