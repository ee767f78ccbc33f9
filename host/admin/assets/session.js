// The access token lives in sessionStorage: it survives reloads of this tab but not the
// tab itself, and is never written into a URL (so it stays out of server and proxy logs).
const KEY = 'cardsync.token';

export function loadToken() {
  try {
    return sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveToken(token) {
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    // Storage can be disabled (private modes): the token then lasts until the page reloads.
  }
}

export function clearToken() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored, nothing to clear.
  }
}

// The role is read only to grey out buttons the server would refuse with 403; the server
// still decides. A token that is not a readable JWT simply has no known role.
export function roleOf(token) {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const claims = JSON.parse(atob(padded));
    return typeof claims.role === 'string' ? claims.role : null;
  } catch {
    return null;
  }
}
