import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';

/** A Unicode font when the system has one (pupils' text is not Latin-1); else the PDF built-in. */
const FONT_CANDIDATES = {
  regular: [
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    '/Library/Fonts/Arial Unicode.ttf',
    'C:\\Windows\\Fonts\\arial.ttf',
  ],
  bold: ['/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf', 'C:\\Windows\\Fonts\\arialbd.ttf'],
  mono: ['/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf', 'C:\\Windows\\Fonts\\consola.ttf'],
};

export type Pdf = PDFKit.PDFDocument;

export function createPdf(title: string): Pdf {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: title, Producer: 'Kestrel', Creator: 'Kestrel' },
  });
  const regular = FONT_CANDIDATES.regular.find((f) => existsSync(f));
  const bold = FONT_CANDIDATES.bold.find((f) => existsSync(f));
  doc.registerFont('body', regular ?? 'Helvetica');
  doc.registerFont('heading', bold ?? regular ?? 'Helvetica-Bold');
  doc.registerFont('mono', FONT_CANDIDATES.mono.find((f) => existsSync(f)) ?? 'Courier');
  doc.font('body');
  return doc;
}

/** Ends the document and resolves with its bytes. */
export function finishPdf(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Text from agents is hostile: control characters become spaces, length is bounded. */
export function safeText(value: string | null | undefined, max = 2_000): string {
  if (value === null || value === undefined) return '';
  let out = '';
  for (const ch of value.slice(0, max)) {
    const code = ch.codePointAt(0) ?? 0;
    out += code < 0x20 && ch !== '\n' ? ' ' : code === 0x7f ? ' ' : ch;
  }
  return out;
}

export function heading(doc: Pdf, text: string, size = 14) {
  doc.moveDown(0.6).font('heading').fontSize(size).text(text).font('body').fontSize(10).moveDown(0.2);
}

/** A two-column list of labelled values. */
export function fields(doc: Pdf, rows: ([string, string] | [string, string, 'mono'])[]) {
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  for (const [label, value, style] of rows) {
    const y = doc.y;
    doc.font('heading').fontSize(9).text(label, left, y, { width: 140 });
    // Hashes in a small fixed-width face, so that 64 hex digits stay on one line for comparison.
    if (style === 'mono') doc.font('mono').fontSize(7.5);
    else doc.font('body').fontSize(10);
    doc.text(value === '' ? '—' : value, left + 150, y, { width: width - 150 });
    doc.font('body').fontSize(10);
    doc.x = left;
  }
}
