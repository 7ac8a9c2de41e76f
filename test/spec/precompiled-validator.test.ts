import { readdirSync, readFileSync } from 'fs';
import { createRequire } from 'module';
import { join } from 'path';
import { parse } from 'yaml';
import type { ValidateFunction } from 'ajv';
import { precompiledValidatorCode, specValidator } from '../../src/spec/validator';

/**
 * The validator `npm run build` writes (ajv standalone) must answer exactly as the one compiled at
 * run time: same verdict, same errors, same coercions and defaults written into the spec.
 */
function loadWritten(): ValidateFunction {
  const module = { exports: {} as ValidateFunction };
  const requireHere = createRequire(join(__dirname, '../../src/spec/validator.ts'));
  new Function('module', 'exports', 'require', precompiledValidatorCode())(module, module.exports, requireHere);
  return module.exports;
}

const specs = [
  ...readdirSync(join(__dirname, 'corpus'))
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(__dirname, 'corpus', name)),
  join(__dirname, '../../migrations.example/toolboxai/migration.yaml'),
  join(__dirname, '../../migrations.example/toolboxai/storage.yaml'),
];

function parsedOrNull(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

test('the written validator answers as the compiled one on the corpus and the examples', () => {
  const compiled = specValidator();
  const written = loadWritten();
  expect(written).not.toBe(compiled);
  let compared = 0;
  for (const file of specs) {
    const raw = parsedOrNull(file);
    if (raw === null || typeof raw !== 'object') continue;
    const a = structuredClone(raw);
    const b = structuredClone(raw);
    const verdict = [compiled(a), written(b)];
    expect({ file, verdict: verdict[1], errors: written.errors ?? null, data: b }).toEqual({
      file,
      verdict: verdict[0],
      errors: compiled.errors ?? null,
      data: a,
    });
    compared += 1;
  }
  expect(compared).toBeGreaterThanOrEqual(30);
});
