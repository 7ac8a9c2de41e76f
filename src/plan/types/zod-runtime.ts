/**
 * The helpers at the top of the generated database.schemas.ts: one zod schema per Postgres
 * input rule the tables use. Kept as text (the generated file must not import supamigrate);
 * each line says which rule of the database it mirrors.
 */
export const ZOD_RUNTIME = String.raw`import { z } from "zod"

/** Postgres refuses NUL and unpaired UTF-16 surrogates in text, and anywhere in JSON. */
const storable = (s: string): boolean =>
  !s.includes("\u0000") && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)
const storableJson = (v: unknown): boolean =>
  typeof v === "string"
    ? storable(v)
    : Array.isArray(v)
      ? v.every(storableJson)
      : v !== null && typeof v === "object"
        ? Object.entries(v).every(([k, x]) => storable(k) && storableJson(x))
        : true

/** Length as char_length() counts it: characters (code points), not UTF-16 units. */
const chars = (s: string): number => [...s].length

const text = () => z.string().refine(storable, "contains NUL or an unpaired surrogate")
/** varchar(n) / char(n): at most n characters; characters past n may only be spaces (Postgres trims them). */
const varchar = (n: number) =>
  text().refine((s) => [...s].slice(n).every((c) => c === " "), "value too long for type character varying(" + n + ")")

/** Whole numbers in the type's range (zod's .int() would stop at 2^53, int8 goes further). */
const whole = (n: z.ZodNumber) => n.refine(Number.isInteger, "not an integer")
const int2 = () => whole(z.number().gte(-32768).lte(32767))
const int4 = () => whole(z.number().gte(-2147483648).lte(2147483647))
/** -2^63 itself prints as -9223372036854776000, which is past the end: both bounds are open. */
const int8 = () => whole(z.number().gt(-9223372036854775808).lt(9223372036854775808))
/** real: finite, and not so small that it rounds to zero (Postgres calls both out of range). */
const float4 = () => z.number().refine((x) => x === 0 || (Number.isFinite(Math.fround(x)) && Math.fround(x) !== 0), "out of range for type real")
const float8 = () => z.number()

/** x rounded half away from zero to s decimals, on its decimal text, as numeric(p, s) stores it. */
const roundTo = (x: number, s: number): number => {
  const [mantissa, exp = "0"] = Math.abs(x).toExponential().split("e")
  const digits = mantissa.replace(".", "")
  const point = Number(exp) + 1 + s
  if (point < 0) return 0
  const kept = digits.padEnd(point, "0").slice(0, point) || "0"
  const up = (digits[point] ?? "0") >= "5"
  const n = Number(kept) + (up ? 1 : 0)
  const scaled = s >= 0 ? n / 10 ** s : n * 10 ** -s
  return x < 0 ? -scaled : scaled
}
/** numeric(p, s): the rounded value must have at most p - s digits before the point. */
const numeric = (p: number, s: number) =>
  z.number().refine((x) => Math.abs(roundTo(x, s)) < 10 ** (p - s), "numeric field overflow: numeric(" + p + "," + s + ")")

const uuid = () => z.string().regex(/^(?:\{[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7}\}|[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7})$/, "not a uuid")

const daysIn = (y: number, m: number): number =>
  [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
const ZONE = " ?(?:[Zz]|[+-](?:1[0-5]|0?\\d)(?::?[0-5]\\d(?::?[0-5]\\d)?)?)"
const TIME = "(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d+))?)?"
const DATETIME = new RegExp("^(\\d{4})-(\\d{2})-(\\d{2})(?:[Tt ]" + TIME + ")?(?:" + ZONE + ")?$")
const CLOCK = new RegExp("^" + TIME + "(?:" + ZONE + ")?$")
const validTime = (h: number, m: number, s: number, fraction: string): boolean =>
  m <= 59 && (h < 24 ? s < 60 || (s === 60 && !/[1-9]/.test(fraction)) : h === 24 && m === 0 && s === 0 && !/[1-9]/.test(fraction))
/** date, timestamp, timestamptz: ISO 8601 (what Date#toISOString writes) or a special value. */
const datetime = () =>
  z.string().refine((s) => {
    if (/^(epoch|[+-]?infinity|now|today|tomorrow|yesterday)$/i.test(s)) return true
    const m = DATETIME.exec(s)
    if (!m) return false
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return false
    return m[4] === undefined || validTime(Number(m[4]), Number(m[5]), Number(m[6] ?? 0), m[7] ?? "")
  }, "not an ISO 8601 date/time Postgres accepts")
/** time, timetz: hh:mm[:ss[.f]] with an optional zone, 24:00:00 at most. */
const clock = () =>
  z.string().refine((s) => {
    if (/^(allballs|now)$/i.test(s)) return true
    const m = CLOCK.exec(s)
    return m !== null && validTime(Number(m[1]), Number(m[2]), Number(m[3] ?? 0), m[4] ?? "")
  }, "not a time Postgres accepts")
const UNIT =
  "(?:millenni(?:um|a|ums)|centur(?:y|ies)|decades?|years?|yrs?|y|mons?|months?|weeks?|w|days?|d|hours?|hrs?|h|" +
  "minutes?|mins?|m|seconds?|secs?|s|milliseconds?|msecs?|ms|microseconds?|usecs?|us)"
const NUM = "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)"
const HMS = "[+-]?\\d+:\\d{1,2}(?::\\d{1,2}(?:\\.\\d+)?)?"
const VERBOSE = new RegExp(
  "^@?\\s*(?:(?:" + NUM + "\\s*" + UNIT + "(?![a-z])\\s*)+(?:" + HMS + ")?|" + HMS + "|" + NUM + ")(?:\\s*ago)?$", "i")
const ISO_DURATION = new RegExp(
  "^P(?:(?:" + NUM + "Y)?(?:" + NUM + "M)?(?:" + NUM + "W)?(?:" + NUM + "D)?(?:T(?:" + NUM + "H)?(?:" + NUM + "M)?(?:" + NUM + "S)?)?" +
  "|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})$")
/** interval: Postgres's "1 day 02:00:00" style or an ISO 8601 duration. */
const interval = () => z.string().refine((s) => s !== "P" && (ISO_DURATION.test(s) || VERBOSE.test(s)), "not an interval Postgres accepts")
/** bytea: hex (\x and pairs of hex digits, spaces between pairs) or the escape format. */
const bytea = () =>
  text().regex(/^(?:\\x(?:\s*[0-9a-fA-F]{2})*\s*|(?!\\x)(?:[^\\]|\\\\|\\[0-3][0-7]{2})*)$/, "not bytea input")
const json = () => z.json().refine(storableJson, "contains NUL or an unpaired surrogate")
`;
