package dealcsv

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/internal/csvmap"
)

// Options tells [Read] where the files a mapping joins come from and how
// to treat what does not match.
type Options struct {
	// Name names the export in errors about its columns; "export" when
	// empty. Problems of its rows carry their line only.
	Name string
	// Joins holds a reader for each join of the mapping, by name.
	Joins map[string]io.Reader
	// Zone resolves the mapping's time zone name; pass time.LoadLocation,
	// or a lookup in the zones the host knows. When nil, only "UTC" (or
	// no zone) is accepted: the library never reads the zone database.
	Zone func(name string) (*time.Location, error)
	// DropUnmatched refuses a row whose join key has no match in the
	// joined file, as a problem. By default the row is kept, its fields
	// from that file blank and its segment (and owner, when they come from
	// that file) the explicit [Unmatched].
	DropUnmatched bool
}

// Unmatched is the segment (or owner) of a deal whose join key has no
// match in the joined file that holds it.
const Unmatched = "(unmatched)"

// The reasons problems are counted under in a [Summary].
const (
	ReasonMissingID    = "missing id"
	ReasonDuplicateID  = "duplicate id"
	ReasonMissingStage = "missing stage"
	ReasonUnknownStage = "unknown stage"
	ReasonStatus       = "unknown status"
	ReasonBadDate      = "bad date"
	ReasonMissingDate  = "missing date"
	ReasonDateOrder    = "closed before opened"
	ReasonBadValue     = "bad value"
	ReasonUnmatched    = "unmatched join"
	ReasonLostFirst    = "lost before any stage"
	ReasonTwoHistories = "two histories"
	ReasonBadFlag      = "bad flag"
)

// ref is where a field is read: a column of the export (join -1) or of a
// joined file.
type ref struct {
	join, col int
	name      string // the column's name as the header writes it
}

// row is one row of the export with the rows its joins found.
type row struct {
	line      int
	main      [][]byte // the reader's, valid until the next row
	joined    [][]string
	unmatched int // the first join whose key has no match, or -1
}

// next reads the next row of rd into r, the one way the readers of both
// kinds of export take a row: it counts every row, refuses a row the reader
// could not split, and fills r's columns from a row it could. It returns
// io.EOF after the last row.
func (p *plan) next(rd *csvmap.Reader, t *tally, r *row) error {
	for {
		line, fields, prob, err := rd.Next()
		if err != nil {
			return err
		}
		t.res.Summary.Rows++
		if prob != nil {
			prob.File = ""
			t.reject(*prob)
			continue
		}
		r.line, r.main = line, fields
		if len(p.joins) > 0 {
			p.fill(r)
		} else {
			r.unmatched = -1
		}
		return nil
	}
}

// field returns the text of the field at c, trimmed of spaces, without
// copying it: bytes of the export's row, valid until the next row, or of
// a joined file's row, which must not be written to; nil when the join
// found no row. Copy or intern what you keep.
func (r *row) field(c ref) []byte {
	if c.join < 0 {
		if f := r.main[c.col]; !csvmap.Spaced(f) {
			return f
		}
		return csvmap.Trim(r.main[c.col])
	}
	if f := r.joined[c.join]; f != nil {
		return view(strings.TrimSpace(f[c.col]))
	}
	return nil
}

// get returns the text of the field at c as a string of its own.
func (r *row) get(c ref) string {
	if c.join < 0 {
		return string(csvmap.Trim(r.main[c.col]))
	}
	if f := r.joined[c.join]; f != nil {
		return strings.TrimSpace(f[c.col])
	}
	return ""
}

// view returns the bytes of s without copying them. They must not be
// written to: a string never changes.
func view(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

type joinPlan struct {
	name string
	key  ref
	ix   *csvmap.Index
}

// Position markers besides stage indices.
const (
	none = -2 // before the first event
	lost = -1
)

// plan is a mapping compiled against the headers of an export and its
// joined files.
type plan struct {
	m      *Mapping
	kind   Kind
	name   string
	dates  csvmap.Dates
	values *csvmap.Values
	// texts makes the strings of repeated texts (owners, segments, loss
	// reasons) once each.
	texts    csvmap.Interner
	currency []byte      // m.Currency
	cols     [nSlots]ref // by slot(field); a ref with no name is not mapped
	has      map[Field]bool
	joins    []joinPlan
	drop     bool
	labels   []string       // the stage labels, in order (inferred ones grow)
	ids      []deal.StageID // their IDs, once the process is built
	index    map[string]int // lower-cased value -> stage index, or lost
	exact    map[string]int // the same, as the mapping writes the values
	// exactWon and wonVal are the won values as written and lower-cased.
	exactWon map[string]bool
	fixed    bool
	outcomes bool // a status column or is_won or is_closed is mapped
	wonVal   map[string]bool
	won      int // the position of Closed Won; len(labels) (live) without one
	status   map[string]deal.Outcome
	loss     map[string]deal.LossReason
	enter    []enterCol
	remap    []int               // an inferred log: first-seen index -> stage index
	seen     map[string]stageHit // labels stageOf has read, in a fixed plan, beyond few
	few      []stageHit          // the first labels stageOf has read, in a fixed plan
	fewKeys  []fewKey            // theirs, by their index in few
	proc     *deal.Process
}

type enterCol struct {
	stage int
	at    ref
}

// compile checks m against the export's header and reads the joined
// files. It returns the problems of the joined files' rows.
func compile(m *Mapping, header []string, o Options) (*plan, []csvmap.Problem, error) {
	if err := m.Validate(); err != nil {
		return nil, nil, err
	}
	p := &plan{m: m, kind: m.Kind, name: o.Name, has: map[Field]bool{}, drop: o.DropUnmatched}
	if p.kind == "" {
		p.kind = KindDeals
	}
	if p.name == "" {
		p.name = "export"
	}
	var errs []error
	loc := time.UTC
	switch tz := m.Dates.TimeZone; {
	case tz == "" || tz == "UTC":
	case o.Zone == nil:
		errs = append(errs, accord.Invalid("dates.time_zone", "%q needs Options.Zone to resolve it (only UTC is known without one)", tz))
	default:
		l, err := o.Zone(tz)
		if err != nil || l == nil {
			errs = append(errs, accord.Invalid("dates.time_zone", "%q: %v", tz, err))
		} else {
			loc = l
		}
	}
	p.dates = csvmap.Dates{Formats: m.Dates.Formats, Location: loc}.Cached()
	p.values = csvmap.NewValues(m.Currency)
	p.currency = []byte(m.Currency)
	// The joined files, each indexed on its key.
	headers := [][]string{header}
	names := []string{p.name}
	var problems []csvmap.Problem
	for i, j := range m.Joins {
		r, ok := o.Joins[j.Name]
		if !ok || r == nil {
			errs = append(errs, accord.Invalid(fmt.Sprintf("joins[%d]", i), "no reader for %q in Options.Joins", j.Name))
			continue
		}
		key, err := p.resolve(j.Key, headers, names)
		if err != nil {
			errs = append(errs, fmt.Errorf("joins[%d].key: %w", i, err))
			continue
		}
		t, ps, err := csvmap.ReadCSV(j.Name, r)
		if err != nil {
			errs = append(errs, fmt.Errorf("joins[%d]: %w", i, err))
			continue
		}
		problems = append(problems, ps...)
		other := cmp.Or(j.OtherKey, j.Key)
		ix, err := csvmap.NewIndex(t, other)
		if err != nil {
			errs = append(errs, fmt.Errorf("joins[%d]: %w", i, err))
			continue
		}
		p.joins = append(p.joins, joinPlan{name: j.Name, key: key, ix: ix})
		headers = append(headers, t.Header)
		names = append(names, j.Name)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	for _, f := range p.kind.fields() {
		name, ok := m.Columns[f]
		if !ok {
			continue
		}
		c, err := p.resolve(name, headers, names)
		if err != nil {
			errs = append(errs, fmt.Errorf("columns.%s: %w", f, err))
			continue
		}
		p.cols[slot(f)], p.has[f] = c, true
	}
	p.outcomes = p.has[FieldStatus] || p.has[FieldIsWon] || p.has[FieldIsClose]
	// The stages and the values that name them.
	p.index, p.exact, p.wonVal, p.exactWon = map[string]int{}, map[string]int{}, map[string]bool{}, map[string]bool{}
	p.fixed = len(m.Stages) > 0
	for i, s := range m.Stages {
		p.labels = append(p.labels, cmp.Or(s.Name, string(s.ID)))
		p.ids = append(p.ids, s.ID)
		for _, v := range append([]string{string(s.ID), s.Name}, s.Values...) {
			if v = strings.TrimSpace(v); v != "" {
				p.index[strings.ToLower(v)] = i
				p.exact[v] = i
			}
		}
		if at, ok := m.Entered[s.ID]; ok {
			c, err := p.resolve(at, headers, names)
			if err != nil {
				errs = append(errs, fmt.Errorf("entered.%s: %w", s.ID, err))
				continue
			}
			p.enter = append(p.enter, enterCol{stage: i, at: c})
		}
	}
	if !p.fixed && p.kind == KindDeals {
		p.labels, p.ids, p.fixed = []string{"open"}, []deal.StageID{stageOpen}, true
	}
	for _, v := range m.WonValues {
		p.wonVal[strings.ToLower(strings.TrimSpace(v))] = true
		p.exactWon[strings.TrimSpace(v)] = true
	}
	for _, v := range m.LostValues {
		p.index[strings.ToLower(strings.TrimSpace(v))] = lost
		p.exact[strings.TrimSpace(v)] = lost
	}
	p.status = map[string]deal.Outcome{}
	for k, v := range m.Status {
		p.status[strings.ToLower(strings.TrimSpace(k))] = v
	}
	p.loss = map[string]deal.LossReason{}
	for k, v := range m.LossReasons {
		p.loss[strings.ToLower(strings.TrimSpace(k))] = v
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	if p.fixed {
		if err := p.build(); err != nil {
			return nil, nil, err
		}
	}
	return p, problems, nil
}

// resolve finds a column: "JOIN.column" in that joined file, else in the
// export, else in the first joined file that has it.
func (p *plan) resolve(name string, headers [][]string, names []string) (ref, error) {
	for j := 1; j < len(names); j++ {
		if col, ok := strings.CutPrefix(name, names[j]+"."); ok {
			i, err := csvmap.Column(names[j], headers[j], col)
			return ref{join: j - 1, col: i, name: name}, err
		}
	}
	i, err := csvmap.Column(names[0], headers[0], name)
	if err == nil || !errors.Is(err, csvmap.ErrNoColumn) {
		return ref{join: -1, col: i, name: headers[0][max(i, 0)]}, err
	}
	for j := 1; j < len(names); j++ {
		if k, err2 := csvmap.Column(names[j], headers[j], name); err2 == nil {
			return ref{join: j - 1, col: k, name: names[j] + "." + headers[j][k]}, nil
		}
	}
	if len(names) > 1 {
		return ref{}, fmt.Errorf("%w (nor has any joined file)", err)
	}
	return ref{}, err
}

const stageOpen deal.StageID = "open"

// build makes the process of the stages known so far.
func (p *plan) build() error {
	cfg := deal.Config{}
	if len(p.ids) != len(p.labels) { // inferred labels: make IDs
		p.ids = p.ids[:0]
		used := map[deal.StageID]bool{deal.StageLive: true, deal.StageLost: true}
		for _, l := range p.labels {
			id := slug(l)
			for n := 2; used[id]; n++ {
				id = slug(l) + deal.StageID("_"+strconv.Itoa(n))
			}
			used[id] = true
			p.ids = append(p.ids, id)
		}
	}
	for i, id := range p.ids {
		cfg.Stages = append(cfg.Stages, deal.Stage{ID: id, Name: p.labels[i]})
	}
	p.won = len(p.ids)
	if w := p.m.ClosedWon; w != "" {
		p.won = slices.Index(p.ids, w)
		cfg.ClosedWon = w
	} else if !p.fixed {
		// An inferred log's Closed Won is its first stage named by a won value.
		for i, l := range p.labels {
			if p.wonVal[strings.ToLower(l)] {
				if i == 0 {
					return accord.Invalid("won_values", "%q is the first stage; a deal must be open before it is won", l)
				}
				p.won, cfg.ClosedWon = i, p.ids[i]
				break
			}
		}
	}
	if len(cfg.Stages) == 0 {
		return accord.Invalid("stages", "the log names no stage")
	}
	proc, err := deal.NewProcess(cfg)
	p.proc = proc
	return err
}

// slug turns a label into a stage ID: lower case, with spaces, tabs,
// newlines and colons turned into underscores.
func slug(label string) deal.StageID {
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', ':':
			return '_'
		}
		return r
	}, strings.ToLower(label))
	return deal.StageID(s)
}

// sortNumeric orders labels numerically when all of them are integers, and
// reports false, leaving them as they are, otherwise.
func sortNumeric(labels []string) ([]string, bool) {
	nums := make([]int64, len(labels))
	for i, l := range labels {
		n, err := strconv.ParseInt(l, 10, 64)
		if err != nil {
			return labels, false
		}
		nums[i] = n
	}
	idx := make([]int, len(labels))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(nums[a], nums[b]) })
	out := make([]string, len(labels))
	for i, j := range idx {
		out[i] = labels[j]
	}
	return out, true
}

// fill looks up the joined rows of r.
func (p *plan) fill(r *row) {
	r.unmatched = -1
	if cap(r.joined) < len(p.joins) {
		r.joined = make([][]string, len(p.joins))
	}
	r.joined = r.joined[:len(p.joins)]
	for j := range p.joins {
		r.joined[j] = nil
		k := r.field(p.joins[j].key)
		if len(k) == 0 {
			continue
		}
		f, ok := p.joins[j].ix.LookupBytes(k)
		if !ok && r.unmatched < 0 {
			r.unmatched = j
		}
		r.joined[j] = f
	}
}

// lossOf reads a loss reason label: a mapped label, a reason code, or
// other with the label kept as the note.
func (p *plan) lossOf(label string) (deal.LossReason, string) {
	if label == "" {
		return deal.LossOther, ""
	}
	if r, ok := lookupFold(p.loss, label); ok {
		return r, ""
	}
	if r := deal.LossReason(strings.ToLower(label)); r.Valid() {
		return r, ""
	}
	return deal.LossOther, label
}

// stageOf reads a stage value: its position, lost, or p.won for a won
// value; ok false for a value that names nothing.
func (p *plan) stageOf(v string) (int, bool) {
	h := p.stageAt([]byte(v))
	return h.pos, h.ok
}

// stageAt reads a stage value as stageOf does, and gives its text as a
// string too.
func (p *plan) stageAt(v []byte) stageHit {
	// A fixed plan's values never change: remember what each label read,
	// since an export repeats a handful of them a million times.
	if p.fixed {
		// A short label is told by its length and a word of its bytes,
		// without a call to compare them.
		if n := len(v); n > 0 && n <= 8 {
			k := csvmap.Pack(v)
			for i := range p.fewKeys {
				if p.fewKeys[i].key == k && p.fewKeys[i].n == n {
					return p.few[i]
				}
			}
		} else {
			for i := range p.few {
				if p.few[i].label == string(v) {
					return p.few[i]
				}
			}
		}
		if h, ok := p.seen[string(v)]; ok {
			return h
		}
	}
	label := string(v)
	i, ok := p.lookupStage(label)
	h := stageHit{i, ok, label}
	if p.fixed && len(p.few) < maxFewStages {
		p.few = append(p.few, h)
		fk := fewKey{n: -1} // never a short label's
		if n := len(v); n > 0 && n <= 8 {
			fk = fewKey{csvmap.Pack(v), n}
		}
		p.fewKeys = append(p.fewKeys, fk)
	} else if p.fixed && len(p.seen) < maxSeen {
		if p.seen == nil {
			p.seen = map[string]stageHit{}
		}
		p.seen[label] = h
	}
	return h
}

// fewKey is the length of a label of plan.few, and its csvmap.Pack when
// it is one to eight bytes long; -1 otherwise.
type fewKey struct {
	key uint64
	n   int
}

// maxFewStages bounds the labels stageAt searches in a list, before a
// map: most exports use a handful.
const maxFewStages = 8

// maxSeen bounds the labels stageOf remembers.
const maxSeen = 1024

type stageHit struct {
	pos   int
	ok    bool
	label string // the value read
}

func (p *plan) lookupStage(v string) (int, bool) {
	if i, ok := p.exact[v]; ok {
		return i, true
	}
	if p.exactWon[v] {
		return p.won, true
	}
	if i, ok := lookupFold(p.index, v); ok {
		return i, true
	}
	if won, _ := lookupFold(p.wonVal, v); won {
		return p.won, true
	}
	return 0, false
}

// lookupFold looks s up in m, whose keys are in lower case, as
// m[strings.ToLower(string(s))] does, without allocating for a short ASCII s.
func lookupFold[V any, T ~string | ~[]byte](m map[string]V, s T) (V, bool) {
	var buf [64]byte
	if len(s) <= len(buf) {
		ascii := true
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= utf8.RuneSelf {
				ascii = false
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		if ascii {
			v, ok := m[string(buf[:len(s)])]
			return v, ok
		}
	}
	v, ok := m[strings.ToLower(string(s))]
	return v, ok
}

// flags are the values readFlag reads, in lower case.
var flags = map[string]bool{"true": true, "1": true, "yes": true, "y": true, "t": true,
	"false": false, "0": false, "no": false, "n": false, "f": false}

func readFlag(s []byte) (bool, bool) {
	return lookupFold(flags, s)
}

// outcomeOf reads the status of a row: from the status column, else the
// is_won and is_closed flags; "" when none says. Problems go to bad.
func (p *plan) outcomeOf(r *row, bad func(reason string, err error)) deal.Outcome {
	if !p.outcomes {
		return ""
	}
	if c, ok := p.at(sStatus); ok {
		if v := r.field(c); len(v) > 0 {
			o, ok := lookupFold(p.status, v)
			if !ok {
				bad(ReasonStatus, fmt.Errorf("status (column %q): %q is not one of the status values %s", c.name, string(v), csvmap.QuoteList(sortedKeys(p.m.Status))))
			}
			return o
		}
	}
	var won, closed, wonSet, closedSet bool
	for _, s := range [...]int{sIsWon, sIsClose} {
		c, ok := p.at(s)
		if !ok {
			continue
		}
		f := slotFields[s]
		v := r.field(c)
		if len(v) == 0 {
			continue
		}
		b, ok := readFlag(v)
		if !ok {
			bad(ReasonBadFlag, fmt.Errorf("%s (column %q): must be true or false; got %q", f, c.name, string(v)))
			continue
		}
		if f == FieldIsWon {
			won, wonSet = b, true
		} else {
			closed, closedSet = b, true
		}
	}
	switch {
	case won:
		return deal.OutcomeWon
	case closedSet && closed:
		return deal.OutcomeLost
	case closedSet:
		return deal.OutcomeOpen
	case wonSet:
		return "" // not won, and nothing says whether it is closed
	}
	return ""
}

// The slots of the fields, so that a row's columns are found in an array
// rather than a map, and the read of every row, which asks for a dozen of
// them, names each by a constant.
const (
	sID = iota
	sStage
	sStatus
	sIsWon
	sIsClose
	sOpened
	sClosed
	sValue
	sCurr
	sOwner
	sSegment
	sReason
	sNote
	sAt
	sChanged
	sNew
	nSlots
)

// slotFields are the fields by slot.
var slotFields = [nSlots]Field{FieldID, FieldStage, FieldStatus, FieldIsWon, FieldIsClose, FieldOpened, FieldClosed,
	FieldValue, FieldCurr, FieldOwner, FieldSegment, FieldReason, FieldNote, FieldAt, FieldChanged, FieldNew}

// slot returns the slot of field f.
func slot(f Field) int {
	for s, g := range slotFields {
		if g == f {
			return s
		}
	}
	return sNew
}

// at returns where the field of slot s is read, and false when it is not
// mapped.
func (p *plan) at(s int) (ref, bool) {
	c := p.cols[s]
	return c, c.name != ""
}

// col returns where field f is read, and false when it is not mapped.
func (p *plan) col(f Field) (ref, bool) {
	c := p.cols[slot(f)]
	return c, c.name != ""
}
