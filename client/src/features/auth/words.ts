import type { Words } from '../../lib/words.js';

/** Words of signing in. */
export const authWords = {
  signIn: ['サインイン', 'Sign in'],
  token: ['アクセストークン', 'Access token'],
  tokenHelp: ['管理者から受け取ったトークンを入力してください。ブラウザにはトークンではなくセッションだけが保存されます。', 'Enter the token you were given. The browser keeps only a session, never the token.'],
} satisfies Words;
