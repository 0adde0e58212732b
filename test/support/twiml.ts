import { XMLParser } from 'fast-xml-parser';

/** One TwiML verb or noun, in document order. */
export interface Verb {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Verb[];
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false, trimValues: true });

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

function toVerbs(nodes: Node[]): Verb[] {
  const out: Verb[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (!name || name === '#text' || name === '?xml') continue;
    const kids = (node[name] as Node[]) ?? [];
    out.push({
      name,
      attrs: node[':@'] ?? {},
      text: kids.filter((k) => '#text' in k).map((k) => String(k['#text'])).join(''),
      children: toVerbs(kids),
    });
  }
  return out;
}

/** The verbs inside `<Response>`; throws when the document is not a TwiML response. */
export function parseTwiml(xml: string): Verb[] {
  const doc = parser.parse(xml) as Node[];
  const response = doc.find((n) => 'Response' in n);
  if (!response) throw new Error(`not a TwiML <Response>: ${xml.slice(0, 200)}`);
  return toVerbs(response.Response as Node[]);
}

/** Verb names in order, e.g. ['Say', 'Say', 'Hangup']. */
export const names = (verbs: Verb[]): string[] => verbs.map((v) => v.name);
