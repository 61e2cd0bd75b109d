package metrics

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/contract"
	"github.com/accordhq/accord/metrics/internal/wire"
	"github.com/shopspring/decimal"
)

// RetentionOptions configures a [Retention].
type RetentionOptions struct {
	// From and To bound the period: From is its first day and To the day
	// after its last. Both are required.
	From, To accord.Date
	// Percentiles lists the percentiles, beyond the median, of the time to
	// live and of the slippage.
	Percentiles []int
}

// Retention accumulates what happened to contracts in a period: renewals
// (overall, by commitment type and by term length), revenue retention, the
// refund rate, the time from won to live and the slippage of go-lives
// behind the scoped finish.
//
// The definitions, each over the period [From, To):
//
//   - A term is due when its renewal date falls in the period: the rate
//     counts terms, so a monthly contract is due twelve times a year. It renewed
//     when its outcome is renewed or auto-renewed; it churned when the
//     customer churned, was refunded or lapsed during it; it is pending
//     while it has no outcome and the contract can still renew. A customer
//     who leaves mid-term counts when that term was due, which may be a
//     later period than the one it left in. The renewal
//     rate is renewed over due; the churn rate churned over due. Groups by
//     commitment type and by term length use the same counts.
//   - Revenue retention follows the cohort of recurring contracts (billing
//     monthly or annual) that are live at the start of From: created before
//     it, in a term that started before it, and not churned, refunded or
//     lapsed. Each contract's annual recurring value is its term's value
//     times 12 over the term's months, rounded to the currency's minor unit,
//     taken from the term in force (the last one started) at the start of
//     From and of To. A contract worth nothing at To churned its starting
//     value; otherwise the difference is an expansion or a contraction.
//     GRR = (start − churn − contraction) / start and NRR = (start +
//     expansion − contraction − churn) / start, per currency.
//   - The refund rate is the share of contracts live at some time in the
//     period that were refunded in it.
//   - The time to live is from the won deal (WonAt) to the go-live, for
//     contracts that went live in the period; the slippage compares the
//     day of the go-live with the scoped finish, for those that have one.
//
// Days are read from instants in their own location (see [accord.DateOf]).
// Memory grows with the number of groups, currencies and distinct
// durations, not with the number of contracts. Not safe for concurrent use;
// merge one per goroutine.
type Retention struct {
	opts                RetentionOptions
	from, to            accord.Date
	made                bool
	contracts, rejected int64
	renewals            RenewalCounts
	byCommitment        map[contract.Commitment]*RenewalCounts
	byTerm              map[int]*RenewalCounts
	revenue             map[accord.Currency]*revenueSums
	live, refunded      int64
	toLive              hist
	measured, late      int64
	lateBy              hist
}

type revenueSums struct {
	contracts                                 int64
	start, expansion, contraction, churn, end amountSum
}

// NewRetention returns an empty Retention for the period in opts.
func NewRetention(opts RetentionOptions) (*Retention, error) {
	var errs []error
	if !opts.From.Valid() {
		errs = append(errs, invalidf("from", "must be a real day"))
	}
	if !opts.To.Valid() {
		errs = append(errs, invalidf("to", "must be a real day"))
	}
	if opts.From.Valid() && opts.To.Valid() && !opts.From.Before(opts.To) {
		errs = append(errs, invalidf("to", "must be after from, %s; got %s", opts.From, opts.To))
	}
	errs = append(errs, checkPercentiles("percentiles", opts.Percentiles)...)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	opts.Percentiles = slices.Clone(opts.Percentiles)
	return &Retention{
		opts: opts, from: opts.From, to: opts.To, made: true,
		byCommitment: map[contract.Commitment]*RenewalCounts{},
		byTerm:       map[int]*RenewalCounts{},
		revenue:      map[accord.Currency]*revenueSums{},
	}, nil
}

// inPeriod reports whether day d is in the period [From, To).
func (r *Retention) inPeriod(d accord.Date) bool { return !d.Before(r.from) && d.Before(r.to) }

func (r *Retention) built() error {
	if r == nil || !r.made {
		return invalidf("retention", "is not built: use NewRetention")
	}
	return nil
}

// Add accumulates one contract. A contract that does not validate (see
// [contract.Contract.Validate]) is refused with an error and counted as
// rejected.
func (r *Retention) Add(c *contract.Contract) error {
	if err := r.built(); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		r.rejected++
		if c == nil {
			return err
		}
		return fmt.Errorf("contract %q: %w", c.ID, err)
	}
	r.contracts++
	r.addRenewals(c)
	r.addRevenue(c)
	r.addRefund(c)
	r.addGoLive(c)
	return nil
}

// addRenewals counts the terms due in the period by outcome.
func (r *Retention) addRenewals(c *contract.Contract) {
	count := func(t contract.Term, outcome func(*RenewalCounts)) {
		if !r.inPeriod(t.Renewal) {
			return
		}
		for _, rc := range []*RenewalCounts{&r.renewals, group(r.byCommitment, c.Commitment), group(r.byTerm, t.Months)} {
			rc.Due++
			outcome(rc)
		}
	}
	ended := false
	for _, x := range c.Renewals {
		switch x.Outcome {
		case contract.OutcomeRenewed:
			count(x.Previous, func(rc *RenewalCounts) { rc.Renewed++ })
		case contract.OutcomeAutoRenewed:
			count(x.Previous, func(rc *RenewalCounts) { rc.AutoRenewed++ })
		case contract.OutcomeChurned:
			count(x.Previous, func(rc *RenewalCounts) { rc.Churned++ })
			ended = true
		}
	}
	if ended {
		return
	}
	switch c.Status {
	case contract.StatusRefunded:
		count(c.Term, func(rc *RenewalCounts) { rc.Refunded++ })
	case contract.StatusLapsed:
		count(c.Term, func(rc *RenewalCounts) { rc.Lapsed++ })
	default:
		count(c.Term, func(rc *RenewalCounts) { rc.Pending++ })
	}
}

func group[K comparable](m map[K]*RenewalCounts, k K) *RenewalCounts {
	rc := m[k]
	if rc == nil {
		rc = &RenewalCounts{}
		m[k] = rc
	}
	return rc
}

// ended reports whether status s ends a relationship.
func ended(s contract.Status) bool {
	return s == contract.StatusChurned || s == contract.StatusRefunded || s == contract.StatusLapsed
}

// statusBefore returns c's status at the start of day, and whether c
// existed then.
func statusBefore(c *contract.Contract, day accord.Date) (contract.Status, bool) {
	if len(c.History) == 0 || !accord.DateOf(c.History[0].At).Before(day) {
		return "", false
	}
	s := contract.StatusOnboarding
	for _, e := range c.History {
		if !accord.DateOf(e.At).Before(day) {
			break
		}
		if e.Kind == contract.EventStatus || e.Kind == contract.EventCreated {
			s = e.To
		}
	}
	return s, true
}

// termBefore returns the last term of c that started before day.
func termBefore(c *contract.Contract, day accord.Date) (contract.Term, bool) {
	var out contract.Term
	found := false
	consider := func(t contract.Term) {
		if t.Start.Before(day) {
			out, found = t, true
		}
	}
	for _, x := range c.Renewals {
		consider(x.Previous)
	}
	consider(c.Term)
	return out, found
}

// arrBefore returns the annual recurring value of c at the start of day,
// and whether c was live then.
func arrBefore(c *contract.Contract, day accord.Date) (decimal.Decimal, bool) {
	s, ok := statusBefore(c, day)
	if !ok {
		return decimal.Zero, false
	}
	t, ok := termBefore(c, day)
	if !ok {
		return decimal.Zero, false
	}
	if ended(s) {
		return decimal.Zero, true
	}
	return annual(t), true
}

// annual returns the annual value of t, rounded half away from zero to its
// currency's minor unit.
func annual(t contract.Term) decimal.Decimal {
	if t.Months <= 0 {
		return decimal.Zero // refused by Validate; never divide by it
	}
	minor := minorUnits(t.Value.Currency)
	a := t.Value.Amount
	// The common case in int64, without allocating: at most 13 digits
	// and at most the minor unit's places, so that the coefficient at the
	// minor unit times 12 stays far from overflowing.
	if e := a.Exponent(); a.NumDigits() <= 13 && e <= 0 && e >= -minor && a.Sign() >= 0 {
		c := a.CoefficientInt64()
		for range e + minor {
			c *= 10
		}
		n, m := c*12, int64(t.Months)
		q, r := n/m, n%m
		if 2*r >= m {
			q++
		}
		return decimal.New(q, -minor)
	}
	return a.Mul(decimal.NewFromInt(12)).DivRound(decimal.NewFromInt(int64(t.Months)), minor)
}

// addRevenue follows c through the period when it belongs to the cohort.
func (r *Retention) addRevenue(c *contract.Contract) {
	if c.Billing == contract.BillingOneOff {
		return
	}
	start, live := arrBefore(c, r.from)
	if !live || start.Sign() == 0 {
		return
	}
	end, _ := arrBefore(c, r.to)
	cur := c.Term.Value.Currency
	s := r.revenue[cur]
	if s == nil {
		s = &revenueSums{}
		r.revenue[cur] = s
	}
	s.contracts++
	s.start.add(start)
	s.end.add(end)
	switch delta := end.Sub(start); {
	case end.Sign() == 0:
		s.churn.add(start)
	case delta.Sign() > 0:
		s.expansion.add(delta)
	case delta.Sign() < 0:
		s.contraction.add(delta.Neg())
	}
}

// addRefund counts c in the refund rate when it was live in the period.
func (r *Retention) addRefund(c *contract.Contract) {
	s, existed := statusBefore(c, r.to)
	if !existed {
		return
	}
	if before, ok := statusBefore(c, r.from); ok && ended(before) {
		return
	}
	if !c.Since.Before(r.to) {
		return
	}
	r.live++
	if s == contract.StatusRefunded && c.Refunded != nil {
		if r.inPeriod(accord.DateOf(c.Refunded.GrantedAt)) {
			r.refunded++
		}
	}
}

// addGoLive measures the time to live and the slippage of a contract that
// went live in the period.
func (r *Retention) addGoLive(c *contract.Contract) {
	if c.GoLiveAt.IsZero() {
		return
	}
	live := accord.DateOf(c.GoLiveAt)
	if !r.inPeriod(live) {
		return
	}
	if !c.WonAt.IsZero() && !c.GoLiveAt.Before(c.WonAt) {
		r.toLive.add(minutes(c.GoLiveAt.Sub(c.WonAt)))
	}
	if c.Scope.Finish.IsZero() {
		return
	}
	r.measured++
	if slip := c.Scope.Finish.DaysUntil(live); slip > 0 {
		r.late++
		r.lateBy.add(int64(slip) * 24 * 60)
	}
}

// Merge adds the contracts accumulated by o, built for the same period and
// percentiles.
func (r *Retention) Merge(o *Retention) error {
	if err := bothBuilt(r, o, "retention"); err != nil {
		return err
	}
	if o.from != r.from || o.to != r.to || !slices.Equal(o.opts.Percentiles, r.opts.Percentiles) {
		return invalidf("other", "was built for another period or other percentiles")
	}
	// o may be r: read everything of o before changing r.
	oc := *o
	r.contracts += oc.contracts
	r.rejected += oc.rejected
	r.renewals.add(oc.renewals)
	for _, k := range slices.Sorted(maps.Keys(oc.byCommitment)) {
		v := *oc.byCommitment[k]
		group(r.byCommitment, k).add(v)
	}
	for _, k := range slices.Sorted(maps.Keys(oc.byTerm)) {
		v := *oc.byTerm[k]
		group(r.byTerm, k).add(v)
	}
	for _, cur := range slices.Sorted(maps.Keys(oc.revenue)) {
		os := *oc.revenue[cur]
		s := r.revenue[cur]
		if s == nil {
			s = &revenueSums{}
			r.revenue[cur] = s
		}
		s.contracts += os.contracts
		s.start.merge(&os.start)
		s.expansion.merge(&os.expansion)
		s.contraction.merge(&os.contraction)
		s.churn.merge(&os.churn)
		s.end.merge(&os.end)
	}
	r.live += oc.live
	r.refunded += oc.refunded
	toLive, lateBy := oc.toLive.clone(), oc.lateBy.clone()
	r.toLive.merge(toLive)
	r.measured += oc.measured
	r.late += oc.late
	r.lateBy.merge(lateBy)
	return nil
}

// RenewalCounts counts the terms due in a period by outcome.
type RenewalCounts struct {
	Due         int64 `json:"due"`
	Renewed     int64 `json:"renewed"`
	AutoRenewed int64 `json:"auto_renewed"`
	Churned     int64 `json:"churned"`
	Refunded    int64 `json:"refunded"`
	Lapsed      int64 `json:"lapsed"`
	Pending     int64 `json:"pending"`
}

func (c *RenewalCounts) add(o RenewalCounts) {
	c.Due += o.Due
	c.Renewed += o.Renewed
	c.AutoRenewed += o.AutoRenewed
	c.Churned += o.Churned
	c.Refunded += o.Refunded
	c.Lapsed += o.Lapsed
	c.Pending += o.Pending
}

// RenewalRate is the share of the due terms that renewed, by hand or by
// themselves.
func (c RenewalCounts) RenewalRate() Rate { return Rate{Num: c.Renewed + c.AutoRenewed, Den: c.Due} }

// ChurnRate is the share of the due terms whose customer churned, was
// refunded or lapsed.
func (c RenewalCounts) ChurnRate() Rate {
	return Rate{Num: c.Churned + c.Refunded + c.Lapsed, Den: c.Due}
}

// RenewalGroup is the renewal counts of one commitment type or one term
// length.
type RenewalGroup struct {
	Commitment contract.Commitment `json:"commitment,omitempty"`
	Months     int                 `json:"months,omitempty"`
	RenewalCounts
	RenewalRate Rate `json:"renewal_rate"`
	ChurnRate   Rate `json:"churn_rate"`
}

// RevenueRetention is the revenue retention of one currency's cohort. Its
// sums are annual recurring values; GRR and NRR are computed from them.
type RevenueRetention struct {
	Currency accord.Currency `json:"currency"`
	// Contracts counts the cohort.
	Contracts   int64        `json:"contracts"`
	Start       accord.Money `json:"start"`
	Expansion   accord.Money `json:"expansion"`
	Contraction accord.Money `json:"contraction"`
	Churn       accord.Money `json:"churn"`
	End         accord.Money `json:"end"`
}

// GRR returns (start − churn − contraction) / start, or false when the
// cohort started with nothing.
func (r RevenueRetention) GRR() (float64, bool) {
	kept := r.Start.Amount.Sub(r.Churn.Amount).Sub(r.Contraction.Amount)
	return share(kept, r.Start.Amount)
}

// NRR returns (start + expansion − contraction − churn) / start, or false
// when the cohort started with nothing.
func (r RevenueRetention) NRR() (float64, bool) {
	kept := r.Start.Amount.Add(r.Expansion.Amount).Sub(r.Contraction.Amount).Sub(r.Churn.Amount)
	return share(kept, r.Start.Amount)
}

func share(num, den decimal.Decimal) (float64, bool) {
	if den.Sign() == 0 {
		return 0, false
	}
	v, _ := num.DivRound(den, 12).Float64()
	return v, true
}

// Slippage compares go-lives with the scoped finish.
type Slippage struct {
	// Late is the share of the measured go-lives after the scoped finish.
	Late Rate `json:"late"`
	// LateBy is the distribution of how late the late ones were, in whole
	// days.
	LateBy Distribution `json:"late_by"`
}

// RetentionResult holds the figures of a [Retention].
type RetentionResult struct {
	From      accord.Date   `json:"from"`
	To        accord.Date   `json:"to"`
	Contracts int64         `json:"contracts"`
	Rejected  int64         `json:"rejected"`
	Renewals  RenewalCounts `json:"renewals"`
	// RenewalRate and ChurnRate are those of Renewals.
	RenewalRate Rate `json:"renewal_rate"`
	ChurnRate   Rate `json:"churn_rate"`
	// ByCommitment and ByTerm group the due terms, ordered by commitment
	// and by months.
	ByCommitment []RenewalGroup `json:"by_commitment"`
	ByTerm       []RenewalGroup `json:"by_term"`
	// Revenue has one row per currency, ordered by currency.
	Revenue    []RevenueRetention `json:"revenue"`
	RefundRate Rate               `json:"refund_rate"`
	TimeToLive Distribution       `json:"time_to_live"`
	Slippage   Slippage           `json:"slippage"`
}

// Result returns the figures accumulated so far.
func (r *Retention) Result() RetentionResult {
	if r.built() != nil {
		return RetentionResult{}
	}
	out := RetentionResult{
		From: r.opts.From, To: r.opts.To, Contracts: r.contracts, Rejected: r.rejected,
		Renewals: r.renewals, RenewalRate: r.renewals.RenewalRate(), ChurnRate: r.renewals.ChurnRate(),
		RefundRate: Rate{Num: r.refunded, Den: r.live},
		TimeToLive: r.toLive.distribution(r.opts.Percentiles),
		Slippage:   Slippage{Late: Rate{Num: r.late, Den: r.measured}, LateBy: r.lateBy.distribution(r.opts.Percentiles)},
	}
	for _, k := range slices.Sorted(maps.Keys(r.byCommitment)) {
		c := *r.byCommitment[k]
		out.ByCommitment = append(out.ByCommitment, RenewalGroup{Commitment: k, RenewalCounts: c, RenewalRate: c.RenewalRate(), ChurnRate: c.ChurnRate()})
	}
	for _, k := range slices.Sorted(maps.Keys(r.byTerm)) {
		c := *r.byTerm[k]
		out.ByTerm = append(out.ByTerm, RenewalGroup{Months: k, RenewalCounts: c, RenewalRate: c.RenewalRate(), ChurnRate: c.ChurnRate()})
	}
	for _, cur := range slices.Sorted(maps.Keys(r.revenue)) {
		s := r.revenue[cur]
		out.Revenue = append(out.Revenue, RevenueRetention{
			Currency: cur, Contracts: s.contracts,
			Start: s.start.money(cur), Expansion: s.expansion.money(cur), Contraction: s.contraction.money(cur),
			Churn: s.churn.money(cur), End: s.end.money(cur),
		})
	}
	return out
}

// MarshalBinary returns r's partial, for [Retention.UnmarshalBinary] in
// another process (see the package documentation, "Partials").
func (r *Retention) MarshalBinary() ([]byte, error) { return r.AppendBinary(nil) }

// AppendBinary appends r's partial to b, as [Retention.MarshalBinary].
func (r *Retention) AppendBinary(b []byte) ([]byte, error) {
	return appendPartial(r, b, "retention")
}

// UnmarshalBinary replaces r's state with the partial in data, computed
// for the same period and percentiles. r must be built with
// [NewRetention]; on error it is left unchanged.
func (r *Retention) UnmarshalBinary(data []byte) error {
	return readPartial(r, data, "retention", "this retention", func() (*Retention, error) { return NewRetention(r.opts) })
}

func (r *Retention) settings() []wire.Setting {
	return []wire.Setting{
		{Name: "from", Value: r.from.String()},
		{Name: "to", Value: r.to.String()},
		{Name: "percentiles", Value: fmt.Sprint(r.opts.Percentiles)},
	}
}

func (r *Retention) state(c *wire.Codec) {
	c.Uint("contracts", &r.contracts)
	c.Uint("rejected", &r.rejected)
	r.renewals.state(c)
	wire.Map(c, "by_commitment", r.byCommitment, cmp.Compare[contract.Commitment],
		func(k *contract.Commitment) { c.String("commitment", (*string)(k)) },
		func(rc *RenewalCounts) { rc.state(c) })
	wire.Map(c, "by_term", r.byTerm, cmp.Compare[int],
		func(k *int) {
			m := int64(*k)
			c.Int("months", &m)
			if c.Reading() && (m < 1 || m > 1200) && c.Err() == nil {
				c.Fail("months", "must be between 1 and 1200; got %d", m)
			}
			*k = int(m)
		},
		func(rc *RenewalCounts) { rc.state(c) })
	wire.Map(c, "revenue", r.revenue, cmp.Compare[accord.Currency],
		func(k *accord.Currency) { currency(c, "currency", k, false) },
		func(s *revenueSums) {
			c.Uint("contracts", &s.contracts)
			s.start.state(c, "start", -1)
			s.expansion.state(c, "expansion", -1)
			s.contraction.state(c, "contraction", -1)
			s.churn.state(c, "churn", -1)
			s.end.state(c, "end", -1)
		})
	c.Uint("live", &r.live)
	c.Uint("refunded", &r.refunded)
	r.toLive.state(c, "to_live", -1)
	c.Uint("measured", &r.measured)
	c.Uint("late", &r.late)
	r.lateBy.state(c, "late_by", -1)
	atMost(c, "refunded", "live", r.live, r.refunded)
	atMost(c, "late", "measured", r.measured, r.late)
}

// state writes or reads the counts of rc.
func (rc *RenewalCounts) state(c *wire.Codec) {
	c.Uint("due", &rc.Due)
	c.Uint("renewed", &rc.Renewed)
	c.Uint("auto_renewed", &rc.AutoRenewed)
	c.Uint("churned", &rc.Churned)
	c.Uint("refunded", &rc.Refunded)
	c.Uint("lapsed", &rc.Lapsed)
	c.Uint("pending", &rc.Pending)
	atMost(c, "pending", "due", rc.Due, rc.Renewed, rc.AutoRenewed, rc.Churned, rc.Refunded, rc.Lapsed, rc.Pending)
}
