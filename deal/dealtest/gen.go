package dealtest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"pgregory.net/rapid"
)

// Deal returns a generator of deals of p in any of its stages: every open
// stage, live and lost. See [DealAt] for what the deals look like.
func Deal(p *deal.Process, opts ...Option) *rapid.Generator[*deal.Deal] {
	m := newModel(p, opts)
	if m.err != nil {
		return rapid.Custom(func(t *rapid.T) *deal.Deal {
			t.Fatalf("dealtest: Deal: %v", m.err)
			return nil
		})
	}
	return m.anyDeal()
}

// DealAt returns a generator of deals of p in stage, which may be an open
// stage of p, [deal.StageLive] or [deal.StageLost].
//
// Every deal passes [deal.Deal.Validate] and has a history that p could have
// recorded: opened in the first stage, then advances (won into the Closed
// Won stage, live out of the last open stage), with detours back (reverts,
// and losses followed by reopens) along the way, each event no earlier than
// the one before, ending in stage. Stage, StageEnteredAt, Version and Loss
// agree with the history. The fields are drawn around the time of the last
// event, part by part: complete (every field the built-in criteria read),
// empty, blank, or a random mix, so that each criterion is sometimes met
// and sometimes not. Host fields ("fields.<name>") and artifact kinds
// that p's criteria read are drawn too, including those read by one
// alternative of an [deal.AnyOf] or by a [deal.Named] built-in rule (see
// [deal.Criterion.Reads]), and host fields a criterion names as its Field;
// [Populate] draws the rest. A field of [deal.Deal] that a criterion reads
// and the generator has no value for (a field added to the type later) is
// filled by its type when its part is drawn complete.
//
// The generator fails the test when p is not a built process or stage is
// not one of its stages.
func DealAt(p *deal.Process, stage deal.StageID, opts ...Option) *rapid.Generator[*deal.Deal] {
	m := newModel(p, opts)
	if m.err == nil {
		if _, ok := m.order[stage]; !ok {
			m.err = accord.Invalid("stage", "%q is not a stage of the process", stage)
		}
	}
	return rapid.Custom(func(t *rapid.T) *deal.Deal {
		if m.err != nil {
			t.Fatalf("dealtest: DealAt: %v", m.err)
		}
		return m.draw(t, stage)
	})
}

// model is what the generators and the invariants know of a process.
type model struct {
	p      *deal.Process
	stages []deal.Stage
	// order gives the position of every stage: open stages in order, then
	// live, then lost.
	order     map[deal.StageID]int
	all       []deal.StageID
	fields    []string // host field names the criteria read or name
	artifacts []string // artifact kinds: the built-in ones and those the criteria read
	reads     []read   // the criteria and the deal fields each reads (see fillRead)
	populate  []func(*rapid.T, *deal.Deal)
	// keeps are the guarantees the process must keep ([Keeps]).
	keeps []deal.Guarantee
	err   error

	// canonical caches the problems found on the canonical deals.
	canonicalOnce sync.Once
	canonical     []problem
}

func newModel(p *deal.Process, opts []Option) *model {
	m := &model{p: p}
	for _, o := range opts {
		if o != nil {
			o.apply(m)
		}
	}
	m.stages = p.Stages()
	if len(m.stages) == 0 {
		m.err = accord.Invalid("process", "is nil or not built: use deal.Default, deal.NewProcess or a loader")
		return m
	}
	m.order = make(map[deal.StageID]int, len(m.stages)+2)
	m.artifacts = []string{deal.ArtifactBusinessCase, deal.ArtifactSignedAgreement, deal.ArtifactExecutedContract, deal.ArtifactSuccessPlan}
	for i, s := range m.stages {
		m.order[s.ID] = i
		m.all = append(m.all, s.ID)
		for _, c := range slices.Concat(s.Entry, s.Exit) {
			fields, artifacts := c.Reads()
			if r := newRead(c, fields); len(r.paths) > 0 {
				m.reads = append(m.reads, r)
			}
			for _, f := range append(fields, c.Field) {
				if name, ok := strings.CutPrefix(f, "fields."); ok && name != "" && !slices.Contains(m.fields, name) {
					m.fields = append(m.fields, name)
				}
			}
			for _, a := range artifacts {
				if !slices.Contains(m.artifacts, a) {
					m.artifacts = append(m.artifacts, a)
				}
			}
		}
	}
	n := len(m.stages)
	m.order[deal.StageLive], m.order[deal.StageLost] = n, n+1
	m.all = append(m.all, deal.StageLive, deal.StageLost)
	return m
}

// open reports whether i is the position of an open stage.
func (m *model) open(i int) bool { return i >= 0 && i < len(m.stages) }

// id returns the stage at position i.
func (m *model) id(i int) deal.StageID {
	switch {
	case m.open(i):
		return m.stages[i].ID
	case i == len(m.stages):
		return deal.StageLive
	}
	return deal.StageLost
}

// advanceKind is the kind of event an advance into to records.
func (m *model) advanceKind(to deal.StageID) deal.EventKind {
	switch to {
	case m.p.ClosedWon():
		return deal.EventWon
	case deal.StageLive:
		return deal.EventLive
	}
	return deal.EventAdvance
}

// won reports whether a deal at position i is at or past Closed Won and not
// lost.
func (m *model) won(i int) bool {
	return i >= m.order[m.p.ClosedWon()] && i <= len(m.stages)
}

// The actors the generated histories use.
var (
	rep     = accord.Actor{ID: "dealtest-rep", Name: "Rep", Role: accord.RoleSalesRep}
	manager = accord.Actor{ID: "dealtest-manager", Name: "Manager", Role: accord.RoleSalesManager}
	admin   = accord.Actor{ID: "dealtest-admin", Name: "Admin", Role: accord.RoleAdmin}
	lead    = accord.Actor{ID: "dealtest-lead", Name: "Lead", Role: accord.RoleImplementationLead}
	client  = accord.Actor{ID: "dealtest-client", Name: "Client", Role: accord.RoleClient}
	finance = accord.Actor{ID: "dealtest-finance", Name: "Finance", Role: accord.RoleFinance}
)

// epoch is the earliest time a generated deal opens.
var epoch = time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC)

var zones = []*time.Location{time.UTC, time.FixedZone("IST", 5*3600+1800), time.FixedZone("EST", -5*3600)}

// draw draws a deal in the stage at target.
func (m *model) draw(t *rapid.T, target deal.StageID) *deal.Deal {
	loc := rapid.SampledFrom(zones).Draw(t, "zone")
	start := epoch.Add(time.Duration(rapid.IntRange(0, 10*365*24*60).Draw(t, "start_minutes")) * time.Minute).In(loc)
	d := &deal.Deal{ID: fmt.Sprintf("d-%d", rapid.IntRange(1, 9999).Draw(t, "id")), Owner: rep.ID}
	m.history(t, d, target, start)
	at := d.History[len(d.History)-1].At
	m.fill(t, d, at)
	for _, f := range m.populate {
		f(t, d)
	}
	return d
}

// history draws a history ending in target and sets the fields that follow
// from it.
func (m *model) history(t *rapid.T, d *deal.Deal, target deal.StageID, start time.Time) {
	n := len(m.stages)
	goal := m.order[target]
	if target == deal.StageLost {
		goal = rapid.IntRange(0, n-1).Draw(t, "lost_at")
	}
	at := start
	step := func() time.Time {
		at = at.Add(time.Duration(rapid.IntRange(0, 10*24*60).Draw(t, "minutes_later")) * time.Minute)
		return at
	}
	cur := 0
	h := []deal.Event{{Kind: deal.EventOpen, To: m.id(0), At: at, By: rep}}
	add := func(ev deal.Event) {
		ev.From = m.id(cur)
		h = append(h, ev)
		cur = m.order[ev.To]
	}
	lose := func() {
		reason := rapid.SampledFrom(deal.LossReasons()).Draw(t, "loss_reason")
		add(deal.Event{Kind: deal.EventLost, To: deal.StageLost, At: step(), By: m.seller(t, cur, false), Reason: "lost to " + string(reason), LossReason: reason})
	}
	detours := rapid.IntRange(0, 3).Draw(t, "detours")
	for {
		if m.open(cur) && detours > 0 && rapid.Bool().Draw(t, "detour") {
			detours--
			if cur > 0 && rapid.Bool().Draw(t, "revert") {
				to := rapid.IntRange(0, cur-1).Draw(t, "revert_to")
				add(deal.Event{Kind: deal.EventRevert, To: m.id(to), At: step(), By: m.seller(t, cur, true), Reason: "new information"})
				continue
			}
			from := cur
			lose()
			// A deal is won again only through the close: it reopens
			// before the Closed Won stage.
			to := rapid.IntRange(0, min(from, m.order[m.p.ClosedWon()]-1)).Draw(t, "reopen_to")
			add(deal.Event{Kind: deal.EventReopen, To: m.id(to), At: step(), By: m.seller(t, cur, false), Reason: "the buyer came back"})
			continue
		}
		if cur == goal {
			break
		}
		next := m.id(cur + 1)
		add(deal.Event{Kind: m.advanceKind(next), To: next, At: step(), By: m.seller(t, cur, true)})
	}
	if target == deal.StageLost {
		lose()
	}
	last := h[len(h)-1]
	d.History, d.Stage, d.StageEnteredAt, d.Version = h, last.To, last.At, len(h)-1
	if last.Kind == deal.EventLost {
		d.Loss = &deal.Loss{Reason: last.LossReason, Stage: last.From, Note: last.Reason}
	}
}

// seller draws an actor allowed to move a deal at position i: a sales role,
// or the implementation lead for an advance or a revert of a won deal.
func (m *model) seller(t *rapid.T, i int, leadMay bool) accord.Actor {
	choice := []accord.Actor{rep, manager, admin}
	if leadMay && m.won(i) {
		choice = append(choice, lead)
	}
	return rapid.SampledFrom(choice).Draw(t, "by")
}
