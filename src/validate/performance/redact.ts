/**
 * Custom plans print the bound values (`Index Cond: (customer_id = 42)`): every sampled value is
 * replaced by `<sampled>` before a plan or an error leaves the process (report, --json, logs).
 */
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function redactText(text: string, values: string[]): string {
  let out = text;
  for (const v of [...new Set(values)].filter((x) => x.length > 0).sort((a, b) => b.length - a.length)) {
    const e = escape(v);
    out = out.replace(new RegExp(`'${e}'`, 'g'), "'<sampled>'").replace(new RegExp(`"${e}"`, 'g'), '"<sampled>"');
    out = out.replace(new RegExp(`(^|[^A-Za-z0-9_.$'"])${e}(?![A-Za-z0-9_.'"])`, 'g'), '$1<sampled>');
  }
  return out;
}

export function redactDeep<T>(value: T, values: string[]): T {
  if (typeof value === 'string') return redactText(value, values) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, values)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, values)])) as T;
  }
  return value;
}
