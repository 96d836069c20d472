/**
 * The seeds' actions taken on an incident and how each reads. Free of imports, so that the server
 * (validation, PDFs) and the browser bundle (`ui/workflow`) share one list.
 */
export const ACTION_KINDS = [
  'police-informed',
  'lado-contacted',
  'social-care-referral',
  'parents-informed',
  'device-confiscated',
  'account-disabled',
  'sanction',
  'support',
  'ceop-or-iwf-report',
  'governors-informed',
  'hr-advice',
  'other',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const ACTION_LABELS: Readonly<Record<ActionKind, string>> = {
  'police-informed': 'Police informed',
  'lado-contacted': 'LADO contacted',
  'social-care-referral': 'Children’s social care referral',
  'parents-informed': 'Parents or carers informed',
  'device-confiscated': 'Device confiscated',
  'account-disabled': 'Account disabled',
  sanction: 'Sanction',
  support: 'Support put in place',
  'ceop-or-iwf-report': 'CEOP or IWF report',
  'governors-informed': 'Governors informed',
  'hr-advice': 'HR advice taken',
  other: 'Other',
};

const isActionKind = (kind: string): kind is ActionKind => Object.hasOwn(ACTION_LABELS, kind);

/** The label of a stored kind; an unknown one (from a newer version) reads as itself. */
export function actionLabel(kind: string): string {
  return isActionKind(kind) ? ACTION_LABELS[kind] : kind;
}
