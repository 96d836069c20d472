/** One value of a registry key as `reg query` prints it, already decoded. */
export type RegistryData = string | number | string[];

export interface RegQueryValues {
  values: Record<string, RegistryData>;
  /** Values whose type the agent does not read (REG_BINARY, REG_NONE, …), by name. */
  unsupported: Record<string, string>;
}

// `    Name    REG_TYPE    data`: four spaces separate the fields; names and data may hold spaces.
const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

/**
 * Parses the output of `reg query <key>` (without `/s`). Subkey lines and the key's own header are
 * skipped. `%VAR%` in REG_EXPAND_SZ is expanded from `env`, as Windows would for the reader.
 */
export function parseRegQueryOutput(
  output: string,
  env: Readonly<Record<string, string | undefined>> = {},
): RegQueryValues {
  const values: Record<string, RegistryData> = {};
  const unsupported: Record<string, string> = {};
  for (const rawLine of output.split(/\r?\n/)) {
    // An empty REG_SZ ends in the separator; trailing blanks are never meaningful in policy values.
    const line = rawLine.replace(/\t/g, '    ').replace(/\s+$/, '');
    const match = VALUE_LINE.exec(line);
    if (!match) continue;
    const [, name = '', type = '', data = ''] = match;
    // The key's unnamed default value is no policy setting.
    if (name.trim() === '(Default)') continue;
    const decoded = decodeRegistryData(type, data, env);
    if (decoded === undefined) unsupported[name.trim()] = type;
    else values[name.trim()] = decoded;
  }
  return { values, unsupported };
}

function decodeRegistryData(
  type: string,
  data: string,
  env: Readonly<Record<string, string | undefined>>,
): RegistryData | undefined {
  switch (type) {
    case 'REG_SZ':
      return data;
    case 'REG_EXPAND_SZ':
      return expandEnvironmentStrings(data, env);
    case 'REG_MULTI_SZ':
      // reg prints the NULs between strings as the two characters `\0`.
      return data.split('\\0').filter((item) => item.length > 0);
    case 'REG_DWORD':
    case 'REG_QWORD': {
      const number = Number.parseInt(data.trim(), 16);
      return Number.isNaN(number) ? undefined : number;
    }
    default:
      return undefined;
  }
}

/** `%ProgramData%\x` → `C:\ProgramData\x`; names are case-insensitive; unknown ones stay as written. */
export function expandEnvironmentStrings(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const lower = new Map(Object.entries(env).map(([name, value]) => [name.toLowerCase(), value]));
  return text.replace(/%([^%\s]+)%/g, (whole, name: string) => lower.get(name.toLowerCase()) ?? whole);
}
