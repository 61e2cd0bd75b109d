package pipelinebench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/shopspring/decimal"
)

// The synthetic pipeline the benchmarks and the cross-checks run on: deals
// of the default process opened over two years before genNow, moving
// through the stages with log-normal times in stage (to the second),
// advancing, being lost (with reasons that depend on the stage), reverting
// now and then, and sometimes reopened after a loss. Deals opened recently
// are still in the pipeline at genNow.

// genNow is the time the synthetic pipeline is seen at.
var genNow = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

var (
	genSegments = []string{"smb", "mid-market", "enterprise"}
	// medianDays and advance are per pre-won stage (targeting .. proposal).
	genMedianDays = []float64{6, 9, 18, 12, 16, 21}
	genAdvance    = []float64{0.6, 0.65, 0.7, 0.72, 0.75, 0.65}
	genEarlyLoss  = []deal.LossReason{deal.DisqualifiedNoFit, deal.DisqualifiedNoNeed, deal.DisqualifiedNoBudget, deal.DisqualifiedNoAuthority, deal.DisqualifiedBadTiming, deal.DisqualifiedDuplicate, deal.LossNoDecision, deal.LossTiming}
	genLateLoss   = []deal.LossReason{deal.LossNoDecision, deal.LossCompetitor, deal.LossPrice, deal.LossTiming, deal.LossBudget, deal.LossChampionLeft, deal.LossProductGap, deal.LossScopeInfeasible, deal.LossLegal}
	genReps       = func() []accord.Actor {
		out := make([]accord.Actor, 200)
		for i := range out {
			out[i] = accord.Actor{ID: fmt.Sprintf("rep-%03d", i), Role: accord.RoleSalesRep}
		}
		return out
	}()
)

// Deals returns n synthetic deals of the default process, the same for the
// same n and seed.
func Deals(n int, seed uint64) []deal.Deal {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	stages := deal.Default().Stages()
	ids := make([]deal.StageID, len(stages))
	for i, s := range stages {
		ids[i] = s.ID
	}
	const handoff = 6
	start := genNow.AddDate(-2, 0, 0).Unix()
	span := genNow.Unix() - start
	deals := make([]deal.Deal, n)
	buf := make([]deal.Event, 0, 64)
	for k := range deals {
		d := &deals[k]
		rep := genReps[rng.IntN(len(genReps))]
		seg := rng.IntN(100)
		switch {
		case seg < 50:
			seg = 0
		case seg < 85:
			seg = 1
		default:
			seg = 2
		}
		d.ID = fmt.Sprintf("d-%07d", k)
		d.Owner = rep.ID
		d.Segment = genSegments[seg]
		d.Value = accord.Money{Amount: decimal.New(int64(5000*(1+seg*seg*4)+rng.IntN(20000)), 0), Currency: "USD"}
		at := start + rng.Int64N(span)
		buf = append(buf[:0], deal.Event{Kind: deal.EventOpen, To: ids[0], At: time.Unix(at, 0).UTC(), By: rep})
		cur := 0
		stay := func(median float64) int64 {
			return int64(math.Exp(math.Log(median*86400) + 0.8*rng.NormFloat64()))
		}
		for len(buf) < 40 {
			if cur == len(ids) { // live
				break
			}
			var next time.Time
			if cur < handoff {
				at += stay(genMedianDays[cur])
			} else {
				at += stay(25)
			}
			if at > genNow.Unix() {
				break
			}
			next = time.Unix(at, 0).UTC()
			ev := deal.Event{At: next, By: rep, From: ids[cur]}
			u := rng.Float64()
			switch {
			case cur == handoff:
				if u < 0.1 { // stays in onboarding
					at = genNow.Unix() + 1
					continue
				}
				ev.Kind, ev.To = deal.EventLive, deal.StageLive
				cur = len(ids)
			case cur >= 2 && u < 0.05: // an assumption broke
				ev.Kind, ev.Reason = deal.EventRevert, "assumption changed"
				cur = 1 + rng.IntN(cur-1)
				ev.To = ids[cur]
			case u < genAdvance[cur]:
				cur++
				ev.Kind, ev.To = deal.EventAdvance, ids[cur]
				if cur == handoff {
					ev.Kind = deal.EventWon
				}
			default:
				reasons := genLateLoss
				if cur < 2 {
					reasons = genEarlyLoss
				}
				ev.Kind, ev.To, ev.LossReason = deal.EventLost, deal.StageLost, reasons[rng.IntN(len(reasons))]
				buf = append(buf, ev)
				d.Loss = &deal.Loss{Reason: ev.LossReason, Stage: ids[cur]}
				if rng.IntN(100) < 4 { // reopened later
					at += stay(30)
					if at <= genNow.Unix() {
						back := rng.IntN(cur + 1)
						buf = append(buf, deal.Event{Kind: deal.EventReopen, From: deal.StageLost, To: ids[back], At: time.Unix(at, 0).UTC(), By: rep, Reason: "budget freed"})
						d.Loss = nil
						cur = back
						continue
					}
				}
				cur = -1
			}
			if cur < 0 {
				break
			}
			if ev.Kind != deal.EventLost {
				buf = append(buf, ev)
			}
		}
		d.History = make([]deal.Event, len(buf))
		copy(d.History, buf)
		last := d.History[len(d.History)-1]
		d.Stage, d.StageEnteredAt, d.Version = last.To, last.At, len(d.History)-1
	}
	return deals
}
