/**
 * Twilio refuses a SIP credential password unless it has at least 12 characters, a digit, an
 * upper-case and a lower-case letter (error 21240); usernames are at most 32 characters.
 * Checked before calling Twilio so a bad one fails at once, not after a round trip.
 */
export function sipPasswordProblem(password: string): string | null {
  if (password.length < 12) return 'must be at least 12 characters';
  if (!/\d/.test(password)) return 'must contain a digit';
  if (!/[a-z]/.test(password) || !/[A-Z]/.test(password)) return 'must mix upper and lower case';
  return null;
}

export function sipUsernameProblem(username: string): string | null {
  if (username.length === 0) return 'must not be empty';
  if (username.length > 32) return 'must be at most 32 characters';
  return null;
}
