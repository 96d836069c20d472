import { describe, expect, it } from 'vitest';
import { ACTION_KINDS, ACTION_LABELS, actionLabel } from './action-kinds.js';

describe('incident action labels', () => {
  it('labels every kind, in the flowcharts’ order, and reads an unknown kind as itself', () => {
    expect(Object.keys(ACTION_LABELS)).toEqual([...ACTION_KINDS]);
    expect(actionLabel('lado-contacted')).toBe('LADO contacted');
    expect(actionLabel('toString')).toBe('toString');
    expect(actionLabel('from-a-newer-version')).toBe('from-a-newer-version');
  });
});
