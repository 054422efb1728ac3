// A promotion or merge that would move a tag it must not; nothing was changed (exit 2).
export class PromoteRefusedError extends Error {}
