// Prints the slowest test files of both tiers and one closing count line for CI.
const fs = require('node:fs');
const runs = process.argv.slice(2).filter((f) => fs.existsSync(f)).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
const files = runs.flatMap((r) => r.testResults.map((t) => ({ name: t.name, s: (t.endTime - t.startTime) / 1000 })));
files.sort((a, b) => b.s - a.s);
console.log('slowest test files:');
for (const f of files.slice(0, 10)) console.log(`  ${f.s.toFixed(1).padStart(7)} s  ${f.name.replace(process.cwd() + '/', '')}`);
const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
console.log(`${sum('numPassedTests')} passed, ${sum('numFailedTests')} failed, ${sum('numPendingTests')} skipped`);
