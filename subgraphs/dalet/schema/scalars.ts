/**
 * The scalars of schema/_base.graphql. Each reads leniently what the doc's examples write and answers one
 * form only; a value it cannot read is a GraphQL validation error naming the accepted form.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { formatTimeCode, parseTimeCode, type TimeCodeValue } from './timecode.ts';

function literal(node: ValueNode): unknown {
  if (node.kind === Kind.STRING) return node.value;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.FLOAT) return Number(node.value);
  return undefined;
}

/** A scalar read from text by `read` (which throws TypeError when it cannot) and written by `write`. */
function textScalar<T>(name: string, description: string, read: (text: string) => T, write: (value: T) => string): GraphQLScalarType {
  const parse = (value: unknown): T => {
    if (typeof value !== 'string' && typeof value !== 'number') throw new GraphQLError(`${name} must be a string`);
    try {
      return read(String(value));
    } catch (error) {
      throw new GraphQLError(`Invalid ${name}: ${(error as Error).message}`);
    }
  };
  return new GraphQLScalarType({
    name,
    description,
    // Stored values are written once the same way; a stored raw string is read first.
    serialize: (value) => write(typeof value === 'string' ? read(value) : (value as T)),
    parseValue: parse,
    parseLiteral: (node) => parse(literal(node)),
  });
}

export const TimeCode = textScalar<TimeCodeValue>('TimeCode', 'HH:MM:SS.mmm STANDARD', parseTimeCode, formatTimeCode);

const TIME_CODE_DATE = /^(\d{4}-\d{2}-\d{2})[T ](.+)$/;

export const TimeCodeDate = textScalar(
  'TimeCodeDate',
  'YYYY-MM-DDTHH:MM:SS.mmm STANDARD, in UTC',
  (text) => {
    const match = TIME_CODE_DATE.exec(text.trim());
    if (!match || Number.isNaN(Date.parse(`${match[1]}T00:00:00Z`)))
      throw new TypeError(`"${text}" is not a date and time code such as 2005-01-18T14:14:36.279 PAL`);
    return { date: match[1]!, timeCode: parseTimeCode(match[2]!) };
  },
  ({ date, timeCode }) => `${date}T${formatTimeCode(timeCode)}`,
);

/** ISO 8601 date-time; no zone means UTC; epoch milliseconds are read too. Written as toISOString(). */
export const TimeDate = textScalar(
  'TimeDate',
  'ISO 8601, written as 2005-01-18T14:14:36.279Z',
  (text) => {
    const trimmed = text.trim();
    const zoned = /^\d+$/.test(trimmed)
      ? Number(trimmed)
      : /[zZ]|[+-]\d{2}:?\d{2}$/.test(trimmed) || !trimmed.includes('T')
        ? trimmed
        : `${trimmed}Z`;
    const date = new Date(zoned);
    if (Number.isNaN(date.getTime())) throw new TypeError(`"${text}" is not an ISO 8601 date and time`);
    return date;
  },
  (date) => date.toISOString(),
);

const ISO_PERIOD = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Seconds. Read from ISO 8601 (PT10S, P1DT2H) or the doc's clock form P10:0:0.000S; written in ISO 8601. */
export const Period = textScalar(
  'Period',
  'ISO 8601 duration, e.g. PT10S',
  (text) => {
    const trimmed = text.trim().toUpperCase();
    const iso = ISO_PERIOD.exec(trimmed);
    if (iso && trimmed !== 'P' && trimmed !== 'PT') {
      const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = iso;
      return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
    }
    return parseTimeCode(trimmed.split(/\s+/)[0]!).milliseconds / 1000;
  },
  (totalSeconds) => {
    const days = Math.floor(totalSeconds / 86_400);
    const hours = Math.floor(totalSeconds / 3600) % 24;
    const minutes = Math.floor(totalSeconds / 60) % 60;
    const seconds = Math.round((totalSeconds % 60) * 1000) / 1000;
    const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds || (!days && !hours && !minutes) ? `${seconds}S` : ''}`;
    return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
  },
);

/** The colour names the doc uses as defaults ("white") and the basic CSS ones. */
const NAMED_COLORS: Record<string, string> = {
  white: '#FFFFFF',
  black: '#000000',
  red: '#FF0000',
  green: '#00FF00',
  blue: '#0000FF',
  yellow: '#FFFF00',
  gray: '#808080',
  grey: '#808080',
  orange: '#FFA500',
};

/** #RRGGBB; read from #RGB, RRGGBB without #, any case, or a basic colour name. */
export const Color = textScalar(
  'Color',
  '#RRGGBB',
  (text) => {
    const trimmed = text.trim();
    const named = NAMED_COLORS[trimmed.toLowerCase()];
    if (named) return named;
    const hex = /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.exec(trimmed)?.[1];
    if (!hex) throw new TypeError(`"${text}" is not a colour such as #FF0000`);
    const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex;
    return `#${full.toUpperCase()}`;
  },
  (color) => color,
);

export const MAX_PAGE_LENGTH = 1000;

function pageLength(value: unknown): number {
  const length = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 1 || length > MAX_PAGE_LENGTH) {
    throw new GraphQLError(`PageLength must be a whole number from 1 to ${MAX_PAGE_LENGTH}`);
  }
  return length;
}

export const PageLength = new GraphQLScalarType({
  name: 'PageLength',
  serialize: pageLength,
  parseValue: pageLength,
  parseLiteral: (node) => pageLength(literal(node)),
});

export const scalarResolvers = { TimeCode, TimeCodeDate, TimeDate, Period, Color, PageLength };
