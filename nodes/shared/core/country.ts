/**
 * Country names and codes → ISO 3166-1 alpha-2. Accepts alpha-2 and alpha-3 codes, English names,
 * native names and the Swedish / Norwegian / Danish / Finnish / Icelandic names a Nordic CRM user
 * is likely to type. Matching ignores case, diacritics, dots and extra spaces.
 */

// code, alpha-3, English name, then other spellings.
const COUNTRIES: Array<[string, string, string, ...string[]]> = [
	['SE', 'SWE', 'Sweden', 'Sverige', 'Svergie', 'Ruotsi', 'Svíþjóð', 'Schweden', 'Suède', 'Suecia', 'Zweden', 'Kingdom of Sweden', 'Konungariket Sverige'],
	['NO', 'NOR', 'Norway', 'Norge', 'Noreg', 'Norja', 'Noregur', 'Norwegen', 'Norvège', 'Noruega', 'Noorwegen', 'Kingdom of Norway', 'Kongeriket Norge'],
	['DK', 'DNK', 'Denmark', 'Danmark', 'Tanska', 'Danmörk', 'Dänemark', 'Danemark', 'Dinamarca', 'Denemarken', 'Kingdom of Denmark'],
	['FI', 'FIN', 'Finland', 'Suomi', 'Finnland', 'Finlande', 'Finlandia', 'Finnland', 'Finnlandi', 'Republic of Finland'],
	['IS', 'ISL', 'Iceland', 'Ísland', 'Island', 'Islanti', 'Islande', 'Islandia', 'IJsland'],
	['FO', 'FRO', 'Faroe Islands', 'Føroyar', 'Færøerne', 'Färöarna', 'Färöer', 'Färsaaret', 'Faroes'],
	['GL', 'GRL', 'Greenland', 'Grønland', 'Grönland', 'Kalaallit Nunaat', 'Grönlanti'],
	['AX', 'ALA', 'Åland Islands', 'Åland', 'Ahvenanmaa', 'Aland'],
	['EE', 'EST', 'Estonia', 'Eesti', 'Estland', 'Viro', 'Estonie'],
	['LV', 'LVA', 'Latvia', 'Latvija', 'Lettland', 'Latvia', 'Lettonie'],
	['LT', 'LTU', 'Lithuania', 'Lietuva', 'Litauen', 'Liettua', 'Lituanie'],
	['DE', 'DEU', 'Germany', 'Deutschland', 'Tyskland', 'Saksa', 'Þýskaland', 'Allemagne', 'Alemania', 'Duitsland', 'Germania', 'Niemcy'],
	['GB', 'GBR', 'United Kingdom', 'UK', 'U.K.', 'Great Britain', 'Britain', 'England', 'Scotland', 'Wales', 'Northern Ireland', 'Storbritannien', 'Storbritannia', 'Iso-Britannia', 'Britannia', 'Englanti', 'Förenade kungariket', 'Det forente kongerike', 'Det Forenede Kongerige', 'Royaume-Uni', 'Reino Unido', 'Vereinigtes Königreich', 'Großbritannien', 'Grossbritannien', 'Bretland'],
	['IE', 'IRL', 'Ireland', 'Éire', 'Irland', 'Irlanti', 'Irlande', 'Republic of Ireland'],
	['NL', 'NLD', 'Netherlands', 'The Netherlands', 'Holland', 'Nederland', 'Nederländerna', 'Nederlandene', 'Alankomaat', 'Niederlande', 'Pays-Bas', 'Países Bajos'],
	['BE', 'BEL', 'Belgium', 'België', 'Belgique', 'Belgien', 'Belgia', 'Bélgica'],
	['LU', 'LUX', 'Luxembourg', 'Luxemburg', 'Lëtzebuerg', 'Luxemburgo'],
	['FR', 'FRA', 'France', 'Frankrike', 'Frankrig', 'Ranska', 'Frankreich', 'Francia', 'Frankrijk'],
	['ES', 'ESP', 'Spain', 'España', 'Spanien', 'Spania', 'Espanja', 'Espagne', 'Spanje'],
	['PT', 'PRT', 'Portugal', 'Portugali'],
	['IT', 'ITA', 'Italy', 'Italia', 'Italien', 'Italie', 'Italië'],
	['CH', 'CHE', 'Switzerland', 'Schweiz', 'Suisse', 'Svizzera', 'Sveits', 'Sveitsi', 'Suiza'],
	['AT', 'AUT', 'Austria', 'Österreich', 'Østerrike', 'Østrig', 'Itävalta', 'Autriche'],
	['PL', 'POL', 'Poland', 'Polska', 'Polen', 'Puola', 'Pologne', 'Polonia'],
	['CZ', 'CZE', 'Czechia', 'Czech Republic', 'Česko', 'Česká republika', 'Tjeckien', 'Tsjekkia', 'Tjekkiet', 'Tšekki', 'Tschechien'],
	['SK', 'SVK', 'Slovakia', 'Slovensko', 'Slovakien', 'Slovakia', 'Slowakei'],
	['HU', 'HUN', 'Hungary', 'Magyarország', 'Ungern', 'Ungarn', 'Unkari'],
	['SI', 'SVN', 'Slovenia', 'Slovenija', 'Slovenien'],
	['HR', 'HRV', 'Croatia', 'Hrvatska', 'Kroatien', 'Kroatia', 'Kroatia'],
	['RO', 'ROU', 'Romania', 'România', 'Rumänien', 'Romania', 'Rumænien', 'Romania'],
	['BG', 'BGR', 'Bulgaria', 'България', 'Bulgarien'],
	['GR', 'GRC', 'Greece', 'Ελλάδα', 'Hellas', 'Grekland', 'Hellas', 'Grækenland', 'Kreikka', 'Griechenland'],
	['CY', 'CYP', 'Cyprus', 'Cypern', 'Kypros', 'Zypern'],
	['MT', 'MLT', 'Malta'],
	['RS', 'SRB', 'Serbia', 'Srbija', 'Serbien'],
	['UA', 'UKR', 'Ukraine', 'Україна', 'Ukraina'],
	['TR', 'TUR', 'Türkiye', 'Turkey', 'Turkiet', 'Tyrkia', 'Tyrkiet', 'Turkki', 'Türkei'],
	['RU', 'RUS', 'Russia', 'Russian Federation', 'Россия', 'Ryssland', 'Russland', 'Rusland', 'Venäjä'],
	['US', 'USA', 'United States', 'United States of America', 'U.S.', 'U.S.A.', 'America', 'USA', 'Förenta staterna', 'Yhdysvallat', 'Vereinigte Staaten', 'États-Unis'],
	['CA', 'CAN', 'Canada', 'Kanada'],
	['MX', 'MEX', 'Mexico', 'México', 'Mexiko', 'Meksiko'],
	['BR', 'BRA', 'Brazil', 'Brasil', 'Brasilien', 'Brasilia'],
	['AR', 'ARG', 'Argentina'],
	['CL', 'CHL', 'Chile'],
	['AU', 'AUS', 'Australia', 'Australien'],
	['NZ', 'NZL', 'New Zealand', 'Nya Zeeland', 'New Zealand', 'Uusi-Seelanti', 'Neuseeland'],
	['JP', 'JPN', 'Japan', '日本', 'Japani'],
	['CN', 'CHN', 'China', "People's Republic of China", '中国', 'Kina', 'Kiina'],
	['HK', 'HKG', 'Hong Kong'],
	['SG', 'SGP', 'Singapore', 'Singapur'],
	['KR', 'KOR', 'South Korea', 'Korea', 'Republic of Korea', 'Sydkorea', 'Sør-Korea', 'Sydkorea', 'Etelä-Korea'],
	['IN', 'IND', 'India', 'Indien', 'Intia'],
	['AE', 'ARE', 'United Arab Emirates', 'UAE', 'Förenade Arabemiraten', 'De forente arabiske emirater', 'Arabiemiirikunnat'],
	['SA', 'SAU', 'Saudi Arabia', 'Saudiarabien', 'Saudi-Arabia', 'Saudi-Arabien'],
	['QA', 'QAT', 'Qatar'],
	['IL', 'ISR', 'Israel'],
	['ZA', 'ZAF', 'South Africa', 'Sydafrika', 'Sør-Afrika', 'Etelä-Afrikka'],
	['EG', 'EGY', 'Egypt', 'Egypten', 'Egypti'],
];

/** Lower-case, strip diacritics and punctuation, collapse spaces. */
export function normaliseCountryText(value: string): string {
	return value
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[øØ]/g, 'o')
		.replace(/[æÆ]/g, 'ae')
		.replace(/ß/g, 'ss')
		.replace(/[þÞ]/g, 'th')
		.replace(/[ðÐ]/g, 'd')
		.toLowerCase()
		.replace(/[.'’]/g, '')
		.replace(/[\s\-_,]+/g, ' ')
		.trim();
}

const BY_KEY = new Map<string, string>();
const ENGLISH = new Map<string, string>();
for (const [code, alpha3, english, ...others] of COUNTRIES) {
	ENGLISH.set(code, english);
	for (const name of [english, ...others]) BY_KEY.set(normaliseCountryText(name), code);
	BY_KEY.set(alpha3.toLowerCase(), code);
}

/** Longer than any country name, with room for the last three words of an address. */
const TAIL_CHARS = 200;

/** The end of a long text, from a word boundary on (a cut word could pass for a country). */
function lastPart(text: string): string {
	const tail = text.slice(-TAIL_CHARS);
	const cut = tail.search(/[\s\-_,]/);
	return cut === -1 ? tail : tail.slice(cut);
}

/** The country named by the last one to `most` words ("Stockholm, Sweden", "Oslo Norge"), longest first. */
function fromLastWords(key: string, most: number): string | null {
	const words = key.split(' ');
	for (let take = Math.min(most, words.length); take >= 1; take--) {
		const tail = BY_KEY.get(words.slice(-take).join(' '));
		if (tail) return tail;
	}
	return null;
}

/**
 * Country text → ISO alpha-2 (upper case), or null when not recognised. A two-letter value is
 * taken as an alpha-2 code when it is a known one (plus "UK" → GB, "EL" → GR). Of a text longer
 * than any country name only the end is read, so a huge value costs no more than a short one.
 */
export function toCountryCode(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	const text = raw.trim();
	if (text === '') return null;
	if (text.length > TAIL_CHARS) return fromLastWords(normaliseCountryText(lastPart(text)), 3);
	const key = normaliseCountryText(text);
	if (key === 'uk') return 'GB';
	if (key === 'el') return 'GR';
	if (/^[a-z]{2}$/.test(key) && ENGLISH.has(key.toUpperCase())) return key.toUpperCase();
	const direct = BY_KEY.get(key);
	if (direct) return direct;
	// The whole text was tried above: its last words are tried without it.
	return fromLastWords(key, Math.min(3, key.split(' ').length - 1));
}

/** ISO alpha-2 → English country name (for Pipedrive addresses), or null when unknown. */
export function countryName(code: unknown): string | null {
	if (typeof code !== 'string') return null;
	return ENGLISH.get(code.trim().toUpperCase()) ?? null;
}
