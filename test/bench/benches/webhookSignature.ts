/**
 * Standard Webhooks verification as the Propstreet Trigger runs it per delivery: headers → secret →
 * timestamp window → HMAC-SHA256 over `id.timestamp.body` → constant-time compare. Every delivery
 * has its own id (so nothing can be cached), a 4 KB body, and one in ten carries two signatures
 * (secret rotation), one of them stale.
 */
import { randomBytes } from 'crypto';
import { generateWebhookSecret, signWebhook, verifyWebhook, type SignedDelivery } from '../../../nodes/shared/core/webhookSignature';
import { expectEqual, MemorySampler, percentile, timeEach, type BenchRow } from '../lib/measure';
import { formatInt } from '../lib/table';

const MIN_PER_SECOND = 10_000;

function body4k(i: number): Buffer {
	const contact = { id: String(9_000_000 + i), firstName: 'Åsa', lastName: 'Øster-Mäkelä', email: `asa.${i}@nordhav.example.se`, strategy: 'Core-plus office, Stockholm CBD', tags: ['investor', 'vip'] };
	const envelope = { type: 'contact.updated', timestamp: '2026-03-04T10:00:00Z', data: { ...contact, changeType: 'update', changeOrigin: 'ui', notes: '' } };
	const text = JSON.stringify(envelope);
	// Pad the notes to exactly 4096 bytes of UTF-8.
	const pad = 4096 - Buffer.byteLength(text, 'utf8');
	envelope.data.notes = 'x'.repeat(Math.max(0, pad));
	return Buffer.from(JSON.stringify(envelope), 'utf8');
}

export function benchWebhookVerify(count = 20_000): BenchRow {
	const secret = generateWebhookSecret(randomBytes);
	const oldSecret = generateWebhookSecret(randomBytes);
	const nowMs = Date.UTC(2026, 2, 4, 10, 0, 0);
	const timestamp = String(Math.floor(nowMs / 1000) - 5);
	const deliveries: SignedDelivery[] = [];
	for (let i = 0; i < count; i++) {
		const body = body4k(i);
		const id = `msg_${i.toString(36).padStart(10, '0')}`;
		const current = signWebhook({ id, timestamp, body, secret });
		const signature = i % 10 === 0 ? `${signWebhook({ id, timestamp, body, secret: oldSecret })} ${current}` : current;
		deliveries.push({ id, timestamp, signature, body });
	}
	expectEqual('body size', deliveries[0].body.length, 4096);
	// Warm-up, and proof the check can fail: a tampered body must be rejected.
	for (let i = 0; i < 200; i++) verifyWebhook(deliveries[i], { secret, nowMs });
	const tampered = { ...deliveries[1], body: Buffer.concat([(deliveries[1].body as Buffer).subarray(0, 4095), Buffer.from('y')]) };
	expectEqual('tampered body rejected', verifyWebhook(tampered, { secret, nowMs }).valid, false);

	let valid = 0;
	const sampler = new MemorySampler().start();
	const { totalMs, samples } = timeEach(deliveries, (d) => verifyWebhook(d, { secret, nowMs }), (check) => {
		if (check.valid) valid++;
	}, 1000, sampler);
	const memory = sampler.stop();
	expectEqual('valid deliveries', valid, count);

	const perSecond = count / (totalMs / 1000);
	return {
		name: 'Webhook signature verify',
		size: `${formatInt(count)} × 4 KB`,
		totalMs,
		throughput: { perSecond, unit: 'verif' },
		p50Ms: percentile(samples, 50),
		p95Ms: percentile(samples, 95),
		memory,
		checks: [{ figure: 'throughput', target: `≥ ${formatInt(MIN_PER_SECOND)}/s`, measured: `${formatInt(perSecond)}/s`, pass: perSecond >= MIN_PER_SECOND }],
		notes: [],
	};
}
