/**
 * The Pipedrive pipeline a person means by a name typed into the settings or a node parameter:
 * matched without regard to case or surrounding spaces. One rule for the Deal Poll Trigger and the
 * Sync node's participant sweep, so both watch the same pipeline for the same setting.
 */
export function findPipelineByName<T extends object>(pipelines: readonly T[], name: string): T | undefined {
	const wanted = name.trim().toLowerCase();
	return pipelines.find((p) => String((p as { name?: unknown }).name ?? '').trim().toLowerCase() === wanted);
}
