/**
 * Pipedrive note HTML ⇄ plain text. Pipedrive stores notes as sanitised HTML; Propstreet notes are
 * plain text (1–10,000 characters). Block elements become line breaks, list items get "- ",
 * links keep their address, entities are decoded, every other tag is dropped.
 * The conversion scans forward only (see `Searcher`): a note is untrusted input, and the regular
 * expressions this replaced backtracked into cubic time on unclosed links.
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

const BLOCK = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'table', 'tr', 'blockquote', 'pre', 'section', 'article', 'header', 'footer', 'hr', 'dl', 'dt', 'dd']);
/** Elements whose content is never text: dropped with their content when they are closed. */
const RAW = new Set(['script', 'style', 'head', 'title']);

/** ASCII-only lower case: keeps every index where it was, unlike toLowerCase on some letters. */
function asciiLower(text: string): string {
	return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

/** A tag's element name (`br` in `<br/>`, `li` in `</li >`), lower case; '' when there is none. */
function tagName(inner: string): string {
	const m = /^\/?([a-z0-9_]+)/i.exec(inner);
	return m ? m[1].toLowerCase() : '';
}

/** The element an opening tag starts; '' for a closing tag or none. */
function openingName(inner: string): string {
	return inner.startsWith('/') ? '' : tagName(inner);
}

/** Text for a tag that is neither a link nor a dropped block: a line break, a list dash, a cell gap or nothing. */
function tagText(inner: string): string {
	const closing = inner.startsWith('/');
	const name = tagName(inner);
	if (name === 'br') return closing ? '' : '\n';
	if (name === 'li') return closing ? '' : '\n- ';
	if (name === 'td' || name === 'th') return ' ';
	return BLOCK.has(name) ? '\n' : '';
}

/** The value of the first `href` attribute in an opening tag's text, read attribute by attribute. */
function hrefOf(inner: string): string | undefined {
	const n = inner.length;
	let i = tagName(inner).length;
	while (i < n) {
		while (i < n && /[\s/]/.test(inner[i])) i++;
		const nameStart = i;
		while (i < n && !/[\s/=]/.test(inner[i])) i++;
		const name = inner.slice(nameStart, i).toLowerCase();
		while (i < n && /\s/.test(inner[i])) i++;
		if (inner[i] !== '=') continue;
		i++;
		while (i < n && /\s/.test(inner[i])) i++;
		let value: string;
		if (inner[i] === '"' || inner[i] === "'") {
			const end = inner.indexOf(inner[i], i + 1);
			if (end === -1) return undefined;
			value = inner.slice(i + 1, end);
			i = end + 1;
		} else {
			const start = i;
			while (i < n && !/\s/.test(inner[i])) i++;
			value = inner.slice(start, i);
		}
		if (name === 'href') return value;
	}
	return undefined;
}

/** Text with every `<…>` removed (a `<` with no `>` after it stays), in one pass. */
function withoutTags(text: string): string {
	let out = '';
	let at = 0;
	for (;;) {
		const open = text.indexOf('<', at);
		const close = open === -1 ? -1 : text.indexOf('>', open);
		if (close === -1) return out + text.slice(at);
		out += text.slice(at, open);
		at = close + 1;
	}
}

/** What a link adds after its text: " (url)", unless the address is empty, a script or the text itself. */
function linkSuffix(href: string, innerHtml: string): string {
	const url = decodeEntities(href).trim();
	const label = decodeEntities(withoutTags(innerHtml).trim());
	if (!url || url.toLowerCase().startsWith('javascript:') || label === url || url === `mailto:${label}`) return '';
	// The raw value goes out: the whole text is entity-decoded once at the end.
	return ` (${href.trim()})`;
}

/**
 * Forward-only searches over one text. Each needle's last answer is remembered (a hit, or that
 * there is none from some position on), so a search from a later position never rescans what an
 * earlier one crossed: with every caller moving left to right, no part of the text is scanned more
 * than a few times whatever its shape, and the conversion stays linear.
 */
class Searcher {
	readonly lower: string;
	private readonly last = new Map<string, { from: number; at: number }>();

	constructor(readonly text: string) {
		this.lower = asciiLower(text);
	}

	/** Index of `needle` at or after `from` (case-insensitive for lower-case needles), or -1. */
	find(needle: string, from: number): number {
		const last = this.last.get(needle);
		// Nothing between the last search's start and its answer: that answer (or "none") still holds.
		if (last && from >= last.from && (last.at === -1 || from <= last.at)) return last.at;
		const at = this.lower.indexOf(needle, from);
		this.last.set(needle, { from, at });
		return at;
	}

	/** The first `</name>` (spaces allowed before `>`, any letter case) at or after `from`. */
	closingTag(name: string, from: number): { start: number; end: number } | undefined {
		const needle = `</${name}`;
		for (let at = this.find(needle, from); at !== -1; at = this.find(needle, at + 1)) {
			let k = at + needle.length;
			while (k < this.text.length && /\s/.test(this.text[k])) k++;
			if (this.text[k] === '>') return { start: at, end: k + 1 };
		}
		return undefined;
	}
}

function withoutComments(text: string): string {
	const search = new Searcher(text);
	let out = '';
	let at = 0;
	for (;;) {
		const open = search.find('<!--', at);
		const close = open === -1 ? -1 : search.find('-->', open + 4);
		if (close === -1) return out + text.slice(at);
		out += text.slice(at, open);
		at = close + 3;
	}
}

/** Drops script, style, head and title elements with their content (an unclosed one only loses its tags, later). */
function withoutRawElements(text: string): string {
	const search = new Searcher(text);
	let out = '';
	let at = 0;
	for (let open = text.indexOf('<', at); open !== -1; open = text.indexOf('<', open + 1)) {
		const name = openingName(text.slice(open + 1, open + 8));
		if (!RAW.has(name)) continue;
		const gt = search.find('>', open);
		if (gt === -1) break;
		const block = search.closingTag(name, gt + 1);
		if (!block) continue;
		out += text.slice(at, open);
		at = block.end;
		open = block.end - 1;
	}
	return out + text.slice(at);
}

interface OpenLink {
	closeStart: number;
	closeEnd: number;
	suffix: string;
}

/** Replaces every tag (`<` to the next `>`) by its text; a link's address follows the link text. */
function tagsToText(text: string): string {
	const search = new Searcher(text);
	const out: string[] = [];
	let link: OpenLink | undefined;
	let at = 0;
	for (let open = text.indexOf('<'); open !== -1; open = text.indexOf('<', at)) {
		out.push(text.slice(at, open));
		if (link && open >= link.closeStart) {
			out.push(link.suffix);
			const atClose = open === link.closeStart;
			at = link.closeEnd;
			link = undefined;
			if (atClose) continue;
		}
		const close = search.find('>', open);
		if (close === -1) {
			at = open;
			break;
		}
		const inner = text.slice(open + 1, close);
		at = close + 1;
		const href = !link && openingName(inner) === 'a' ? hrefOf(inner) : undefined;
		const end = href === undefined ? undefined : search.closingTag('a', at);
		if (href !== undefined && end) link = { closeStart: end.start, closeEnd: end.end, suffix: linkSuffix(href, text.slice(at, end.start)) };
		else out.push(tagText(inner));
	}
	out.push(text.slice(at));
	if (link) out.push(link.suffix);
	return out.join('');
}

export function htmlToText(html: unknown): string {
	if (typeof html !== 'string') return '';
	// Source line breaks are not significant in HTML.
	let text = html.replace(/\r\n?|\n/g, ' ');
	text = decodeEntities(tagsToText(withoutRawElements(withoutComments(text))));
	const lines = text.split('\n').map((line) => line.replace(/[ \t\u00A0]+/g, ' ').trim());
	return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
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
