/** Table-driven tests of the parsing modules with messy real-world input. */
import { countryName, toCountryCode } from '../../../nodes/shared/core/country';
import { emailDomain, normaliseDomain } from '../../../nodes/shared/core/domain';
import { canonicalJson, stableHash } from '../../../nodes/shared/core/hash';
import { decodeEntities, htmlToText, textToHtml, truncateText } from '../../../nodes/shared/core/html';
import { joinName, personNameFromPipedrive, splitFullName } from '../../../nodes/shared/core/names';
import { formatOrgNumber, orgNumberExternalRef, orgNumberFromExternalRefs, parseOrgNumber } from '../../../nodes/shared/core/orgNumber';

describe('splitFullName', () => {
	it.each([
		['Astrid Öberg', 'Astrid', 'Öberg'],
		['Lars-Erik Åkesson', 'Lars-Erik', 'Åkesson'],
		['Per Olof af Klercker', 'Per Olof', 'af Klercker'],
		['Karin von Essen', 'Karin', 'von Essen'],
		['Ludwig van der Berg', 'Ludwig', 'van der Berg'],
		['Maria de la Cruz', 'Maria', 'de la Cruz'],
		['Anna Maria Berg', 'Anna Maria', 'Berg'],
		['Juha-Pekka Äijälä', 'Juha-Pekka', 'Äijälä'],
		['  Søren   Ærø  ', 'Søren', 'Ærø'],
		['Bjørn\u00A0Løvås', 'Bjørn', 'Løvås'],
		['Nils', 'Nils', null],
		['Öberg, Astrid', 'Astrid', 'Öberg'],
		['Van Morrison', 'Van', 'Morrison'],
		['Anna Le', 'Anna', 'Le'],
		['Martin Luther King Jr.', 'Martin Luther', 'King Jr.'],
		['Sophie zu Sayn-Wittgenstein', 'Sophie', 'zu Sayn-Wittgenstein'],
		['Erik av Ugglas', 'Erik', 'av Ugglas'],
		['Jan ten Brink', 'Jan', 'ten Brink'],
		['', null, null],
		['   ', null, null],
	])('%j → %j / %j', (full, first, last) => {
		expect(splitFullName(full)).toEqual({ firstName: first, lastName: last });
	});

	it('prefers Pipedrive first_name / last_name when they agree with name', () => {
		expect(personNameFromPipedrive('Per Olof af Klercker', 'Per', 'Olof af Klercker')).toEqual({ firstName: 'Per', lastName: 'Olof af Klercker' });
		expect(personNameFromPipedrive(undefined, 'Nils', '')).toEqual({ firstName: 'Nils', lastName: null });
	});
	it('splits name when first/last are stale after a rename', () => {
		expect(personNameFromPipedrive('Karin von Essen', 'Karin', 'Lind')).toEqual({ firstName: 'Karin', lastName: 'von Essen' });
	});
	it('joins first and last name', () => {
		expect(joinName('Per Olof', 'af Klercker')).toBe('Per Olof af Klercker');
		expect(joinName('Nils', null)).toBe('Nils');
		expect(joinName(null, null)).toBe('');
	});
});

describe('parseOrgNumber', () => {
	it.each([
		['923456783', undefined, 'NO', '923456783', '923456783'],
		['NO 974 760 673 MVA', undefined, 'NO', '974760673', '974760673'],
		['974.760.673', 'NO', 'NO', '974760673', '974760673'],
		['556123-4567', undefined, 'SE', '5561234567', '556123-4567'],
		['SE 556016-0680', undefined, 'SE', '5560160680', '556016-0680'],
		['SE556016068001', undefined, 'SE', '5560160680', '556016-0680'],
		['195560160680', undefined, 'SE', '5560160680', '556016-0680'],
		['16556016-0680', 'SE', 'SE', '5560160680', '556016-0680'],
		['212000-0142', 'SE', 'SE', '2120000142', '212000-0142'],
		['31245672', undefined, 'DK', '31245672', '31245672'],
		['DK-13585628', undefined, 'DK', '13585628', '13585628'],
		['DK 13 58 56 28', undefined, 'DK', '13585628', '13585628'],
		['2345678-0', undefined, 'FI', '23456780', '2345678-0'],
		['FI07375462', undefined, 'FI', '07375462', '0737546-2'],
		['737546-2', undefined, 'FI', '07375462', '0737546-2'],
		['1987654-7', 'FI', 'FI', '19876547', '1987654-7'],
		['23456780', 'FI', 'FI', '23456780', '2345678-0'],
		[923456783, 'NO', 'NO', '923456783', '923456783'],
	])('%j (hint %s) → %s %s', (raw, hint, country, digits, formatted) => {
		expect(parseOrgNumber(raw, hint)).toEqual({ valid: true, country, digits, formatted });
	});

	it.each([
		['923456784', undefined, /check digit/],
		['556123-4568', undefined, /Swedish/],
		['31245673', 'DK', /Danish/],
		['2345678-1', undefined, /check digit/],
		['1234568-0', 'FI', /Finnish/],
		['12345', undefined, /5 digits/],
		['HRB 12345', undefined, /unexpected characters/],
		['556123-4567', 'DE', /SE, NO, DK and FI only/],
		['923456783', 'SE', /Swedish/],
		['', undefined, /empty/],
		[null, undefined, /empty/],
		[{ value: 1 }, undefined, /not a text/],
	])('%j (hint %s) is invalid', (raw, hint, reason) => {
		const result = parseOrgNumber(raw, hint);
		expect(result.valid).toBe(false);
		if (!result.valid) expect(result.reason).toMatch(reason);
	});

	it('builds and reads back the external ref', () => {
		expect(orgNumberExternalRef('SE', '5561234567')).toEqual({ namespace: 'orgnr-se', id: '5561234567' });
		expect(orgNumberExternalRef('FI', '23456780', 'org-')).toEqual({ namespace: 'org-fi', id: '23456780' });
		expect(orgNumberFromExternalRefs([{ namespace: 'pipedrive', id: '1' }, { namespace: 'ORGNR-NO', id: '923456783' }])).toEqual({ country: 'NO', digits: '923456783', formatted: '923456783' });
		expect(orgNumberFromExternalRefs([{ namespace: 'orgnr-se', id: '5561234568' }])).toBeUndefined();
		expect(formatOrgNumber('SE', '5590112230')).toBe('559011-2230');
	});
});

describe('toCountryCode', () => {
	it.each([
		['Sverige', 'SE'], ['Sweden', 'SE'], ['SE', 'SE'], ['swe', 'SE'], ['Ruotsi', 'SE'],
		['Norge', 'NO'], ['Noreg', 'NO'], ['NOR', 'NO'], ['Danmark', 'DK'], ['Denmark', 'DK'],
		['Suomi', 'FI'], ['Finland', 'FI'], ['Ísland', 'IS'], ['Island', 'IS'], ['Deutschland', 'DE'],
		['Tyskland', 'DE'], ['Storbritannien', 'GB'], ['UK', 'GB'], ['U.K.', 'GB'], ['United States of America', 'US'],
		['  the netherlands ', 'NL'], ['Nederländerna', 'NL'], ['Schweiz', 'CH'], ['Færøerne', 'FO'], ['Åland', 'AX'],
		['Stockholm, Sweden', 'SE'], ['de', 'DE'], ['Österreich', 'AT'],
	])('%j → %s', (raw, code) => {
		expect(toCountryCode(raw)).toBe(code);
	});
	it.each([['Atlantis'], [''], ['XX'], [null], [42]])('%j is not a country', (raw) => {
		expect(toCountryCode(raw)).toBeNull();
	});
	it('names a code in English', () => {
		expect(countryName('se')).toBe('Sweden');
		expect(countryName('ZZ')).toBeNull();
	});
});

describe('normaliseDomain', () => {
	it.each([
		['nordhav.example.se', 'nordhav.example.se'],
		['https://www.Nordhav.example.se/about?x=1#top', 'nordhav.example.se'],
		['HTTP://WWW.FJORDKAPITAL.EXAMPLE.NO:8080', 'fjordkapital.example.no'],
		['www.oresund-ejendomme.example.dk.', 'oresund-ejendomme.example.dk'],
		['//saimaa.example.fi/', 'saimaa.example.fi'],
		['  lappi-re.example.fi  ', 'lappi-re.example.fi'],
		['info@gotakapital.example.se', 'gotakapital.example.se'],
		['bjørn-eiendom.no', 'bjørn-eiendom.no'],
		['www2.example.com', 'example.com'],
		['user:pass@host.example.org/path', 'host.example.org'],
	])('%j → %s', (raw, domain) => {
		expect(normaliseDomain(raw)).toEqual({ valid: true, domain });
	});
	it.each([['localhost'], ['192.168.1.10'], ['n/a'], ['-'], ['exa mple.com'], ['-bad.com'], ['example.123'], [''], [null], [7]])('%j is rejected', (raw) => {
		expect(normaliseDomain(raw).valid).toBe(false);
	});
	it('takes the domain of an e-mail', () => {
		expect(emailDomain('Astrid.Oberg@Nordhav.example.se')).toBe('nordhav.example.se');
		expect(emailDomain('nope')).toBeNull();
	});
});

describe('htmlToText', () => {
	it.each([
		['<p>Called Jan 15, discussed pipeline</p>', 'Called Jan 15, discussed pipeline'],
		['<p>Line one</p><p>Line two</p>', 'Line one\n\nLine two'],
		['First<br>Second<br/>Third', 'First\nSecond\nThird'],
		['<ul><li>Office</li><li>Retail</li></ul>', '- Office\n- Retail'],
		['Price &gt; SEK 10&nbsp;M &amp; yield &lt; 5%', 'Price > SEK 10 M & yield < 5%'],
		['M&auml;larstaden &#8211; S&oslash;ren &#x2764;', 'Mälarstaden – Søren ❤'],
		['<div><b>Bold</b>   and   <i>italic</i></div>', 'Bold and italic'],
		['<a href="https://example.com/deal">the deal room</a>', 'the deal room (https://example.com/deal)'],
		['<script>alert(1)</script><style>p{}</style>Safe', 'Safe'],
		['<p>Unknown &foo; entity</p>', 'Unknown &foo; entity'],
		['<h2>Heading</h2>\n<p>Body\ntext</p>', 'Heading\n\nBody text'],
		[null, ''],
	])('%j → %j', (html, text) => {
		expect(htmlToText(html)).toBe(text);
	});
	it('decodes entities and turns text back into HTML', () => {
		expect(decodeEntities('&quot;a&quot; &#39;b&#39;')).toBe('"a" \'b\'');
		expect(textToHtml('A < B\nnext\n\nPara 2')).toBe('<p>A &lt; B<br>next</p><p>Para 2</p>');
	});
	it('truncates to the limit with an ellipsis, never splitting an emoji', () => {
		expect(truncateText('abcdef', 6)).toEqual({ text: 'abcdef', truncated: false });
		expect(truncateText('abcdefgh', 5)).toEqual({ text: 'abcd…', truncated: true });
		const emoji = truncateText('😀😀😀', 2);
		expect(Array.from(emoji.text)).toHaveLength(2);
	});
});

describe('stable hash', () => {
	it('ignores key order and undefined members', () => {
		expect(canonicalJson({ b: 1, a: [1, { d: undefined, c: 'x' }] })).toBe('{"a":[1,{"c":"x"}],"b":1}');
		expect(stableHash({ a: 1, b: 2 })).toBe(stableHash({ b: 2, a: 1 }));
		expect(stableHash({ a: 1 })).not.toBe(stableHash({ a: 2 }));
		expect(stableHash({ a: 1 })).toMatch(/^sha256:[0-9a-f]{64}$/);
	});
});
