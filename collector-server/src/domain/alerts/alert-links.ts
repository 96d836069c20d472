/** Links in alerts point into the web UI; the reader signs in before seeing anything. */
export function captureLink(publicUrl: string, captureId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/captures/${encodeURIComponent(captureId)}`;
}

export function queueLink(publicUrl: string, schoolId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/queue?school=${encodeURIComponent(schoolId)}`;
}

export function preferencesLink(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/alerts`;
}
