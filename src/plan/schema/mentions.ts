/**
 * Whether SQL text can name one of `names` (schema names, compared as Postgres folds plain
 * identifiers): a name is written in the text in some case, quoted or not, in a string or a
 * dollar-quoted body alike. A test of the text before tokenizing it: most definitions of a large
 * schema name none of the few schemas a rewrite or a search looks for. A name that is not plain
 * ASCII or holds a quote may be written escaped or fold unevenly, and then every text may name it.
 */
export function mentionsAny(names: string[]): (sql: string) => boolean {
  const needles = [...new Set(names.map((n) => n.toLowerCase()))];
  if (needles.some((n) => !/^[\x20-\x7e]*$/.test(n) || /["']/.test(n))) return () => true;
  return (sql) => {
    const text = sql.toLowerCase();
    return needles.some((n) => text.includes(n));
  };
}

/** What a `schema.member` key starts with up to its first dot: part of the schema's name, or all of it. */
export const schemaPrefix = (member: string): string => member.slice(0, member.indexOf('.'));
