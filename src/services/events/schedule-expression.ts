/**
 * Schedule expressions of scheduled rules (`UG:eb/eb-create-rule-schedule`), always in UTC:
 * `rate(value unit)` with a positive whole value and `minute|minutes|hour|hours|day|days` (singular
 * only for 1, plural otherwise), and six-field `cron(Minutes Hours Day-of-month Month Day-of-week
 * Year)` with `, - * /` everywhere, `?` in exactly one of the two day fields, `L` and `W` in
 * day-of-month, `L` and `#` in day-of-week (1 = SUN … 7 = SAT), month and day names.
 */

export type Schedule = { kind: 'rate'; periodMs: number } | { kind: 'cron'; cron: Cron };

interface DayOfMonth {
  days: ReadonlySet<number>;
  last: boolean;
  lastWeekday: boolean;
  /** Day numbers whose nearest weekday fires (`15W`). */
  nearestWeekday: readonly number[];
}

interface DayOfWeek {
  days: ReadonlySet<number>;
  /** `6L`: the last Friday of the month. */
  lastOf: readonly number[];
  /** `6#3`: the third Friday. */
  nth: ReadonlyArray<{ day: number; n: number }>;
}

interface Cron {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  months: ReadonlySet<number>;
  years: ReadonlySet<number>;
  day: { kind: 'month'; spec: DayOfMonth } | { kind: 'week'; spec: DayOfWeek };
}

const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MIN_YEAR = 1970;
const MAX_YEAR = 2199;

class Invalid extends Error {}

/** The schedule, or undefined when the expression is not valid. */
export function parseScheduleExpression(text: string): Schedule | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!;
    const plural = unit.endsWith('s');
    if (value < 1 || !Number.isSafeInteger(value) || plural !== value > 1) return undefined;
    return { kind: 'rate', periodMs: value * UNITS[plural ? unit.slice(0, -1) : unit]! };
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  if (!cron) return undefined;
  try {
    return { kind: 'cron', cron: parseCron(cron[1]!.trim().split(/\s+/)) };
  } catch (error) {
    if (error instanceof Invalid) return undefined;
    throw error;
  }
}

function parseCron(fields: string[]): Cron {
  if (fields.length !== 6) throw new Invalid();
  const [minutes, hours, dayOfMonth, months, dayOfWeek, years] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) throw new Invalid();
  return {
    minutes: parseList(minutes, 0, 59),
    hours: parseList(hours, 0, 23),
    months: parseList(months, 1, 12, MONTHS),
    years: parseList(years, MIN_YEAR, MAX_YEAR),
    day:
      dayOfWeek === '?'
        ? { kind: 'month', spec: parseDayOfMonth(dayOfMonth) }
        : { kind: 'week', spec: parseDayOfWeek(dayOfWeek) },
  };
}

function parseValue(text: string, min: number, max: number, names?: string[]): number {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + min : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new Invalid();
  return value;
}

/** `*`, `n`, `a-b`, with an optional `/step`, comma-separated. */
function parseList(text: string, min: number, max: number, names?: string[]): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined || range === undefined || range === '') throw new Invalid();
    const step = stepText === undefined ? 1 : parseValue(stepText, 1, max - min + 1);
    let from: number;
    let to: number;
    if (range === '*') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined || a === undefined || b === undefined) throw new Invalid();
      from = parseValue(a, min, max, names);
      to = parseValue(b, min, max, names);
      if (from > to) throw new Invalid();
    } else {
      from = parseValue(range, min, max, names);
      to = stepText === undefined ? from : max;
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

function parseDayOfMonth(text: string): DayOfMonth {
  const spec = { days: new Set<number>(), last: false, lastWeekday: false, nearestWeekday: [] as number[] };
  for (const item of text.split(',')) {
    if (item === 'L') spec.last = true;
    else if (item === 'LW') spec.lastWeekday = true;
    else if (/^\d+W$/.test(item)) spec.nearestWeekday.push(parseValue(item.slice(0, -1), 1, 31));
    else for (const day of parseList(item, 1, 31)) spec.days.add(day);
  }
  return spec;
}

function parseDayOfWeek(text: string): DayOfWeek {
  const spec = { days: new Set<number>(), lastOf: [] as number[], nth: [] as Array<{ day: number; n: number }> };
  for (const item of text.split(',')) {
    // `L` alone is the last day of the week: Saturday.
    if (item === 'L') spec.days.add(7);
    else if (/^\w+L$/.test(item)) spec.lastOf.push(parseValue(item.slice(0, -1), 1, 7, DAYS));
    else if (item.includes('#')) {
      const [day, n] = item.split('#') as [string, string];
      spec.nth.push({ day: parseValue(day, 1, 7, DAYS), n: parseValue(n, 1, 5) });
    } else for (const day of parseList(item, 1, 7, DAYS)) spec.days.add(day);
  }
  return spec;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday … 7 = Saturday, as cron counts. */
function weekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function isWeekday(year: number, month: number, day: number): boolean {
  const d = weekday(year, month, day);
  return d >= 2 && d <= 6;
}

/** The weekday nearest `target` in the month, never crossing into another month. */
function nearestWeekday(year: number, month: number, target: number): number | undefined {
  const last = daysInMonth(year, month);
  if (target > last) return undefined;
  if (isWeekday(year, month, target)) return target;
  const d = weekday(year, month, target);
  if (d === 7) return target > 1 ? target - 1 : target + 2; // Saturday: Friday, or Monday after the 1st
  return target < last ? target + 1 : target - 2; // Sunday: Monday, or Friday before the last day
}

function dayMatches(cron: Cron, year: number, month: number, day: number): boolean {
  const last = daysInMonth(year, month);
  if (cron.day.kind === 'month') {
    const spec = cron.day.spec;
    if (spec.days.has(day) || (spec.last && day === last)) return true;
    if (spec.lastWeekday) {
      let lastWeekday = last;
      while (!isWeekday(year, month, lastWeekday)) lastWeekday -= 1;
      if (day === lastWeekday) return true;
    }
    return spec.nearestWeekday.some((target) => nearestWeekday(year, month, target) === day);
  }
  const spec = cron.day.spec;
  const d = weekday(year, month, day);
  if (spec.days.has(d)) return true;
  if (spec.lastOf.includes(d) && day + 7 > last) return true;
  return spec.nth.some((nth) => nth.day === d && Math.ceil(day / 7) === nth.n);
}

/**
 * The first time the schedule fires strictly after afterMs (and not before anchorMs, when the
 * rule was created or last enabled); undefined when it never fires again.
 */
export function nextFireAtMs(schedule: Schedule, anchorMs: number, afterMs: number): number | undefined {
  if (schedule.kind === 'rate') {
    const periods = Math.max(1, Math.floor((afterMs - anchorMs) / schedule.periodMs) + 1);
    return anchorMs + periods * schedule.periodMs;
  }
  const cron = schedule.cron;
  let t = Math.floor(Math.max(afterMs, anchorMs - 1) / 60_000) * 60_000 + 60_000;
  for (let guard = 0; guard < 1_000_000; guard += 1) {
    const date = new Date(t);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    const hour = date.getUTCHours();
    if (year > MAX_YEAR) return undefined;
    if (!cron.years.has(year)) t = Date.UTC(year + 1, 0, 1);
    else if (!cron.months.has(month)) t = Date.UTC(year, month, 1);
    else if (!dayMatches(cron, year, month, day)) t = Date.UTC(year, month - 1, day + 1);
    else if (!cron.hours.has(hour)) t = Date.UTC(year, month - 1, day, hour + 1);
    else if (!cron.minutes.has(date.getUTCMinutes())) t += 60_000;
    else return t;
  }
  return undefined;
}
