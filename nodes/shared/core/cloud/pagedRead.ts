/**
 * A Pipedrive v2 list read one page per round of a Cloud loop (the loop's *Read Pipedrive* node
 * makes each call): the lookup for the page at a cursor, and what one answered page holds. The
 * loop keeps only what it needs of each page (a deal's marks, a person's counts), not the pages,
 * so its state stays small however many pages there are.
 */
import { readPipedrivePage } from '../pipedrive/pagination';
import { bodyOf, checkedStatus, type Lookup } from './lookups';

/** The page of `path` (which has a query string already) at `cursor`; null = the first page. */
export function pageLookup(path: string, cursor: string | null): Lookup {
	return { api: 'pipedrive', method: 'GET', path: cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path };
}

/** The rows of an answered page and the cursor of the next one (null: it was the last). Any error status stops the run, naming the list. */
export function pageOf<T>(answer: unknown, what: string): { items: T[]; next: string | null } {
	checkedStatus(answer, what, []);
	const page = readPipedrivePage<T>(bodyOf(answer));
	return { items: page.items, next: page.next && 'cursor' in page.next ? page.next.cursor : null };
}
