package adoption

import (
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord"
	"github.com/accordhq/accord/metrics/internal/wire"
	"github.com/accordhq/accord/metrics/internal/zone"
)

// The partials of this package's accumulators, in the form of package
// metrics (see its documentation, "Partials").

// MarshalBinary returns u's partial, for [Duplicates.UnmarshalBinary] in
// another process.
func (u *Duplicates) MarshalBinary() ([]byte, error) { return u.AppendBinary(nil) }

// AppendBinary appends u's partial to b, as [Duplicates.MarshalBinary].
func (u *Duplicates) AppendBinary(b []byte) ([]byte, error) {
	if u == nil || !u.built {
		return b, accord.Invalid("duplicates", "is not built: use NewDuplicates")
	}
	return wire.Append(b, "duplicates", u.settings(), u.state)
}

// UnmarshalBinary replaces u's state with the partial in data, computed
// with the same country code. u must be built with [NewDuplicates]; on
// error it is left unchanged.
func (u *Duplicates) UnmarshalBinary(data []byte) error {
	if u == nil || !u.built {
		return accord.Invalid("duplicates", "is not built: use NewDuplicates")
	}
	v := Duplicates{cc: u.cc, built: true}
	if err := wire.Read(data, "duplicates", "these duplicates", u.settings(), v.state); err != nil {
		return err
	}
	*u = v
	return nil
}

func (u *Duplicates) settings() []wire.Setting {
	return []wire.Setting{{Name: "country_code", Value: u.cc}}
}

func (u *Duplicates) state(c *wire.Codec) {
	c.Uint("rejected", &u.rejected)
	c.Enter("records", -1)
	n := len(u.recs)
	if c.Reading() {
		n = c.Len(3)
		u.recs = make([]dupRecord, n)
	} else {
		c.PutLen(n)
	}
	for i := 0; i < n && c.Err() == nil; i++ {
		c.Enter("", i)
		r := &u.recs[i]
		c.String("id", &r.id)
		c.String("email", &r.email)
		c.String("phone_name", &r.phoneName)
		switch {
		case !c.Reading() || c.Err() != nil:
		case strings.TrimSpace(r.id) == "":
			c.Fail("id", "is required")
		case normalEmail(r.email) != r.email:
			c.Fail("email", "must be empty or a normalised email; got %q", r.email)
		case r.phoneName != "" && !strings.HasPrefix(r.phoneName, "+"):
			c.Fail("phone_name", "must be empty or an E.164 phone and a name; got %q", r.phoneName)
		}
		c.Leave()
	}
	c.Leave()
	if c.Err() != nil {
		u.recs = nil
	}
}

// MarshalBinary returns s's partial, for [Stale.UnmarshalBinary] in
// another process.
func (s *Stale) MarshalBinary() ([]byte, error) { return s.AppendBinary(nil) }

// AppendBinary appends s's partial to b, as [Stale.MarshalBinary].
func (s *Stale) AppendBinary(b []byte) ([]byte, error) {
	if s == nil || s.cutoff.IsZero() {
		return b, accord.Invalid("stale", "is not built: use NewStale")
	}
	return wire.Append(b, "stale", s.settings(), s.state)
}

// UnmarshalBinary replaces s's state with the partial in data, computed
// with the same cutoff (Now less Months, in Location). s must be built
// with [NewStale]; on error it is left unchanged.
func (s *Stale) UnmarshalBinary(data []byte) error {
	if s == nil || s.cutoff.IsZero() {
		return accord.Invalid("stale", "is not built: use NewStale")
	}
	t := Stale{opts: s.opts, cutoff: s.cutoff}
	if err := wire.Read(data, "stale", "this stale", s.settings(), t.state); err != nil {
		return err
	}
	*s = t
	return nil
}

func (s *Stale) settings() []wire.Setting {
	return []wire.Setting{{Name: "cutoff", Value: s.cutoff.UTC().Format(time.RFC3339Nano)}}
}

func (s *Stale) state(c *wire.Codec) {
	c.Uint("records", &s.records)
	c.Uint("stale", &s.stale)
	c.Uint("rejected", &s.rejected)
	if c.Reading() && c.Err() == nil && s.stale > s.records {
		c.Fail("stale", "is more than records (%d)", s.records)
	}
}

// MarshalBinary returns a's partial, for [Activity.UnmarshalBinary] in
// another process.
func (a *Activity) MarshalBinary() ([]byte, error) { return a.AppendBinary(nil) }

// AppendBinary appends a's partial to b, as [Activity.MarshalBinary].
func (a *Activity) AppendBinary(b []byte) ([]byte, error) {
	if err := a.built(); err != nil {
		return b, err
	}
	return wire.Append(b, "activity", a.settings(), a.state)
}

// UnmarshalBinary replaces a's state with the partial in data, computed
// for the same range and location. a must be built with [NewActivity]; on
// error it is left unchanged.
func (a *Activity) UnmarshalBinary(data []byte) error {
	if err := a.built(); err != nil {
		return err
	}
	b, err := NewActivity(a.opts)
	if err != nil {
		return err
	}
	if err := wire.Read(data, "activity", "this activity", a.settings(), b.state); err != nil {
		return err
	}
	*a = *b
	return nil
}

func (a *Activity) settings() []wire.Setting {
	return []wire.Setting{
		{Name: "from", Value: a.opts.From.UTC().Format(time.RFC3339Nano)},
		{Name: "to", Value: a.opts.To.UTC().Format(time.RFC3339Nano)},
		{Name: "location", Value: zone.Describe(a.opts.Location)},
	}
}

func (a *Activity) state(c *wire.Codec) {
	c.Uint("activities", &a.activities)
	c.Uint("outside", &a.outside)
	c.Uint("rejected", &a.rejected)
	wire.Map(c, "reps", a.reps, strings.Compare, func(id *string) {
		c.String("rep", id)
		if c.Reading() && c.Err() == nil && *id == "" {
			c.Fail("rep", "is required")
		}
	}, func(r *repLog) {
		c.Uint("activities", &r.n)
		// Active days as offsets from the first day, increasing, each
		// as the gap from the one before (from -1).
		days := make([]int32, 0, len(r.days))
		for d := range r.days {
			days = append(days, d)
		}
		slices.Sort(days)
		c.Enter("days", -1)
		n := len(days)
		if c.Reading() {
			n = c.Len(1)
			r.days = make(map[int32]struct{}, min(n, a.days))
		} else {
			c.PutLen(n)
		}
		prev := int64(-1)
		for i := 0; i < n && c.Err() == nil; i++ {
			var gap int64
			if !c.Reading() {
				gap = int64(days[i]) - prev
			}
			c.Enter("", i)
			c.Uint("gap", &gap)
			if c.Reading() && c.Err() == nil && (gap == 0 || gap >= int64(a.days)-prev) {
				c.Fail("gap", "must reach a later day of the %d in the range; got %d", a.days, gap)
			}
			c.Leave()
			prev += gap
			if c.Reading() {
				r.days[int32(prev)] = struct{}{}
			}
		}
		c.Leave()
		if c.Reading() && c.Err() == nil && int64(len(r.days)) > r.n {
			c.Fail("days", "has %d active days, more than the rep's %d activities", len(r.days), r.n)
		}
	})
	if c.Reading() && c.Err() == nil {
		var sum int64
		for _, r := range a.reps {
			if r.n > a.activities-sum {
				c.Fail("reps", "count more activities than activities (%d)", a.activities)
				return
			}
			sum += r.n
		}
		if sum != a.activities {
			c.Fail("reps", "count %d activities; activities is %d", sum, a.activities)
		}
	}
}
