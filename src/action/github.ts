import { ExecutionError } from '../errors';

/**
 * The issue-comments part of GitHub's REST API, over fetch: list a pull request's comments,
 * create one, update one. Pull requests are issues to this API.
 */
export interface IssueComment {
  id: number;
  body: string;
}

export class IssueComments {
  constructor(
    private readonly api: string,
    private readonly repository: string,
    private readonly token: string,
  ) {}

  async list(issue: number): Promise<IssueComment[]> {
    const all: IssueComment[] = [];
    // 100 is the largest page GitHub serves; stop at a short page.
    for (let page = 1; page <= 100; page++) {
      const batch = (await this.call(
        'GET',
        `/repos/${this.repository}/issues/${issue}/comments?per_page=100&page=${page}`,
      )) as IssueComment[];
      all.push(...batch.map((c) => ({ id: c.id, body: c.body ?? '' })));
      if (batch.length < 100) break;
    }
    return all;
  }

  async create(issue: number, body: string): Promise<IssueComment> {
    return (await this.call('POST', `/repos/${this.repository}/issues/${issue}/comments`, { body })) as IssueComment;
  }

  async update(id: number, body: string): Promise<IssueComment> {
    return (await this.call('PATCH', `/repos/${this.repository}/issues/comments/${id}`, { body })) as IssueComment;
  }

  /** The pull requests a commit belongs to (GitHub: GET /repos/{repo}/commits/{sha}/pulls). */
  async pullsOf(sha: string): Promise<number[]> {
    const pulls = (await this.call('GET', `/repos/${this.repository}/commits/${sha}/pulls`)) as { number: number }[];
    return pulls.map((p) => p.number);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.api.replace(/\/+$/, '')}${path}`, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${this.token}`,
        'x-github-api-version': '2022-11-28',
        'user-agent': 'supamigrate-action',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      const message = safeMessage(text);
      const hint =
        res.status === 403 || res.status === 404
          ? ' (the workflow needs `permissions: pull-requests: write`; pull requests from forks get a read-only token)'
          : '';
      throw new ExecutionError(`GitHub API ${method} ${path.replace(/\?.*$/, '')}: ${res.status} ${message}${hint}`);
    }
    return text === '' ? null : JSON.parse(text);
  }
}

function safeMessage(text: string): string {
  try {
    return String((JSON.parse(text) as { message?: string }).message ?? '').slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

/** The one comment a spec owns on a pull request, found by its hidden marker: updated, or created. */
export async function upsertComment(
  client: IssueComments,
  issue: number,
  marker: string,
  body: string,
): Promise<{ action: 'created' | 'updated'; id: number }> {
  const existing = (await client.list(issue)).find((c) => c.body.includes(marker));
  if (existing) return { action: 'updated', id: (await client.update(existing.id, body)).id };
  return { action: 'created', id: (await client.create(issue, body)).id };
}

export const commentMarker = (specPath: string): string =>
  `<!-- supamigrate:${specPath.replace(/--/g, '-\u200b-')} -->`;

const APPLIED = '<!-- supamigrate:applied -->';

/**
 * After the merge, the spec's comment on the pull request gets one line under its plan: the
 * applied commit, the validation's verdict and a link to the run the report is attached to.
 * An earlier such line (a re-run) is replaced; a pull request without the comment gets one.
 */
export async function noteApplied(client: IssueComments, issue: number, marker: string, line: string): Promise<void> {
  const existing = (await client.list(issue)).find((c) => c.body.includes(marker));
  const section = `${APPLIED}\n${line}`;
  if (!existing) {
    await client.create(issue, `${marker}\n${section}`);
    return;
  }
  const kept = existing.body.split(APPLIED)[0].trimEnd();
  await client.update(existing.id, `${kept}\n\n${section}`);
}
