import { typeName } from './ts';

/** Names the generated code declares: unique, and clear of what contracts.ts itself uses. */
export interface Naming {
  /** Component schema name -> its TypeScript type name. */
  component(name: string): string;
  op(operationId: string): { params: string; request: string; response: string; handler: string };
}

const TAKEN = ['Schema', 'RequestContract', 'Record', 'Promise', 'Array', 'Partial'];

export function buildNaming(components: string[], operationIds: string[]): Naming {
  const used = new Set(TAKEN);
  const claim = (wanted: string): string => {
    let name = wanted;
    for (let i = 2; used.has(name); i++) name = `${wanted}${i}`;
    used.add(name);
    return name;
  };
  const byComponent = new Map(components.map((c) => [c, claim(typeName(c))]));
  const byOp = new Map(
    operationIds.map((id) => {
      const base = typeName(id);
      return [
        id,
        {
          params: claim(`${base}Params`),
          request: claim(`${base}Request`),
          response: claim(`${base}Response`),
          handler: claim(`handle${base}`),
        },
      ];
    }),
  );
  return {
    component: (name) => byComponent.get(name) ?? 'unknown',
    op: (id) => byOp.get(id)!,
  };
}
