/** JSON pointers (RFC 6901) as OpenAPI `$ref`s write them: `#/components/schemas/Course`. */
export function decodePointer(ref: string): string[] {
  const body = ref.replace(/^#/, '');
  if (body === '' || body === '/') return [];
  return body
    .slice(1)
    .split('/')
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function resolvePointer(root: unknown, ref: string): unknown {
  let node: unknown = root;
  for (const part of decodePointer(ref)) {
    if (Array.isArray(node) && /^\d+$/.test(part)) node = node[Number(part)];
    else if (typeof node === 'object' && node !== null && Object.prototype.hasOwnProperty.call(node, part))
      node = (node as Record<string, unknown>)[part];
    else return undefined;
  }
  return node;
}

/** `#/paths/~1courses/post/requestBody`: the location in the same notation as `$ref`. */
export function pointerOf(path: (string | number)[]): string {
  return `#/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}
