import type { Incident } from './incident.js';

export interface FlowchartStep {
  /** Which flowchart the step comes from. */
  chart: 'illegal' | 'non-illegal' | 'staff' | 'pupil-victim' | 'pupil-instigator';
  text: string;
  /** Recorded already (an action of the matching kind exists). */
  done: boolean;
}

/**
 * The seeds' incident flowcharts as guidance: given the answers so far, the steps the DSL should
 * take, each ticked when a matching action has been recorded. Guidance only; never enforced.
 */
export function flowchartSteps(incident: Incident, actionKinds: ReadonlySet<string>): FlowchartStep[] {
  const steps: FlowchartStep[] = [];
  const step = (chart: FlowchartStep['chart'], text: string, kind?: string) =>
    steps.push({ chart, text, done: kind !== undefined && actionKinds.has(kind) });

  if (incident.illegal === 'yes' || incident.illegal === 'suspected') {
    step('illegal', 'Inform the police and follow their advice', 'police-informed');
    step(
      'illegal',
      'Confiscate the device and disable the account if on the school network',
      'device-confiscated',
    );
    step('illegal', 'Save all evidence but do not view or copy it; let the police review it');
    if (incident.staffInvolved === true)
      step('illegal', 'Contact the LADO (member of staff involved)', 'lado-contacted');
    else step('illegal', 'Inform the child protection liaison (pupil involved)', 'social-care-referral');
    return steps;
  }
  if (incident.illegal === 'unknown') {
    step('illegal', 'Decide quickly whether illegal material or activity was found or suspected');
  }
  step('non-illegal', 'Record in the e-safety incident log and keep the evidence');
  if (incident.staffInvolved === true) {
    step(
      'staff',
      'If the member of staff may have harmed or may harm a child, contact the LADO',
      'lado-contacted',
    );
    step('staff', 'Review the evidence: accidental or deliberate?');
    step('staff', 'Follow the disciplinary procedure if deliberate; take HR advice', 'hr-advice');
  }
  if (incident.pupilRole === 'victim' || incident.pupilRole === 'both') {
    step('pupil-victim', 'In-school support for the pupil (class teacher, senior leader, DSL)', 'support');
    step('pupil-victim', 'Inform parents or carers as appropriate', 'parents-informed');
    step(
      'pupil-victim',
      'If the child is at risk, involve child protection immediately',
      'social-care-referral',
    );
  }
  if (incident.pupilRole === 'instigator' || incident.pupilRole === 'both') {
    step('pupil-instigator', 'Identify whether other pupils were involved');
    step('pupil-instigator', 'Decide sanctions and/or support under the school rules', 'sanction');
    step('pupil-instigator', 'Inform parents or carers if serious or persistent', 'parents-informed');
    step(
      'pupil-instigator',
      'In serious incidents consider child protection: the instigator could be at risk',
    );
  }
  step('non-illegal', 'Review school procedures and policies in the light of the incident');
  return steps;
}
