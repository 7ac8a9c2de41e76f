/** All console output goes through here, so commands stay silent as library calls. */
export interface Output {
  line(text?: string): void;
  error(text: string): void;
  json(value: unknown): void;
}

export const consoleOutput: Output = {
  line: (text = '') => process.stdout.write(`${text}\n`),
  error: (text) => process.stderr.write(`${text}\n`),
  json: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
};
