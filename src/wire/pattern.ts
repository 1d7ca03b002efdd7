/**
 * botocore `pattern` constraints as JavaScript regular expressions. The patterns are Java regexes
 * that AWS's servers apply with a whole-string match, so each is anchored at both ends; compiled
 * once per pattern text, shared by every model.
 */

const patternCache = new Map<string, RegExp | null>();

/**
 * Compiles a model pattern anchored at both ends. Without the `u` flag first, like Java's UTF-16
 * view; with `u` when that fails (e.g. surrogate-pair ranges). Patterns using `\p{...}` classes go
 * straight to `u`: without it JavaScript reads `\p{L}` as the letters `p{L}`. `null` when
 * JavaScript cannot express the pattern at all.
 */
export function compilePattern(pattern: string): RegExp | null {
  let regex = patternCache.get(pattern);
  if (regex !== undefined) return regex;
  regex = null;
  const anchored = `^(?:${pattern})$`;
  const attempts = /\\[pP]\{/.test(pattern) ? ['u'] : ['', 'u'];
  for (const flags of attempts) {
    try {
      regex = new RegExp(anchored, flags);
      break;
    } catch {
      // try the next flag set
    }
  }
  patternCache.set(pattern, regex);
  return regex;
}
