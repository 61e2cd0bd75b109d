package dealcsv

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/csvmap"
)

// Problem is a row that was refused, with its file, line and reason; the
// export's own rows have no file.
type Problem = csvmap.Problem

// Deal is a deal read from an export: what the export tells of it. It is
// kept small (an export may hold millions of rows); [Deal.Fill] makes the
// accord deal that package metrics reads.
type Deal struct {
	// Line is the line of the deal's row (its first row, in a log).
	Line int
	// Label is the export's label of the stage the deal is in, or "lost".
	Label              string
	ID, Owner, Segment string
	Value              accord.Money
	// History is the deal's history in the result's process. It is empty
	// for an open deal without a date, which has none to tell.
	History []deal.Event
	// LostAfterWin is the loss of a deal that the export marks lost after
	// its history passed the Closed Won stage: the deal was won, counts as
	// won, and this loss (a failed delivery, an early churn) is reported
	// on its own rather than in its history. Nil otherwise.
	LostAfterWin *AfterWin
	// Unmatched names the join whose key found no row, when the deal was
	// kept without it; "" otherwise.
	Unmatched string

	loss deal.Loss // the last loss, when the history ends in one
}

// AfterWin is a loss that came after the win.
type AfterWin struct {
	// Stage is the stage the deal was in, at or after Closed Won.
	Stage  deal.StageID
	Reason deal.LossReason
	Note   string
	At     time.Time
}

// finish records what the history implies that Fill hands out by pointer.
func (x *Deal) finish() {
	if n := len(x.History); n > 0 && x.History[n-1].To == deal.StageLost {
		last := &x.History[n-1] // not copied: an event is a large struct
		x.loss = deal.Loss{Reason: last.LossReason, Stage: last.From, Note: last.Reason}
	}
}

// Fill sets *d to the deal: its ID, owner, segment, value and history,
// and the current stage, the time it was entered, the version and the loss
// that the history implies. Every other field is zeroed, so that one
// deal.Deal can be filled again and again. d shares the history's array
// and the loss with x: treat them as read-only.
func (x *Deal) Fill(d *deal.Deal) {
	// Zeroed in place, then set: a composite literal would be built on
	// the stack and copied, two passes over a large struct; and cleared as
	// a slice of one, which the runtime zeroes in wide stores, rather than
	// assigned the zero value, which is stored 16 bytes at a time.
	clear(unsafe.Slice(d, 1))
	d.ID, d.Owner, d.Segment, d.Value, d.History = x.ID, x.Owner, x.Segment, x.Value, x.History
	if n := len(x.History); n > 0 {
		last := &x.History[n-1]
		d.Stage, d.StageEnteredAt, d.Version = last.To, last.At, n-1
		if last.To == deal.StageLost {
			d.Loss = &x.loss
		}
	}
}

// Result is what [Read] and [Each] read.
type Result struct {
	// Process is the process the histories follow: the mapping's stages,
	// or for a deals export without stages one open stage "open", or for a
	// log the stages it names, in numeric order.
	Process *deal.Process
	// Deals are the deals read, in the order of their first rows; [Each]
	// leaves it empty.
	Deals []Deal
	// Problems lists the refused rows in line order, the export's first,
	// then those of the joined files.
	Problems []Problem
	// Warnings are doubts about the mapping that refused nothing, such as
	// an owner column that holds only small whole numbers.
	Warnings []string
	// LostAfterWin counts the deals lost after the win by the stage they
	// were in and their segment, ordered by stage then segment.
	LostAfterWin []AfterWinCount
	Summary      Summary
}

// AfterWinCount counts the deals lost after the win in one stage and
// segment.
type AfterWinCount struct {
	Stage   deal.StageID
	Segment string
	Deals   int
}

// Summary says what a read did with every row.
type Summary struct {
	// Rows counts the rows of the export read, refused ones included.
	Rows int
	// Deals counts the deals built.
	Deals int
	// Rejected counts the refused rows of the export by reason, ordered
	// by reason; a deal of a log refused as a whole counts once.
	Rejected []ReasonCount
	// Ignored counts the rows of a field-change log whose field the
	// mapping does not read.
	Ignored int
	// Unmatched counts the deals kept under [Unmatched].
	Unmatched int
	// LostAfterWin counts the deals lost after the win.
	LostAfterWin int
}

// ReasonCount counts the problems of one reason.
type ReasonCount struct {
	Reason string
	Rows   int
}

// String writes the summary as one line: "rows read 300, deals built 292,
// rows rejected 8 (bad date 3, duplicate id 5)", with the counts of
// ignored, unmatched and lost-after-win ones where there are any.
func (s Summary) String() string {
	var b strings.Builder
	n := 0
	for _, r := range s.Rejected {
		n += r.Rows
	}
	fmt.Fprintf(&b, "rows read %d, deals built %d, rows rejected %d", s.Rows, s.Deals, n)
	if len(s.Rejected) > 0 {
		parts := make([]string, len(s.Rejected))
		for i, r := range s.Rejected {
			parts[i] = fmt.Sprintf("%s %d", r.Reason, r.Rows)
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(parts, ", "))
	}
	if s.Ignored > 0 {
		fmt.Fprintf(&b, ", rows of other fields ignored %d", s.Ignored)
	}
	if s.Unmatched > 0 {
		fmt.Fprintf(&b, ", deals kept %s %d", Unmatched, s.Unmatched)
	}
	if s.LostAfterWin > 0 {
		fmt.Fprintf(&b, ", deals lost after the win %d", s.LostAfterWin)
	}
	return b.String()
}

// tally gathers the summary while reading.
type tally struct {
	res      *Result
	reasons  map[string]int
	afterWin map[[2]string]int
	owner    valueShape
	segment  valueShape
}

func newTally(res *Result) *tally {
	return &tally{res: res, reasons: map[string]int{}, afterWin: map[[2]string]int{}, segment: valueShape{track: true}}
}

func (t *tally) reject(p Problem) {
	t.res.Problems = append(t.res.Problems, p)
	t.reasons[p.Reason]++
}

// deal counts a deal built.
func (t *tally) deal(d *Deal) {
	t.res.Summary.Deals++
	if d.Unmatched != "" {
		t.res.Summary.Unmatched++
	}
	if d.LostAfterWin != nil {
		t.res.Summary.LostAfterWin++
		t.afterWin[[2]string{string(d.LostAfterWin.Stage), d.Segment}]++
	}
	t.owner.add(d.Owner)
	t.segment.add(d.Segment)
}

func (t *tally) finish(p *plan, joinProblems []Problem) {
	res := t.res
	slices.SortStableFunc(res.Problems, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	res.Problems = append(res.Problems, joinProblems...)
	for _, r := range sortedKeys(t.reasons) {
		res.Summary.Rejected = append(res.Summary.Rejected, ReasonCount{Reason: r, Rows: t.reasons[r]})
	}
	for k, n := range t.afterWin {
		res.LostAfterWin = append(res.LostAfterWin, AfterWinCount{Stage: deal.StageID(k[0]), Segment: k[1], Deals: n})
	}
	order := func(s deal.StageID) int { return slices.Index(p.ids, s) }
	slices.SortFunc(res.LostAfterWin, func(a, b AfterWinCount) int {
		return cmp.Or(cmp.Compare(order(a.Stage), order(b.Stage)), cmp.Compare(a.Segment, b.Segment))
	})
	if c, ok := p.col(FieldOwner); ok && t.owner.values > 0 && t.owner.smallInts == t.owner.values {
		res.Warnings = append(res.Warnings, fmt.Sprintf("owner (column %q): every value is a small whole number, such as %q: it looks like a user ID, not a name; join a file of users and map owner to its name column", c.name, t.owner.example))
	}
	if c, ok := p.col(FieldSegment); ok && t.segment.overflow {
		res.Warnings = append(res.Warnings, fmt.Sprintf("segment (column %q): more than %d distinct values: it looks like an identifier, not a segment", c.name, maxSegments))
	} else if ok && t.segment.values >= 20 && t.segment.distinctCount() == t.segment.values {
		res.Warnings = append(res.Warnings, fmt.Sprintf("segment (column %q): every deal has its own value: it looks like an identifier, not a segment", c.name))
	}
}

// maxSegments bounds the distinct segments a read keeps to judge the
// segment column: beyond it the column is an identifier.
const maxSegments = 1000

// valueShape notes what the values of a column look like, in bounded
// memory.
type valueShape struct {
	values, smallInts int
	example           string
	// track says to count the distinct values: in few while there are at
	// most maxFew (a handful of segments is the common case), then in
	// distinct, until there are more than maxSegments.
	track    bool
	few      []string
	distinct map[string]bool
	overflow bool
	// counted remembers, by the address of its string, values counted
	// before: the values are interned, so that the same text is most
	// often the same string in memory, found here without a search. Two
	// ways to a set, the latest first; an entry holds its string, so its
	// memory is never another's.
	counted [32][2]string
}

// maxFew bounds the distinct values a valueShape searches in a list.
const maxFew = 16

// distinctCount returns the number of distinct values counted.
func (v *valueShape) distinctCount() int {
	if v.distinct != nil {
		return len(v.distinct)
	}
	return len(v.few)
}

func (v *valueShape) add(s string) {
	if s == "" || s == Unmatched {
		return
	}
	v.values++
	if len(s) <= 6 && allDigits(s) {
		v.smallInts++
		if v.example == "" {
			v.example = s
		}
	}
	if !v.track || v.overflow {
		return
	}
	p := unsafe.StringData(s)
	set := &v.counted[(uint64(uintptr(unsafe.Pointer(p)))*0x9e3779b97f4a7c15)>>(64-5)]
	for _, c := range set {
		if len(c) == len(s) && unsafe.StringData(c) == p {
			return
		}
	}
	// Counted by the time add returns, unless the column overflows.
	set[1], set[0] = set[0], s
	if v.distinct == nil {
		for _, f := range v.few {
			if len(f) == len(s) && unsafe.StringData(f) == unsafe.StringData(s) {
				return
			}
		}
		if slices.Contains(v.few, s) {
			return
		}
		if len(v.few) < maxFew {
			v.few = append(v.few, s)
			return
		}
		v.distinct = make(map[string]bool, 4*maxFew)
		for _, f := range v.few {
			v.distinct[f] = true
		}
		v.few = nil
	}
	if !v.distinct[s] {
		v.distinct[s] = true
		if len(v.distinct) > maxSegments {
			v.overflow, v.distinct = true, nil
		}
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
