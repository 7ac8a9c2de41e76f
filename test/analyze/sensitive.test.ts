import { isSensitiveColumn } from '../../src/analyze/sensitive';

describe('columns that look like secrets', () => {
  it('include stored credentials, and not names that merely contain a common word', () => {
    const names = ['credential', 'api_credentials', 'password_hash', 'access_token', 'ssn', 'credit_limit', 'title', 'hashtag'];
    expect(names.filter((name) => isSensitiveColumn({ name }))).toEqual(['credential', 'api_credentials', 'password_hash', 'access_token', 'ssn']);
  });
});
