import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { SpecDocument } from './document';
import type { KeyPath, SpecProblem } from './problem';

type Env = NodeJS.ProcessEnv;
type Substitution = { value: string; variables: string[] } | { problems: Array<{ message: string; fix: string }> };

const reference = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** Replaces ${VAR} and ${VAR:-default} from env; $${ stands for a literal ${. */
export function interpolate(text: string, env: Env): Substitution {
  let value = '';
  const variables: string[] = [];
  const problems: Array<{ message: string; fix: string }> = [];
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      value += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      value += text[i++];
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) {
      problems.push({ message: `"${text.slice(i)}" opens \${ without a closing }`, fix: 'close the reference with }, or write $${ for a literal ${' });
      break;
    }
    const resolved = resolveReference(text.slice(i + 2, close), env);
    if ('problem' in resolved) problems.push(resolved.problem);
    else {
      value += resolved.value;
      variables.push(resolved.name);
    }
    i = close + 1;
  }
  return problems.length ? { problems } : { value, variables };
}

function resolveReference(inner: string, env: Env): { name: string; value: string } | { problem: { message: string; fix: string } } {
  const match = reference.exec(inner);
  if (!match) {
    return {
      problem: {
        message: `"\${${inner}}" is not a valid variable reference`,
        fix: 'write ${NAME} or ${NAME:-default} (NAME: letters, digits and _, not starting with a digit), or $${ for a literal ${',
      },
    };
  }
  const [, name, fallback] = match;
  const set = env[name];
  if (fallback !== undefined) return { name, value: set === undefined || set === '' ? fallback : set };
  if (set === undefined) {
    return { problem: { message: `environment variable ${name} is not set`, fix: `export ${name}=... before running, or write \${${name}:-default} to give a default` } };
  }
  return { name, value: set };
}

/** Interpolates every string value of the document in place; returns which paths came from which variables. */
export function interpolateDocument(source: SpecDocument, env: Env): { origins: Map<string, string[]>; problems: SpecProblem[] } {
  const origins = new Map<string, string[]>();
  const problems: SpecProblem[] = [];
  const visit = (node: unknown, path: KeyPath): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key)) visit(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const result = interpolate(node.value, env);
      if ('problems' in result) problems.push(...result.problems.map((p) => ({ ...p, path })));
      else {
        node.value = result.value;
        if (result.variables.length) origins.set(pathKey(path), result.variables);
      }
    }
  };
  visit(source.doc.contents, []);
  return { origins, problems };
}

export function pathKey(path: KeyPath): string {
  return JSON.stringify(path);
}
