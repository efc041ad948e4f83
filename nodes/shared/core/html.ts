/**
 * Pipedrive note HTML ⇄ plain text. Pipedrive stores notes as sanitised HTML; Propstreet notes are
 * plain text (1–10,000 characters). Block elements become line breaks, list items get "- ",
 * links keep their address, entities are decoded, every other tag is dropped.
 */

const NAMED_ENTITIES: Record<string, string> = {
	amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
	lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', bull: '•', middot: '·',
	euro: '€', pound: '£', copy: '©', reg: '®', trade: '™', deg: '°', times: '×', divide: '÷', sect: '§',
	shy: '', zwnj: '', zwj: '',
	aring: 'å', Aring: 'Å', auml: 'ä', Auml: 'Ä', ouml: 'ö', Ouml: 'Ö', oslash: 'ø', Oslash: 'Ø', aelig: 'æ', AElig: 'Æ',
	uuml: 'ü', Uuml: 'Ü', eacute: 'é', Eacute: 'É', egrave: 'è', aacute: 'á', iacute: 'í', oacute: 'ó', uacute: 'ú',
	szlig: 'ß', eth: 'ð', ETH: 'Ð', thorn: 'þ', THORN: 'Þ', ccedil: 'ç', ntilde: 'ñ',
};

export function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, (whole, name: string) => {
		if (name[0] === '#') {
			const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
			if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff) return whole;
			return code === 160 ? ' ' : String.fromCodePoint(code);
		}
		return NAMED_ENTITIES[name] ?? NAMED_ENTITIES[name.toLowerCase()] ?? whole;
	});
}

const BLOCK = 'p|div|h[1-6]|ul|ol|table|tr|blockquote|pre|section|article|header|footer|hr|dl|dt|dd';

export function htmlToText(html: unknown): string {
	if (typeof html !== 'string') return '';
	let text = html.replace(/\r\n?/g, '\n');
	// Source line breaks are not significant in HTML.
	text = text.replace(/\n/g, ' ');
	text = text.replace(/<!--[\s\S]*?-->/g, '');
	text = text.replace(/<(script|style|head|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
	text = text.replace(/<a\b[^>]*\bhref\s*=\s*(["'])(.*?)\1[^>]*>([\s\S]*?)<\/a\s*>/gi, (_m, _q, href: string, inner: string) => {
		const label = inner.replace(/<[^>]*>/g, '').trim();
		const url = decodeEntities(href).trim();
		if (!url || url.startsWith('javascript:') || decodeEntities(label) === url || url === `mailto:${decodeEntities(label)}`) return inner;
		return `${inner} (${url})`;
	});
	text = text.replace(/<br\s*\/?>/gi, '\n');
	text = text.replace(/<li\b[^>]*>/gi, '\n- ');
	text = text.replace(/<\/li\s*>/gi, '');
	text = text.replace(/<\/?(td|th)\b[^>]*>/gi, ' ');
	text = text.replace(new RegExp(`<\\/?(?:${BLOCK})\\b[^>]*>`, 'gi'), '\n');
	text = text.replace(/<[^>]*>/g, '');
	text = decodeEntities(text);
	text = text
		.split('\n')
		.map((line) => line.replace(/[ \t\u00A0]+/g, ' ').trim())
		.join('\n');
	return text.replace(/\n{3,}/g, '\n\n').trim();
}

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text → simple Pipedrive note HTML (paragraphs and line breaks). */
export function textToHtml(text: unknown): string {
	if (typeof text !== 'string') return '';
	const paragraphs = text.replace(/\r\n?/g, '\n').trim().split(/\n{2,}/);
	return paragraphs
		.filter((p) => p.trim() !== '')
		.map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`)
		.join('');
}

/** Cut text to `limit` characters, ending in "…" when cut, without splitting a surrogate pair. */
export function truncateText(text: string, limit: number): { text: string; truncated: boolean } {
	const chars = Array.from(text);
	if (chars.length <= limit) return { text, truncated: false };
	return { text: chars.slice(0, Math.max(0, limit - 1)).join('').trimEnd() + '…', truncated: true };
}
