import { describe, expect, it } from 'vitest';
import { isExcludedUser } from './excluded-users.js';

const excluded = ['EXAMPLE\\ITAdmin', 'exam.invigilator', 'head@example-academy.sch.uk', '.\\localtech'];

describe('isExcludedUser', () => {
  it('matches case-insensitively, with or without the domain', () => {
    expect(isExcludedUser({ username: 'itadmin', domain: 'EXAMPLE' }, excluded)).toBe(true);
    expect(isExcludedUser({ username: 'example\\ITADMIN' }, excluded)).toBe(true);
    expect(isExcludedUser({ username: 'Exam.Invigilator', domain: 'ANYWHERE' }, excluded)).toBe(true);
    expect(isExcludedUser({ username: 'localtech', domain: 'PC-LAB1-07' }, excluded)).toBe(true);
  });

  it('keeps a domain entry to its domain, matching a UPN suffix to the NetBIOS name', () => {
    expect(isExcludedUser({ username: 'itadmin', domain: 'OTHERSCHOOL' }, excluded)).toBe(false);
    expect(isExcludedUser({ username: 'head', domain: 'EXAMPLE-ACADEMY' }, excluded)).toBe(true);
    expect(isExcludedUser({ username: 'head@example-academy.sch.uk' }, excluded)).toBe(true);
    expect(isExcludedUser({ username: 'itadmin@example.org' }, excluded)).toBe(true);
  });

  it('decides on the user name alone when the domain is unknown (macOS, Linux)', () => {
    expect(isExcludedUser({ username: 'itadmin' }, excluded)).toBe(true);
  });

  it('monitors everyone else', () => {
    expect(isExcludedUser({ username: 'pupil.jones', domain: 'EXAMPLE' }, excluded)).toBe(false);
    expect(isExcludedUser({ username: 'itadmin2', domain: 'EXAMPLE' }, excluded)).toBe(false);
    expect(isExcludedUser({ username: 'itadmin' }, [])).toBe(false);
    expect(isExcludedUser({ username: 'x' }, ['EXAMPLE\\'])).toBe(false);
  });
});
