import sharp from 'sharp';

const escapeXml = (s: string) =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

/**
 * A plausible pupil desktop (window frame, title, a few lines of text) as a JPEG, so the captures in
 * browser tests and the documentation screenshots look like what a moderator really sees.
 */
export async function fakeScreen(title: string, lines: string[], accent = '#3b6ea5'): Promise<Buffer> {
  const text = lines
    .map((l, i) => `<text x="90" y="${190 + i * 44}" font-size="26" fill="#222">${escapeXml(l)}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="720">
    <rect width="1280" height="720" fill="#2d5a7b"/>
    <rect x="50" y="40" width="1180" height="620" rx="6" fill="#ffffff"/>
    <rect x="50" y="40" width="1180" height="48" rx="6" fill="${accent}"/>
    <text x="74" y="72" font-size="22" fill="#fff" font-family="DejaVu Sans">${escapeXml(title)}</text>
    <g font-family="DejaVu Sans">${text}</g>
    <rect x="0" y="680" width="1280" height="40" fill="#1b1f24"/>
    <text x="1180" y="707" font-size="18" fill="#ddd" font-family="DejaVu Sans">10:42</text>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}
