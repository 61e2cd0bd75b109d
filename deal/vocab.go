package deal

// The codes in this file are stable: hosts store them, so once published they
// are never renamed or removed. New codes are appended.

// StageID identifies a stage of a process. The default process uses the
// Stage constants below; a custom process may use its own.
type StageID string

// The stages of the default process, in order, and its two terminal stages.
const (
	StageTargeting         StageID = "targeting"
	StageQualification     StageID = "qualification"
	StageDiscovery         StageID = "discovery"
	StageSolutionAlignment StageID = "solution_alignment"
	StageBusinessCase      StageID = "business_case"
	StageProposal          StageID = "proposal"
	StageHandoff           StageID = "handoff"

	// StageLive is terminal: the customer is live and the relationship goes
	// on in package contract. Every process has it.
	StageLive StageID = "live"
	// StageLost is terminal but for reopen. Every process has it.
	StageLost StageID = "lost"
)

// EventKind says what kind of move an [Event] records.
type EventKind string

// The kinds of event.
const (
	// EventOpen records the creation of the deal in the first stage.
	EventOpen EventKind = "open"
	// EventAdvance records a move forward one stage.
	EventAdvance EventKind = "advance"
	// EventWon records Closed Won: the advance into the process's won stage
	// (handoff, in the default process).
	EventWon EventKind = "won"
	// EventLive records the advance out of the last open stage into live.
	EventLive EventKind = "live"
	// EventRevert records a move back to an earlier open stage.
	EventRevert EventKind = "revert"
	// EventLost records a loss or a disqualification.
	EventLost EventKind = "lost"
	// EventReopen records a lost deal brought back to an open stage.
	EventReopen EventKind = "reopen"
	// EventContract records the contract made from a won deal
	// ([Process.SetContract]): Event.Contract is its ID. It is not a move:
	// From and To are the stage the deal is in, which it leaves as it is,
	// and it begins no stay. It counts in Version.
	EventContract EventKind = "contract"
)

// Fit is the qualification verdict on an account.
type Fit string

// The fit labels.
const (
	FitStrong   Fit = "strong"
	FitPossible Fit = "possible"
	FitNone     Fit = "not_a_fit"
)

// valid reports whether f is one of the fit labels. It is a switch over
// the constants, compared inline, because every move validates the deal
// (see the package doc of internal/vocab).
func (f Fit) valid() bool {
	switch f {
	case FitStrong, FitPossible, FitNone:
		return true
	}
	return false
}

// Strength grades a champion.
type Strength string

// The champion strengths.
const (
	StrengthStrong   Strength = "strong"
	StrengthModerate Strength = "moderate"
	StrengthWeak     Strength = "weak"
	StrengthNone     Strength = "none"
)

// valid reports whether s is one of the champion strengths; a switch, as
// Fit.valid is.
func (s Strength) valid() bool {
	switch s {
	case StrengthStrong, StrengthModerate, StrengthWeak, StrengthNone:
		return true
	}
	return false
}

// StakeholderRole is the part a person plays in the buyer's decision.
type StakeholderRole string

// The stakeholder roles.
const (
	RoleChampion           StakeholderRole = "champion"
	RoleEconomicBuyer      StakeholderRole = "economic_buyer"
	RoleExecutiveSponsor   StakeholderRole = "executive_sponsor"
	RoleTechnicalEvaluator StakeholderRole = "technical_evaluator"
	RoleProcurement        StakeholderRole = "procurement"
	RoleLegal              StakeholderRole = "legal"
	RoleUser               StakeholderRole = "user"
)

// valid reports whether r is one of the stakeholder roles; a switch, as
// Fit.valid is: every move validates the role of each stakeholder.
func (r StakeholderRole) valid() bool {
	switch r {
	case RoleChampion, RoleEconomicBuyer, RoleExecutiveSponsor, RoleTechnicalEvaluator, RoleProcurement, RoleLegal, RoleUser:
		return true
	}
	return false
}

// LossReason is a controlled vocabulary of why a deal was lost. Reasons that
// begin with "disqualified_" mean the deal should never have been pursued;
// the others mean it was pursued and lost.
type LossReason string

// The loss reasons.
const (
	LossNoDecision      LossReason = "no_decision"
	LossCompetitor      LossReason = "competitor"
	LossPrice           LossReason = "price"
	LossTiming          LossReason = "timing"
	LossBudget          LossReason = "budget"
	LossChampionLeft    LossReason = "champion_left"
	LossProductGap      LossReason = "product_gap"
	LossScopeInfeasible LossReason = "scope_infeasible"
	LossLegal           LossReason = "legal_or_procurement"
	LossOther           LossReason = "other"

	DisqualifiedNoFit       LossReason = "disqualified_no_fit"
	DisqualifiedNoNeed      LossReason = "disqualified_no_need"
	DisqualifiedNoBudget    LossReason = "disqualified_no_budget"
	DisqualifiedNoAuthority LossReason = "disqualified_no_authority"
	DisqualifiedBadTiming   LossReason = "disqualified_bad_timing"
	DisqualifiedDuplicate   LossReason = "disqualified_duplicate"
)

// LossReasons lists every loss reason, in a fixed order.
func LossReasons() []LossReason {
	return []LossReason{
		LossNoDecision, LossCompetitor, LossPrice, LossTiming, LossBudget,
		LossChampionLeft, LossProductGap, LossScopeInfeasible, LossLegal, LossOther,
		DisqualifiedNoFit, DisqualifiedNoNeed, DisqualifiedNoBudget,
		DisqualifiedNoAuthority, DisqualifiedBadTiming, DisqualifiedDuplicate,
	}
}

// Valid reports whether r is one of [LossReasons].
func (r LossReason) Valid() bool { return r.Index() >= 0 }

// Index returns the position of r in [LossReasons], or -1 when r is not a
// loss reason: a key for counting losses by reason without a map.
func (r LossReason) Index() int {
	// One probe of a small table keyed by the length and end bytes finds a
	// reason, which every lost event of every history read is checked for;
	// a slot two reasons share falls back to a scan.
	switch i := lossReasonSlots[r.slot()]; {
	case i == -1:
		return -1
	case i >= 0:
		if lossReasons[i] == r {
			return int(i)
		}
		return -1
	}
	for i, v := range lossReasons {
		if r == v {
			return i
		}
	}
	return -1
}

func (r LossReason) slot() int {
	if len(r) == 0 {
		return 0
	}
	return (len(r)*7 + int(r[0])*3 + int(r[len(r)-1])) & 63
}

// lossReasons and lossReasonSlots are read-only after initialisation:
// for each slot, -1 when empty, -2 when shared, else the index of the
// reason in it.
var (
	lossReasons     = LossReasons()
	lossReasonSlots = func() (slots [64]int8) {
		for i := range slots {
			slots[i] = -1
		}
		for i, r := range lossReasons {
			if s := r.slot(); slots[s] == -1 {
				slots[s] = int8(i)
			} else {
				slots[s] = -2
			}
		}
		return slots
	}()
)

// Disqualification reports whether r says the deal should never have been
// pursued, as opposed to pursued and lost.
func (r LossReason) Disqualification() bool {
	return r.Valid() && len(r) > len("disqualified_") && r[:len("disqualified_")] == "disqualified_"
}

// The artifact kinds the default process asks for.
const (
	ArtifactBusinessCase     = "business_case"
	ArtifactSignedAgreement  = "signed_agreement"
	ArtifactExecutedContract = "executed_contract"
	ArtifactSuccessPlan      = "success_plan"
)
