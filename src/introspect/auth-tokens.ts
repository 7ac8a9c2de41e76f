/** auth.users columns GoTrue reads as text: it fails to sign a user in when one is NULL instead of ''. */
export const AUTH_TOKEN_COLUMNS = [
  'confirmation_token',
  'recovery_token',
  'email_change_token_new',
  'email_change',
  'email_change_token_current',
  'phone_change',
  'phone_change_token',
  'reauthentication_token',
];
