// Package dealtest checks a host's own [deal.Process] against the invariants
// the library promises, in the spirit of [testing/fstest] and
// [testing/slogtest]: one call runs every check, each in a subtest named
// after the invariant it checks.
//
// A host that builds its own process (with [deal.NewProcess], from JSON, or
// as a variant of another) tests it with [Run]:
//
//	func TestProcess(t *testing.T) {
//		p, err := loadOurProcess()
//		if err != nil {
//			t.Fatal(err)
//		}
//		dealtest.Run(t, p)
//	}
//
// and checks it at start-up, where there is no [testing.T], with [Check]:
//
//	if err := dealtest.Check(p); err != nil {
//		log.Fatalf("our process: %v", err)
//	}
//
// # Invariants
//
// Run runs one subtest per invariant, in this order, named as listed. The
// names are stable.
//
//   - reachable: every open stage is reached from the first by advancing,
//     and the last advances to live; every open stage can be lost and can
//     revert to every earlier stage; a deal lost at a stage can be
//     reopened into it or an earlier stage only, and never into the Closed
//     Won stage or later (it is won again through the close); live has no
//     moves. And no stage is dead: some generated deal in each open stage meets
//     every exit criterion of it and every entry criterion of the stage
//     after it at once. The complete canonical deal is asked first, then
//     64 generated deals from fixed seeds (half complete, half as
//     [DealAt] draws them); a criterion none of them meets is reported at
//     its path, such as "stages[5].entry[3]", by stage, side and ID, with
//     the stage it leaves dead; when each criterion is met by some deal
//     but never all by one, those unmet on the closest deal are. A
//     criterion that reads what the generators cannot know (a host
//     field's own values) needs [Populate].
//   - criteria_well_formed: every criterion has an ID unique on its side
//     of its stage, a description and a rule.
//   - criteria_do_not_panic: no criterion panics, on the canonical deals
//     of [Check] or on generated deals, at any time. A criterion that
//     panics is reported by its stage, side and ID, such as
//     `qualification exit criterion "champion_engaged"`, and the run goes
//     on.
//   - criteria_do_not_modify: evaluating a criterion leaves the deal
//     exactly as it was.
//   - criteria_deterministic: a criterion gives the same answer when asked
//     twice about the same deal at the same time. The two questions are
//     microseconds apart, so this finds rules that answer at random, not
//     every rule that reads the clock or state outside the deal.
//   - move_iff_nothing_unmet: each move [deal.Process.Moves] lists succeeds
//     exactly when nothing is unmet (on a deal that passes
//     [deal.Deal.Validate]; every move refuses one that does not with
//     [accord.ErrInvalid]); [deal.Process.UnmetTo] (and
//     [deal.Process.Unmet], for the advance) report the same unmet
//     criteria; a refused move's [*accord.BlockedError] lists exactly
//     those; a move that succeeds lands where Moves said, as the kind of
//     event it said; UnmetTo refuses a stage Moves does not list with
//     [accord.ErrConflict].
//   - refused_move_changes_nothing: a move that returns an error (blocked,
//     invalid, forbidden or conflict) leaves the deal exactly as it was,
//     and its error wraps one of [accord.ErrBlocked],
//     [accord.ErrInvalid], [accord.ErrForbidden] and
//     [accord.ErrConflict].
//   - history_consistent: through any sequence of moves and edits (a
//     stateful test), the history is one the process records: it reads
//     with [deal.Process.Read], whose rules are the consistency of a
//     history; a successful move appends exactly one event.
//   - json_round_trip: a deal decoded from its JSON encodes to the same
//     JSON, and the process gives it the same moves, unmet criteria,
//     risks and triggers as the original.
//   - keeps_guarantees: the process keeps every guarantee [Keeps] names
//     ([deal.Process.Guarantees]), and one that keeps any closes only
//     through [deal.Process.Close]: an advance into its Closed Won stage
//     lists the unmet criterion "scope_presented".
//
// This list is the one statement of the invariants: a failing subtest
// names its invariant and refers here, and shows the smallest deal (as
// JSON) and time rapid could shrink the failure to. When a criterion is
// at fault (it panics, modifies the deal or answers at random) the message
// names it by stage, side and ID, with its path in the process, such as
// "stages[1].exit[4]".
//
// "Exactly as it was" means deeply equal ([reflect.DeepEqual]) to a deep
// copy taken before: stricter than comparing the JSON a host stores.
//
// # Generated deals
//
// [DealAt] and [Deal] are the rapid generators Run uses, exported so that a
// host can state its own properties:
//
//	rapid.Check(t, func(t *rapid.T) {
//		d := dealtest.DealAt(p, "security_review").Draw(t, "deal")
//		// ... a property of the host's process ...
//	})
//
// Every generated deal is valid and has a history the process could have
// recorded; its fields are complete, empty, blank or random part by part,
// so that each criterion is sometimes met and sometimes not. [Populate]
// lets a host draw the fields its own criteria read.
//
// # Cost
//
// The number of cases per invariant is rapid's: 100 by default, set with
// -rapid.checks (a fifth of it under -short); the stateful invariant runs
// sequences of -rapid.steps moves (30 by default). With the defaults, Run
// takes well under a second on [deal.Default], and a few seconds under the
// race detector; Check takes tens of milliseconds. A failing invariant
// takes longer, while rapid shrinks the failure (-rapid.shrinktime).
//
// # Dependencies
//
// The package imports [testing] and pgregory.net/rapid, as
// [testing/fstest] imports testing: import it from test files (and from
// start-up code only for Check, if the extra dependency is acceptable).
package dealtest
