/**
 * Cloud 08's calls answered as the workflow's nodes answer them: Pipedrive calls by a Pipedrive
 * simulator and Propstreet calls by a Propstreet simulator (full responses, as the HTTP Request
 * node gives them), sync-state reads, upserts and deletes by an in-test table (as the Data Table
 * node: rows of an entity whose column holds a value, an empty item when none).
 */
import type { Lookup } from '../../../nodes/shared/core/cloud/lookups';
import { membershipRound, type MembershipRunState, type Remember } from '../../../nodes/shared/core/cloud/membershipRun';
import { apiClient } from '../../helpers/httpClient';
import type { PipedriveSimulator } from '../../simulators/pipedrive';
import type { PropstreetSimulator } from '../../simulators/propstreet';
import { call } from '../../simulators/propstreet/testkit';

type Rec = Record<string, any>;

export interface MembershipBed {
	table: Rec[];
	answerOf(lookup: Lookup): Promise<unknown>;
}

function upsert(table: Rec[], row: Rec): void {
	const at = table.findIndex((r) => r.entity === row.entity && r.pipedriveId === row.pipedriveId);
	if (at >= 0) table[at] = { ...table[at], ...row };
	else table.push({ id: Math.max(100, ...table.map((r) => Number(r.id))) + 1, ...row });
}

export function membershipBed(pd: PipedriveSimulator, ps: PropstreetSimulator, table: Rec[]): MembershipBed {
	const pdCall = apiClient(pd.url);
	const bed: MembershipBed = {
		table,
		async answerOf(lookup) {
			if (lookup.api === 'state' && lookup.method === 'POST') {
				upsert(bed.table, lookup.row as unknown as Rec);
				return [{ ...lookup.row }];
			}
			if (lookup.api === 'state' && lookup.method === 'DELETE') {
				const kept = bed.table.filter((r) => !(r.entity === lookup.state!.entity && r.pipedriveId === lookup.state!.value));
				bed.table.splice(0, bed.table.length, ...kept);
				return [];
			}
			if (lookup.api === 'state') {
				const rows = bed.table.filter((r) => r.entity === lookup.state!.entity && r[lookup.state!.column] === lookup.state!.value);
				return rows.length ? rows.map((r) => ({ ...r })) : [{}];
			}
			if (lookup.api === 'pipedrive') {
				const res = await pdCall(lookup.method, lookup.path, { body: lookup.body });
				return { statusCode: res.status, body: res.body ?? '', headers: {} };
			}
			const res = await call(ps, lookup.method, lookup.path, { body: lookup.body, headers: lookup.headers });
			return { statusCode: res.status, body: res.body ?? '', headers: { etag: res.headers?.get?.('etag') ?? undefined } };
		},
	};
	return bed;
}

/** The workflow's loop from a started run to its end: every call made, the outcomes, and what static data keeps. */
export async function runLoop(bed: MembershipBed, start: MembershipRunState, settingsRow: unknown = {}, maxRounds = 400): Promise<{ calls: Lookup[]; outcomes: unknown[]; remember: Remember }> {
	let state = start;
	let answer: unknown = null;
	const calls: Lookup[] = [];
	let remember: Remember = {};
	for (let round = 0; round < maxRounds; round++) {
		const next = await membershipRound(JSON.parse(JSON.stringify(state)), answer, settingsRow);
		if (next.remember) remember = { ...remember, ...JSON.parse(JSON.stringify(next.remember)) };
		if (next.action === 'finished') return { calls, outcomes: next.outcomes, remember };
		calls.push(next.lookup);
		answer = await bed.answerOf(next.lookup);
		state = next.state;
	}
	throw new Error(`the loop did not finish in ${maxRounds} rounds`);
}
