/**
 * Pure parsers of service definitions: a systemd unit's `Environment=` / `EnvironmentFile=`, a
 * LaunchAgent plist's `EnvironmentVariables`, a Windows `gateway.cmd`'s `set` lines. services.ts
 * reads the files; these only parse text, linearly, keeping line numbers.
 */
// ---------------------------------------------------------------------------------------------
// systemd
// ---------------------------------------------------------------------------------------------

export interface EnvAssignment {
  name: string;
  value: string;
  line: number;
}

export interface SystemdUnitEnv {
  /** Effective `Environment=` assignments (after `Environment=` resets; the last one per name). */
  environment: EnvAssignment[];
  /** `EnvironmentFile=` entries in order; `optional` for the `-` prefix. */
  environmentFiles: Array<{ path: string; optional: boolean; line: number }>;
}

/**
 * Expand the systemd specifiers that matter for paths and values here: `%h` (home) and `%%`.
 * Others are left as written; a token containing `%` is unusual enough not to model them all.
 */
function expandSpecifiers(s: string, home: string): string {
  return s.replace(/%([h%])/g, (_m, c: string) => (c === 'h' ? home : '%'));
}

/**
 * Split an `Environment=` value into words as systemd does (whitespace separated, double or single
 * quotes anywhere in a word, C-style backslash escapes).
 */
export function splitSystemdWords(value: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", ' ': ' ' };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && i + 1 < value.length) cur += escapes[value[++i]!] ?? value[i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '\\' && i + 1 < value.length) {
      cur += escapes[value[++i]!] ?? value[i];
      inWord = true;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** The `Environment=` / `EnvironmentFile=` settings of a systemd unit or drop-in's [Service] section. */
export function parseSystemdUnit(text: string, home: string): SystemdUnitEnv {
  const out: SystemdUnitEnv = { environment: [], environmentFiles: [] };
  let env = new Map<string, EnvAssignment>();
  let section = '';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let line = lines[i]!;
    // A trailing backslash continues the setting on the next line (parts joined once: linear).
    if (line.endsWith('\\') && i + 1 < lines.length) {
      const parts: string[] = [];
      while (line.endsWith('\\') && i + 1 < lines.length) {
        parts.push(line.slice(0, -1));
        line = lines[++i]!;
      }
      parts.push(line);
      line = parts.join(' ');
    }
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(t);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    if (section !== 'Service') continue;
    const kv = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(t);
    if (!kv) continue;
    const [, key, value] = kv as unknown as [string, string, string];
    if (key === 'Environment') {
      // An empty assignment resets everything set before it, as in systemd.
      if (value.trim() === '') {
        env = new Map();
        continue;
      }
      for (const word of splitSystemdWords(value)) {
        const eq = word.indexOf('=');
        if (eq <= 0) continue;
        const name = word.slice(0, eq);
        env.delete(name); // keep insertion order = order of the effective assignment
        env.set(name, { name, value: expandSpecifiers(word.slice(eq + 1), home), line: startLine });
      }
    } else if (key === 'EnvironmentFile') {
      if (value.trim() === '') {
        out.environmentFiles = [];
        continue;
      }
      let p = value.trim();
      const optional = p.startsWith('-');
      if (optional) p = p.slice(1);
      if ((p.startsWith('"') && p.endsWith('"')) || (p.startsWith("'") && p.endsWith("'"))) p = p.slice(1, -1);
      out.environmentFiles.push({ path: expandSpecifiers(p, home), optional, line: startLine });
    }
  }
  out.environment = [...env.values()];
  return out;
}

// ---------------------------------------------------------------------------------------------
// launchd plist
// ---------------------------------------------------------------------------------------------

export interface PlistEnvEntry {
  name: string;
  /** null when the value is not a <string> (launchd ignores it). */
  value: string | null;
  line: number;
}

function decodeXml(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, (_m, c: string) => c.replace(/&/g, '&amp;').replace(/</g, '&lt;'))
    .replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, e: string) => {
      if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
      if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
      return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] ?? '';
    });
}

/** Line of an offset; offsets asked for only grow, so the whole walk counts each newline once. */
function forwardLineCounter(text: string): (offset: number) => number {
  let pos = 0;
  let line = 1;
  return (offset) => {
    if (offset < pos) {
      pos = 0;
      line = 1;
    }
    for (; pos < offset && pos < text.length; pos++) if (text.charCodeAt(pos) === 10) line++;
    return line;
  };
}

/**
 * The `EnvironmentVariables` dict of an XML property list, by a small tag walk (no dependency):
 * keys and string values with entity/CDATA decoding and line numbers. Binary plists and plists
 * whose dict cannot be walked come back as `error`.
 */
export function parsePlistEnv(text: string): { entries: PlistEnvEntry[]; error: string | null } {
  if (text.startsWith('bplist')) {
    return { entries: [], error: 'binary property list; convert it with `plutil -convert xml1` to inspect it' };
  }
  const key = /<key>\s*EnvironmentVariables\s*<\/key>/.exec(text);
  if (!key) return { entries: [], error: null };
  const tok =
    /<!--[\s\S]*?-->|<key>([\s\S]*?)<\/key>|<string\s*\/>|<string>([\s\S]*?)<\/string>|<(integer|real|date|data)>([\s\S]*?)<\/\3>|<(true|false)\s*\/>|<(dict|array)\s*\/>|<(\/?)(dict|array)>|(\S)/g;
  tok.lastIndex = key.index + key[0].length;
  const lineAt = forwardLineCounter(text);
  const entries: PlistEnvEntry[] = [];
  let depth = 0;
  let pending: { name: string; line: number } | null = null;
  let m: RegExpExecArray | null;
  while ((m = tok.exec(text))) {
    if (m[0].startsWith('<!--')) continue;
    if (m[9] !== undefined) {
      if (m[0] === '<') return { entries, error: `unexpected markup at line ${lineAt(m.index)} in EnvironmentVariables` };
      continue; // stray text between tags
    }
    if (depth === 0) {
      // The first element after the key must be the dict itself.
      if (m[6] === 'dict') return { entries, error: null }; // <dict/>: empty
      if (m[8] === 'dict' && m[7] === '') {
        depth = 1;
        continue;
      }
      return { entries, error: `EnvironmentVariables is not a <dict> (line ${lineAt(m.index)})` };
    }
    if (m[8] !== undefined) {
      depth += m[7] === '/' ? -1 : 1;
      if (depth === 0) return { entries, error: null };
      continue;
    }
    if (depth > 1) continue; // inside a nested value: not an env var
    if (m[1] !== undefined) {
      pending = { name: decodeXml(m[1]).trim(), line: lineAt(m.index) };
      continue;
    }
    if (!pending) continue;
    if (m[0].startsWith('<string')) entries.push({ ...pending, value: m[2] === undefined ? '' : decodeXml(m[2]) });
    else entries.push({ ...pending, value: null });
    pending = null;
  }
  return { entries, error: depth > 0 ? 'EnvironmentVariables dict is not closed' : null };
}

// ---------------------------------------------------------------------------------------------
// Windows gateway.cmd
// ---------------------------------------------------------------------------------------------

/**
 * `set NAME=value` / `set "NAME=value"` lines of a .cmd file; the last assignment per name wins.
 * Names are upper-cased (cmd variables are case-insensitive). Unquoted values keep trailing
 * spaces, exactly as cmd does, so tokenProblems can flag them.
 */
export function parseCmdEnv(text: string): EnvAssignment[] {
  const env = new Map<string, EnvAssignment>();
  text.split(/\r?\n/).forEach((line, idx) => {
    const quoted = /^\s*@?set\s+"([^="]+)=(.*)"\s*$/i.exec(line);
    const plain = quoted ? null : /^\s*@?set\s+([^="\s]+)=(.*)$/i.exec(line);
    const m = quoted ?? plain;
    if (!m) return;
    const name = m[1]!.trim().toUpperCase();
    env.delete(name);
    env.set(name, { name, value: m[2]!, line: idx + 1 });
  });
  return [...env.values()];
}
