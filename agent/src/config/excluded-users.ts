/** An OS account as Windows (`DOMAIN\user`), a UPN (`user@school.example`) or plainly (`user`) names it. */
interface AccountName {
  user: string;
  domain: string | undefined;
}

function fold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

export function parseAccountName(name: string): AccountName {
  const trimmed = name.trim();
  const backslash = trimmed.indexOf('\\');
  if (backslash >= 0) {
    const domain = trimmed.slice(0, backslash);
    // `.\user` is Windows shorthand for a local account: no domain to compare.
    return {
      user: fold(trimmed.slice(backslash + 1)),
      domain: domain === '.' || domain === '' ? undefined : fold(domain),
    };
  }
  const at = trimmed.lastIndexOf('@');
  if (at > 0) return { user: fold(trimmed.slice(0, at)), domain: fold(trimmed.slice(at + 1)) };
  return { user: fold(trimmed), domain: undefined };
}

/** `SCHOOL` matches `school.example.org`: the NetBIOS name is usually the first DNS label. */
function sameDomain(a: string, b: string): boolean {
  return a === b || a.split('.')[0] === b.split('.')[0];
}

/**
 * Whether the school chose not to monitor this account (`ExcludedUsers`). Case-insensitive; an
 * entry without a domain matches the user in any domain, and an entry with one matches only there
 * (when the agent cannot tell the user's domain, the user name decides).
 */
export function isExcludedUser(
  current: { username: string; domain?: string | undefined },
  excluded: readonly string[],
): boolean {
  const account = parseAccountName(current.username);
  const domain = account.domain ?? (current.domain ? fold(current.domain) : undefined);
  return excluded.some((entry) => {
    const candidate = parseAccountName(entry);
    if (candidate.user === '' || candidate.user !== account.user) return false;
    return candidate.domain === undefined || domain === undefined || sameDomain(candidate.domain, domain);
  });
}
