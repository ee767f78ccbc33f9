// HS256 JSON Web Tokens signed with a key the server does not know, for the refused-token
// case (the tokens that sign in come from `cardsync token create`).
import { createHmac } from 'node:crypto';

const base64url = (data) => Buffer.from(data).toString('base64url');

export function mintHs256(secret, claims, { lifetimeSeconds = 3600 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ iat: now, nbf: now - 5, exp: now + lifetimeSeconds, ...claims }));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
