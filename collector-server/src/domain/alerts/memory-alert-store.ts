import type { Category } from '@kestrel/shared/protocol';
import type { AlertCapture, AlertStore, DeliveryKey, StaffRecipient } from './alert-ports.js';
import type { AlertPreferences, AlertRule } from './alert-rules.js';

/** In-memory alert storage for domain tests. */
export class MemoryAlertStore implements AlertStore {
  captures: AlertCapture[] = [];
  rules = new Map<string, AlertRule>();
  prefs = new Map<string, AlertPreferences>();
  deliveries = new Set<string>();
  digests = new Map<string, string>();
  schoolRows: { id: string; name: string; timeZone: string }[] = [];
  staff = new Map<string, StaffRecipient[]>();

  async rule(schoolId: string) {
    return this.rules.get(schoolId);
  }
  async setRule(schoolId: string, rule: AlertRule) {
    this.rules.set(schoolId, rule);
  }
  async preferences(userId: string) {
    return this.prefs.get(userId);
  }
  async setPreferences(userId: string, prefs: AlertPreferences) {
    this.prefs.set(userId, prefs);
  }
  async capturesReceivedSince(since: string, limit: number) {
    return this.captures.filter((c) => c.receivedAt >= since).slice(0, limit);
  }
  async delivered(k: DeliveryKey) {
    return this.deliveries.has(`${k.captureId}|${k.channel}|${k.recipient}`);
  }
  async recordDelivery(k: DeliveryKey) {
    this.deliveries.add(`${k.captureId}|${k.channel}|${k.recipient}`);
  }
  async lastDigest(userId: string) {
    return this.digests.get(userId);
  }
  async setLastDigest(userId: string, at: string) {
    this.digests.set(userId, at);
  }
  async countsSince(schoolId: string, since: string) {
    const counts = new Map<Category, number>();
    for (const c of this.captures) {
      if (c.schoolId === schoolId && c.receivedAt >= since)
        counts.set(c.category, (counts.get(c.category) ?? 0) + 1);
    }
    return [...counts].map(([category, count]) => ({ category, count }));
  }
  async schools() {
    return this.schoolRows;
  }
  async staffOf(schoolId: string) {
    return this.staff.get(schoolId) ?? [];
  }
}
