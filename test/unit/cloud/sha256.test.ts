/** The plain-JS SHA-256 / HMAC against Node's crypto, and the shim against the functions it stands in for. */
import { createHash, createHmac, randomBytes } from 'crypto';
import { createHash as shimHash, createHmac as shimHmac, timingSafeEqual as shimEqual } from '../../../nodes/shared/core/cloud/cryptoShim';
import { hmacSha256, sha256 } from '../../../nodes/shared/core/cloud/sha256';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('sha256 / hmacSha256 (plain JS)', () => {
	it('matches the FIPS 180-4 vectors', () => {
		expect(hex(sha256(Buffer.from('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
		expect(hex(sha256(Buffer.from('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(hex(sha256(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
	});

	it('matches RFC 4231 test case 2 (HMAC-SHA256)', () => {
		expect(hex(hmacSha256(Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?')))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
	});

	it('matches Node for every length around the block edges and for long keys', () => {
		for (let length = 0; length <= 200; length++) {
			const data = randomBytes(length);
			const key = randomBytes((length * 7) % 150);
			expect(hex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
			expect(hex(hmacSha256(key, data))).toBe(createHmac('sha256', key).update(data).digest('hex'));
		}
	});
});

describe('cryptoShim', () => {
	it('gives what Node gives for the calls the core makes', () => {
		const key = randomBytes(24);
		const body = Buffer.concat([Buffer.from('msg_1.1700000000.'), randomBytes(300)]);
		expect(shimHmac('sha256', key).update(body).digest('base64')).toBe(createHmac('sha256', key).update(body).digest('base64'));
		expect(shimHash('sha256').update('{"a":"Åsa"}', 'utf8').digest('hex')).toBe(createHash('sha256').update('{"a":"Åsa"}', 'utf8').digest('hex'));
	});

	it('refuses other algorithms instead of answering wrongly', () => {
		expect(() => shimHmac('sha1', 'k')).toThrow(/Only HMAC-SHA256/);
		expect(() => shimHash('md5')).toThrow(/Only SHA-256/);
	});

	it('compares in constant time and refuses unequal lengths as Node does', () => {
		expect(shimEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
		expect(shimEqual(Buffer.from('abc'), Buffer.from('abd'))).toBe(false);
		expect(() => shimEqual(Buffer.from('ab'), Buffer.from('abc'))).toThrow(RangeError);
	});
});
