// The delete budget: one pass may prune at most a share of what a unit owns (default
// half). A commit that removes most of a unit's files, a path renamed by mistake, a
// kustomization that stopped including a base: all look like "delete almost
// everything", and on an unattended edge cluster nobody is watching. Past the budget
// the pass prunes nothing, fails with a message that says how to confirm, and waits.
//
// Confirmation is for one revision: the annotation `tether.dev/confirm-prune: <sha>`
// on the unit's record ConfigMap (a prefix of at least 7 characters is enough), or
// `--confirm-prune` for one `tether sync --once`. Flux has no such budget; Tether
// deliberately differs here (see README "Delete budget").

export const CONFIRM_PRUNE_ANNOTATION = "tether.dev/confirm-prune";
export const DEFAULT_DELETE_BUDGET = 0.5;

export interface BudgetInput {
  /** Objects the unit owned before this pass (its inventory). */
  owned: number;
  /** Objects this pass would prune. */
  toPrune: number;
  /** Of `toPrune`, those Flux Kustomizations it prunes take with them (also in `owned`). */
  throughKustomizations?: number;
  /** The largest share of `owned` one pass may prune (1 = no budget). */
  budget: number;
  /** The revision was confirmed by annotation or flag. */
  confirmed: boolean;
  /** How to confirm, for the message; default: a unit's. */
  confirmWith?: string;
}

export type BudgetDecision = { prune: true } | { prune: false; message: string };

export function deleteBudgetDecision(input: BudgetInput): BudgetDecision {
  const { owned, toPrune, budget, confirmed } = input;
  if (toPrune === 0 || confirmed || budget >= 1 || owned === 0) return { prune: true };
  if (toPrune / owned <= budget) return { prune: true };
  const through = input.throughKustomizations
    ? ` (${input.throughKustomizations} of them through the Flux Kustomizations it would delete)`
    : "";
  return {
    prune: false,
    message: `would prune ${toPrune} of ${owned} objects${through}, more than the delete budget of ${Math.round(budget * 100)}%: nothing pruned. Confirm this revision with ${input.confirmWith ?? `the annotation ${CONFIRM_PRUNE_ANNOTATION}=<revision> on the unit's record ConfigMap (or --confirm-prune with tether sync --once), or raise the unit's deleteBudget`}`,
  };
}

/** Whether `confirmation` (an annotation value) confirms `revision`. */
export function confirmsRevision(confirmation: string | undefined, revision: string): boolean {
  const value = (confirmation ?? "").trim();
  return value.length >= 7 && revision.startsWith(value);
}

/** "50%", "0.5", 50, "off" -> a share in [0, 1]; "off" is 1 (no budget). */
export function parseDeleteBudget(value: unknown, where: string): number {
  if (value === "off" || value === false) return 1;
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text);
  const share = m ? Number(m[1]) / (m[2] || Number(m[1]) > 1 ? 100 : 1) : Number.NaN;
  if (!(share >= 0 && share <= 1))
    throw new Error(`${where}: "${value}" is not a delete budget (use e.g. 50%, or off)`);
  return share;
}
