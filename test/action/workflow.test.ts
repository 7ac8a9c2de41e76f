import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/sources';

type Step = { uses?: string; with?: Record<string, string>; env?: Record<string, string> };
type Job = { environment?: string; needs?: string; if?: string; steps: Step[] };

const text = readFileSync(join(ROOT, 'migrations.example/github-workflow.yml'), 'utf8');
const workflow = parse(text) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const action = (job: Job) => job.steps.find((s) => s.uses?.includes('supamigrate')) as Step;

describe('the documented workflow', () => {
  it('never runs on pull_request_target', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(text.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n')).not.toContain('pull_request_target');
  });

  it('plans without a secret', () => {
    const plan = workflow.jobs.plan;
    expect(JSON.stringify(plan)).not.toContain('secrets.');
    expect(action(plan).with?.command).toBe('plan');
  });

  it('applies only on push, in a protected environment, the plan whose hash the plan job of that commit gave, over verify-full TLS', () => {
    const apply = workflow.jobs.apply;
    expect(apply.if).toBe("github.event_name == 'push'");
    expect(apply.environment).toBe('production');
    expect(apply.needs).toBe('plan');
    expect(action(apply).with).toMatchObject({ command: 'apply', 'expected-plan-hash': '${{ needs.plan.outputs.plan-hash }}', sslmode: 'verify-full' });
    expect(action(apply).env?.SUPABASE_DB_URL).toBe('${{ secrets.SUPABASE_DB_URL }}');
  });

  it('uses only inputs the action declares', () => {
    const declared = Object.keys((parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs);
    for (const job of Object.values(workflow.jobs)) expect(declared).toEqual(expect.arrayContaining(Object.keys(action(job).with ?? {})));
  });

  it('attaches the report validate writes after apply, whatever the outcome', () => {
    const manifest = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
      outputs: Record<string, { value: string }>;
      runs: { steps: (Step & { id?: string; if?: string; name?: string })[] };
    };
    expect(manifest.inputs.validate.default).toBe('true');
    const run = manifest.runs.steps.find((s) => s.id === 'run');
    expect(run?.env?.INPUT_VALIDATE).toBe('${{ inputs.validate }}');
    const upload = manifest.runs.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).toBe("${{ always() && steps.run.outputs.report-path != '' }}");
    expect(upload?.with).toEqual({ name: 'supamigrate-report', path: '${{ steps.run.outputs.report-path }}' });
    expect(manifest.outputs['report-path'].value).toBe('${{ steps.run.outputs.report-path }}');
  });
});
