/**
 * A target group's health-check `Matcher.HttpCode`: the status codes a successful probe may
 * answer with, as ELBv2 spells them — one code (`200`), a range (`200-399`) or a comma-separated
 * list of either (`200,302`, `200-299,404`).
 */

export type StatusMatcher = (statusCode: number) => boolean;

export function parseStatusMatcher(spec: string): StatusMatcher {
  const ranges: Array<[number, number]> = [];
  for (const part of spec.split(',')) {
    const text = part.trim();
    if (text === '') continue;
    const match = /^(\d{1,3})(?:\s*-\s*(\d{1,3}))?$/.exec(text);
    if (!match)
      throw new RangeError(
        `health check matcher ${JSON.stringify(spec)}: ${JSON.stringify(text)} is not a code or range`,
      );
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    if (high < low) throw new RangeError(`health check matcher ${JSON.stringify(spec)}: range ${text} runs backwards`);
    ranges.push([low, high]);
  }
  if (ranges.length === 0) throw new RangeError(`health check matcher ${JSON.stringify(spec)} names no status code`);
  return (statusCode) => ranges.some(([low, high]) => statusCode >= low && statusCode <= high);
}
