import type { AlertStore, StaffRecipient } from './alert-ports.js';
import { defaultPreferences } from './alert-rules.js';
import type { AlertPreferences } from './alert-rules.js';

export async function preferencesOf(store: AlertStore, person: StaffRecipient): Promise<AlertPreferences> {
  return (await store.preferences(person.userId)) ?? defaultPreferences(person.roles);
}

/** Staff of the school who see captures there and asked for this kind of mail. */
export async function recipientsOf(
  store: AlertStore,
  schoolId: string,
  kind: 'urgent' | 'digest',
): Promise<{ person: StaffRecipient; prefs: AlertPreferences }[]> {
  const out: { person: StaffRecipient; prefs: AlertPreferences }[] = [];
  for (const person of await store.staffOf(schoolId)) {
    if (person.disabled) continue;
    // Governors and technical roles never receive alerts about pupils.
    if (!person.roles.some((r) => r === 'dsl' || r === 'moderator' || r === 'headteacher')) continue;
    const prefs = await preferencesOf(store, person);
    if (kind === 'urgent' ? prefs.urgentEmail : prefs.digest !== 'off') out.push({ person, prefs });
  }
  return out;
}
