import { isBlockedPage, summarizePipedriveError } from '../../../nodes/shared/core/pipedrive';

const BLOCK = '<!DOCTYPE html>\n<html lang="en"><head><title>Access denied | api.pipedrive.com used Cloudflare to restrict access</title></head><body>Error 1015</body></html>';

describe('summarizePipedriveError', () => {
	it('uses the error envelope: error as message, error_info as description, code kept', () => {
		const s = summarizePipedriveError(403, { success: false, error: "Couldn't add the deal. Open deals limit reached.", error_info: 'Upgrade the plan', code: 'feature_capping_deals_limit', data: null });
		expect(s).toEqual({ message: "Couldn't add the deal. Open deals limit reached. (403)", description: 'Upgrade the plan', blocked: false, code: 'feature_capping_deals_limit' });
	});

	it('says to check the credential on 401, keeping Pipedrive’s words below', () => {
		const s = summarizePipedriveError(401, { success: false, error: 'unauthorized access', errorCode: 401, error_info: 'Please check developers.pipedrive.com' });
		expect(s.message).toBe('Pipedrive did not accept the API token: check the credential (401)');
		expect(s.description).toBe('unauthorized access\nPlease check developers.pipedrive.com');
	});

	it('lists webhook validation errors per field and reads `message` bodies', () => {
		const s = summarizePipedriveError(400, { success: false, status: 'error', errors: { subscription_url: ['must be https'], event_action: 'invalid' } });
		expect(s.message).toBe('error (400)');
		expect(s.description).toBe('subscription_url: must be https\nevent_action: invalid');
		expect(summarizePipedriveError(403, { success: false, message: 'Not your webhook' }).message).toBe('Not your webhook (403)');
	});

	it('recognises the HTML block page', () => {
		expect(isBlockedPage(403, BLOCK)).toBe(true);
		expect(isBlockedPage(403, { success: false })).toBe(false);
		expect(isBlockedPage(500, BLOCK)).toBe(false);
		const s = summarizePipedriveError(403, BLOCK);
		expect(s.blocked).toBe(true);
		expect(s.message).toMatch(/blocked this API token/);
	});

	it('falls back to a status text, and shows a short plain-text body', () => {
		expect(summarizePipedriveError(503, undefined)).toEqual({ message: 'Pipedrive is unavailable (maintenance?) (503)', description: undefined, blocked: false, code: undefined });
		expect(summarizePipedriveError(502, 'upstream reset').description).toBe('upstream reset');
		expect(summarizePipedriveError(418, {}).message).toBe('Pipedrive answered 418 (418)');
	});
});
