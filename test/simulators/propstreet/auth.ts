/**
 * Bearer authentication and rate limits.
 *
 * - Personal access tokens: the configured `token` (and `extraTokens`), 60 requests/min.
 * - OAuth client credentials: `POST /openid/token` (form body, `grant_type=client_credentials`,
 *   `client_id`, `client_secret`, `scope=api:public`) issues expiring tokens, 600 requests/min.
 * - Fixed 60-second window per token, read from the simulated clock (inferred: the docs say neither
 *   fixed/sliding nor per what). `RateLimit-Limit/Remaining/Reset` on every response; 429 + `Retry-After`.
 * - Requests without a valid token are counted per remote address at the PAT rate, so even 401s carry headers.
 */
import { randomBytes } from 'crypto';
import type { SimClock } from './clock';
import { ApiError } from './errors';
import type { AuthContext } from './http';
import type { OAuthClient } from './types';

export interface RateLimitConfig {
	pat: number;
	oauth: number;
	anonymous: number;
	windowMs: number;
}

interface IssuedToken {
	clientId: string;
	expiresAt: number;
}

export class AuthService {
	private readonly issued = new Map<string, IssuedToken>();
	private readonly windows = new Map<string, { start: number; count: number }>();

	constructor(
		private readonly clock: SimClock,
		private readonly pats: string[],
		private readonly clients: OAuthClient[],
		private readonly tokenLifetimeSec: number,
		readonly limits: RateLimitConfig,
		/** HTTP Basic client authentication at the token endpoint: not in the docs, so off unless asked for. */
		private readonly acceptBasicClientAuth = false,
	) {}

	/** Resolves the bearer token; throws 401 when missing, unknown or expired. */
	authenticate(authorization: string | undefined): AuthContext {
		const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
		if (!match) throw unauthorized('Missing bearer token.', 'invalid_request');
		const token = match[1].trim();
		if (this.pats.includes(token)) return { kind: 'pat', credentialKey: `pat:${token}`, client: 'pat' };
		const issued = this.issued.get(token);
		if (!issued) throw unauthorized('The access token is not valid.');
		if (issued.expiresAt <= this.clock.now()) throw unauthorized('The access token has expired.');
		return { kind: 'oauth', credentialKey: `oauth:${token}`, client: issued.clientId };
	}

	limitFor(auth: AuthContext): number {
		return auth.kind === 'pat' ? this.limits.pat : auth.kind === 'oauth' ? this.limits.oauth : this.limits.anonymous;
	}

	/** Counts one request; returns the headers to send and whether it is over the limit. */
	consume(auth: AuthContext): { headers: Record<string, string>; limited: boolean; retryAfterSec: number } {
		const limit = this.limitFor(auth);
		const now = this.clock.now();
		let w = this.windows.get(auth.credentialKey);
		if (!w || now >= w.start + this.limits.windowMs) {
			w = { start: now, count: 0 };
			this.windows.set(auth.credentialKey, w);
		}
		const resetSec = Math.max(1, Math.ceil((w.start + this.limits.windowMs - now) / 1000));
		const limited = w.count >= limit;
		if (!limited) w.count++;
		return {
			limited,
			retryAfterSec: resetSec,
			headers: { 'RateLimit-Limit': String(limit), 'RateLimit-Remaining': String(Math.max(0, limit - w.count)), 'RateLimit-Reset': String(resetSec) },
		};
	}

	/**
	 * The token endpoint: client_secret_post (id and secret in the form body), the only documented
	 * form; HTTP Basic only with `acceptBasicClientAuth`. No refresh token (none is documented).
	 */
	issueToken(form: URLSearchParams, authorization: string | undefined): { status: number; body: Record<string, unknown> } {
		let clientId = form.get('client_id');
		let clientSecret = form.get('client_secret');
		const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
		if (basic && !clientId && this.acceptBasicClientAuth) {
			const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
			clientId = decodeURIComponent(id ?? '');
			clientSecret = decodeURIComponent(secret ?? '');
		}
		const grant = form.get('grant_type');
		if (!grant) return { status: 400, body: { error: 'invalid_request', error_description: 'grant_type is required.' } };
		if (grant !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported by the simulator.' } };
		const client = this.clients.find((c) => c.clientId === clientId);
		if (!client || client.clientSecret !== clientSecret) return { status: 401, body: { error: 'invalid_client', error_description: 'Unknown client or wrong secret.' } };
		const scope = form.get('scope') ?? 'api:public';
		if (scope.split(/\s+/).some((s) => s !== 'api:public')) return { status: 400, body: { error: 'invalid_scope', error_description: 'The only scope is api:public.' } };
		const token = `pst_oat_${randomBytes(24).toString('base64url')}`;
		this.issued.set(token, { clientId: client.clientId, expiresAt: this.clock.now() + this.tokenLifetimeSec * 1000 });
		return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: this.tokenLifetimeSec, scope: 'api:public' } };
	}

	/** Lets tests hand out a token without the HTTP round trip. */
	issueFor(clientId: string): string {
		const client = this.clients.find((c) => c.clientId === clientId);
		if (!client) throw new Error(`Unknown OAuth client ${clientId}`);
		return String(this.issueToken(new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, scope: 'api:public' }), undefined).body.access_token);
	}

	/** Invalidates every issued client token (as deleting the clients or the bot does). */
	revokeAll(): void {
		this.issued.clear();
	}

	/** Client tokens issued and not yet revoked (expired ones included). */
	issuedCount(): number {
		return this.issued.size;
	}

	resetWindows(): void {
		this.windows.clear();
	}
}

function unauthorized(detail: string, error = 'invalid_token'): ApiError {
	return new ApiError(401, 'Unauthorized', detail, { headers: { 'WWW-Authenticate': `Bearer error="${error}", error_description="${detail}"` } });
}
