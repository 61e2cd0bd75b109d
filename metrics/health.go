package metrics

import (
	"strings"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics/internal/wire"
)

// Health accumulates the discipline of a pipeline from the deals' current
// records at a moment now: next steps, close date slips, multi-threading,
// discovery quality and champion strength. Each figure is defined on
// [HealthResult]. Its memory does not grow with the number of deals. Not
// safe for concurrent use; merge one per goroutine.
type Health struct {
	base
	now       time.Time
	discovery int // position of the discovery stage, or -1
	open      int64
	noNext    int64
	dated     int64
	slipped   int64
	multiDen  int64
	multiNum  int64
	discDen   int64
	discNum   int64
	champion  ChampionStrength
}

// HealthOptions configure a [Health].
type HealthOptions struct {
	// Now is when the deals are judged: a next step before it is overdue,
	// a close date before it has passed. Required.
	Now time.Time
}

// NewHealth returns an empty Health for deals of process p, judged at
// opts.Now.
func NewHealth(p *deal.Process, opts HealthOptions) (*Health, error) {
	now := opts.Now
	b, err := newBase(p)
	if err != nil {
		return nil, err
	}
	if now.IsZero() {
		return nil, invalidf("now", "is required")
	}
	disc := -1
	for i, s := range b.stages {
		if s.ID == deal.StageDiscovery {
			disc = i
		}
	}
	return &Health{base: b, now: now, discovery: disc}, nil
}

func (h *Health) built() error { return builtCalc(h, "health", "NewHealth") }

// Add accumulates one deal. A deal with an unusable history (see
// [Pipeline.Add]) is refused with an error and counted as rejected.
func (h *Health) Add(d *deal.Deal) error {
	rd, err := readDeal(h, d, false)
	if err != nil {
		return err
	}
	if !d.CloseDate.IsZero() || len(d.CloseDateChanges) > 0 {
		h.dated++
		if d.Slips() > 0 {
			h.slipped++
		}
	}
	if h.pastDiscovery(rd) {
		h.discDen++
		if hasSuccessCriteria(d) && hasImpact(d) {
			h.discNum++
		}
	}
	if !inPipeline(rd) {
		return nil
	}
	h.open++
	if d.NextStep.At.IsZero() || d.NextStep.At.Before(h.now) {
		h.noNext++
	}
	if h.stages[rd.Current().Index].MultiThreaded {
		h.multiDen++
		if engaged(d) >= 2 {
			h.multiNum++
		}
	}
	switch d.BusinessCase.ChampionStrength {
	case deal.StrengthStrong:
		h.champion.Strong++
	case deal.StrengthModerate:
		h.champion.Moderate++
	case deal.StrengthWeak:
		h.champion.Weak++
	case deal.StrengthNone:
		h.champion.None++
	default:
		h.champion.Unrecorded++
	}
	return nil
}

// pastDiscovery reports whether a deal's history ever entered a stage after
// discovery (live included); every deal counts for a process without a
// discovery stage.
func (h *Health) pastDiscovery(rd *deal.Reading) bool {
	if h.discovery < 0 {
		return true
	}
	for _, s := range rd.Stays() {
		if p := s.Index; p > h.discovery && p <= h.live {
			return true
		}
	}
	return false
}

func hasSuccessCriteria(d *deal.Deal) bool {
	for _, c := range d.Discovery.SuccessCriteria {
		if strings.TrimSpace(c) != "" {
			return true
		}
	}
	return false
}

func hasImpact(d *deal.Deal) bool {
	return d.BusinessCase.Impact.IsSet() && d.BusinessCase.Impact.Amount.IsPositive()
}

func engaged(d *deal.Deal) int {
	n := 0
	for i := range d.Stakeholders {
		if d.Stakeholders[i].Engaged {
			n++
		}
	}
	return n
}

// Merge adds the deals accumulated by o, built for the same process and
// moment.
func (h *Health) Merge(o *Health) error {
	if err := mergeable(h, o, "health"); err != nil {
		return err
	}
	if !h.now.Equal(o.now) {
		return invalidf("other", "was built for a different moment")
	}
	c := *o // o may be h
	h.addCounts(&c.base)
	h.open += c.open
	h.noNext += c.noNext
	h.dated += c.dated
	h.slipped += c.slipped
	h.multiDen += c.multiDen
	h.multiNum += c.multiNum
	h.discDen += c.discDen
	h.discNum += c.discNum
	h.champion.Strong += c.champion.Strong
	h.champion.Moderate += c.champion.Moderate
	h.champion.Weak += c.champion.Weak
	h.champion.None += c.champion.None
	h.champion.Unrecorded += c.champion.Unrecorded
	return nil
}

// HealthResult holds the figures of a [Health]. A deal is in the pipeline
// when its history ends in an open stage before the Closed Won stage.
type HealthResult struct {
	Deals    int64 `json:"deals"`
	Rejected int64 `json:"rejected"`
	// InPipeline counts the deals in the pipeline.
	InPipeline int64 `json:"in_pipeline"`
	// NoNextStep is the share of deals in the pipeline with no next step
	// scheduled at or after now.
	NoNextStep Rate `json:"no_next_step"`
	// SlippedCloseDate is the share of deals with an expected close date
	// (set now, or changed before) whose close date was moved later at
	// least once.
	SlippedCloseDate Rate `json:"slipped_close_date"`
	// MultiThreaded is the share of deals in the pipeline, in stages that
	// ask for multi-threading ([deal.Stage].MultiThreaded), with at least
	// two engaged stakeholders.
	MultiThreaded Rate `json:"multi_threaded"`
	// DiscoveryQuality is the share of deals that got past discovery (ever
	// entered a later stage) with documented success criteria (a non-blank
	// entry) and a quantified impact (a positive business case impact).
	DiscoveryQuality Rate `json:"discovery_quality"`
	// Champion counts the deals in the pipeline by champion strength.
	Champion ChampionStrength `json:"champion"`
}

// ChampionStrength counts deals by the strength of their champion.
// Unrecorded counts an empty or unknown strength.
type ChampionStrength struct {
	Strong     int64 `json:"strong"`
	Moderate   int64 `json:"moderate"`
	Weak       int64 `json:"weak"`
	None       int64 `json:"none"`
	Unrecorded int64 `json:"unrecorded"`
}

// StrongRate returns the share of deals with a strong champion.
func (c ChampionStrength) StrongRate() Rate {
	return Rate{Num: c.Strong, Den: c.Strong + c.Moderate + c.Weak + c.None + c.Unrecorded}
}

// Result returns the figures accumulated so far.
func (h *Health) Result() HealthResult {
	if h.built() != nil {
		return HealthResult{}
	}
	return HealthResult{
		Deals: h.deals, Rejected: h.rejected, InPipeline: h.open,
		NoNextStep:       Rate{Num: h.noNext, Den: h.open},
		SlippedCloseDate: Rate{Num: h.slipped, Den: h.dated},
		MultiThreaded:    Rate{Num: h.multiNum, Den: h.multiDen},
		DiscoveryQuality: Rate{Num: h.discNum, Den: h.discDen},
		Champion:         h.champion,
	}
}

// MarshalBinary returns h's partial, for [Health.UnmarshalBinary] in
// another process (see the package documentation, "Partials").
func (h *Health) MarshalBinary() ([]byte, error) { return h.AppendBinary(nil) }

// AppendBinary appends h's partial to b, as [Health.MarshalBinary].
func (h *Health) AppendBinary(b []byte) ([]byte, error) {
	return appendPartial(h, b, "health")
}

// UnmarshalBinary replaces h's state with the partial in data, computed
// for the same process and moment. h must be built with [NewHealth]; on
// error it is left unchanged.
func (h *Health) UnmarshalBinary(data []byte) error {
	return readPartial(h, data, "health", "this health", func() (*Health, error) { return NewHealth(h.proc, HealthOptions{Now: h.now}) })
}

func (h *Health) settings() []wire.Setting {
	return h.base.settings(wire.Setting{Name: "now", Value: describeTime(h.now)})
}

func (h *Health) state(c *wire.Codec) {
	h.base.state(c)
	for _, f := range []struct {
		name string
		v    *int64
	}{
		{"open", &h.open}, {"no_next", &h.noNext}, {"dated", &h.dated}, {"slipped", &h.slipped},
		{"multi_den", &h.multiDen}, {"multi_num", &h.multiNum}, {"disc_den", &h.discDen}, {"disc_num", &h.discNum},
		{"strong", &h.champion.Strong}, {"moderate", &h.champion.Moderate}, {"weak", &h.champion.Weak},
		{"none", &h.champion.None}, {"unrecorded", &h.champion.Unrecorded},
	} {
		c.Uint(f.name, f.v)
	}
	atMost(c, "open", "deals", h.deals, h.open)
	atMost(c, "no_next", "open", h.open, h.noNext)
	atMost(c, "dated", "deals", h.deals, h.dated)
	atMost(c, "slipped", "dated", h.dated, h.slipped)
	atMost(c, "multi_den", "open", h.open, h.multiDen)
	atMost(c, "multi_num", "multi_den", h.multiDen, h.multiNum)
	atMost(c, "disc_den", "deals", h.deals, h.discDen)
	atMost(c, "disc_num", "disc_den", h.discDen, h.discNum)
	ch := h.champion
	atMost(c, "unrecorded", "open", h.open, ch.Strong, ch.Moderate, ch.Weak, ch.None, ch.Unrecorded)
}
