// Checks what README's quick start printed (standard input: the /initWebchat answer, then the /refreshToken
// answer, each a JSON line) against what README promises, independently of the project's code: each token is a
// Twilio access token (HS256 JWT, Twilio's header and claims) signed with the API key ./run-local uses, whose
// values its banner prints (argument: the file holding ./run-local's output).
//   node check-quickstart.mjs RUN_LOCAL_LOG < answers
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

const banner = readFileSync(process.argv[2], 'utf8');
const account = Object.fromEntries(
  [...banner.matchAll(/\b(ACCOUNT_SID|API_KEY|API_SECRET)=(\S+)/g)].map((m) => [m[1], m[2]]));
const answers = readFileSync(0, 'utf8').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
const problems = [];
const check = (ok, what) => { if (!ok) problems.push(what); };

function accessToken(token, label) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) {
    problems.push(`${label}: not a JWT: ${token}`);
    return {};
  }
  const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  const header = decode(parts[0]);
  const claims = decode(parts[1]);
  check(header.alg === 'HS256' && header.typ === 'JWT' && header.cty === 'twilio-fpa;v=1',
    `${label}: header ${JSON.stringify(header)} is not a Twilio access token's`);
  const expected = createHmac('sha256', account.API_SECRET).update(`${parts[0]}.${parts[1]}`).digest();
  const actual = Buffer.from(parts[2], 'base64url');
  check(actual.length === expected.length && timingSafeEqual(actual, expected), `${label}: not signed with API_SECRET`);
  check(claims.iss === account.API_KEY, `${label}: issuer ${claims.iss}, not the API key ${account.API_KEY}`);
  check(claims.sub === account.ACCOUNT_SID, `${label}: subject ${claims.sub}, not the account ${account.ACCOUNT_SID}`);
  check(typeof claims.jti === 'string' && claims.jti.startsWith(`${account.API_KEY}-`), `${label}: jti ${claims.jti}`);
  const now = Date.now() / 1000;
  check(claims.exp > now && claims.exp <= now + 86400, `${label}: expires at ${claims.exp}`);
  check(typeof claims.grants?.identity === 'string' && claims.grants.identity.length > 0, `${label}: no identity grant`);
  check(/^IS[0-9a-f]{32}$/.test(claims.grants?.chat?.service_sid ?? ''), `${label}: no chat grant`);
  return claims;
}

check(account.API_KEY && account.API_SECRET && account.ACCOUNT_SID,
  "./run-local's banner names no test account (ACCOUNT_SID=, API_KEY=, API_SECRET=): was it the emulator?");
check(answers.length === 2, `expected two JSON answers, got ${answers.length}`);
if (problems.length === 0) {
  const [chat, renewal] = answers;
  check(/^CH[0-9a-f]{32}$/.test(chat.conversationSid ?? ''), `/initWebchat: conversationSid ${chat.conversationSid}`);
  const first = accessToken(chat.token, '/initWebchat token');
  check(chat.expiration === first.exp * 1000, `/initWebchat: expiration ${chat.expiration} is not the token's exp in ms`);
  const renewed = accessToken(renewal.token, '/refreshToken token');
  check(renewal.expiration === renewed.exp * 1000, `/refreshToken: expiration ${renewal.expiration} is not the token's exp in ms`);
  check(renewed.grants?.identity === first.grants?.identity, '/refreshToken: the renewed token names another visitor');
  check(renewal.expiration >= chat.expiration, '/refreshToken: the renewed token expires before the first');
}
if (problems.length > 0) {
  console.error(problems.map((p) => `- ${p}`).join('\n'));
  process.exit(1);
}
console.log('Quick start answers: two access tokens for the same visitor, signed with the emulator test account\'s API key; a conversation SID.');
