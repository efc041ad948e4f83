/**
 * State a transport keeps for one n8n context (one execution of one node): the resolved base URL,
 * the last rate-limit answer. Keyed weakly, so it goes away with the context.
 */
export function contextState<T extends object>(): (ctx: object) => T {
	const byContext = new WeakMap<object, T>();
	return (ctx) => {
		let state = byContext.get(ctx);
		if (!state) {
			state = {} as T;
			byContext.set(ctx, state);
		}
		return state;
	};
}
