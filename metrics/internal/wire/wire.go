// Package wire is the binary form of the metrics accumulators' partial
// state: one [Codec] both writes and reads it, so that each calculator
// lists its fields once, in one method, for both directions.
//
// An encoded partial is:
//
//	"accm" | version (uvarint) | kind (string) | settings | state
//
// where a string is a uvarint length then its bytes, settings are a
// uvarint count then (name, value) string pairs, and the state is the
// calculator's own fields in the order its method lists them: counts as
// uvarints, signed integers as zigzag varints, lists as a uvarint length
// then their items. The settings describe the configuration the state was
// computed under (the process's stages, the calendar, the period, ...);
// a decoder refuses a partial whose settings differ from its own, naming
// the first that differs.
//
// Reading is strict and bounded: every length is checked against the bytes
// left (an item takes at least one byte), so a small input cannot make a
// large allocation; every count must fit an int64; trailing bytes are an
// error. The first error wins, named by the path of the field being read
// ("state.time[2].minutes[17]"), and every later read returns zero values,
// so that a calculator's method needs no error checks of its own.
package wire

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/accordhq/accord"
	"github.com/shopspring/decimal"
)

// Magic starts every encoded partial.
const Magic = "accm"

// Version is the version of the format this package writes and reads.
const Version = 1

// A Setting is one item of the configuration a state was computed under.
type Setting struct{ Name, Value string }

// Codec writes or reads one partial.
type Codec struct {
	reading bool
	buf     []byte // written so far, or the input
	off     int    // read offset
	path    []step
	err     error
}

type step struct {
	name  string
	index int // -1 for none
}

// Writer returns a Codec that appends to buf a partial of kind computed
// under settings.
func Writer(buf []byte, kind string, settings []Setting) *Codec {
	c := &Codec{buf: append(buf, Magic...)}
	c.buf = binary.AppendUvarint(c.buf, Version)
	c.putString(kind)
	c.buf = binary.AppendUvarint(c.buf, uint64(len(settings)))
	for _, s := range settings {
		c.putString(s.Name)
		c.putString(s.Value)
	}
	c.path = append(c.path, step{"state", -1})
	return c
}

// Reader returns a Codec that reads data, a partial that must be of kind
// and computed under settings equal to want; what names the accumulator
// in errors ("this pipeline").
func Reader(data []byte, kind, what string, want []Setting) *Codec {
	c := &Codec{reading: true, buf: data}
	if !strings.HasPrefix(string(data), Magic) {
		c.fail("must start with %q: not an accord metrics partial", Magic)
		return c
	}
	c.off = len(Magic)
	c.path = append(c.path, step{"version", -1})
	if v := c.uvarint(); c.err == nil && v != Version {
		c.fail("is %d; this library reads version %d", v, Version)
	}
	c.path[0] = step{"kind", -1}
	if k := c.getString(); c.err == nil && k != kind {
		c.fail("is %q, not %q: it cannot be read into %s", k, kind, what)
	}
	c.path[0] = step{"settings", -1}
	n := c.Len(2)
	got := make([]Setting, 0, n)
	for i := 0; i < n && c.err == nil; i++ {
		c.path = append(c.path[:1], step{"", i})
		got = append(got, Setting{c.getString(), c.getString()})
	}
	c.path = c.path[:1]
	for i := 0; i < min(len(got), len(want)) && c.err == nil; i++ {
		if g, w := got[i], want[i]; g.Name != w.Name {
			c.path = append(c.path[:1], step{"", i})
			c.fail("is %q, not %q as for %s", g.Name, w.Name, what)
		} else if g.Value != w.Value {
			c.path = append(c.path[:1], step{g.Name, -1})
			c.fail("the partial was computed with %s, %s with %s: they do not merge", quote(g.Value), what, quote(w.Value))
		}
	}
	if c.err == nil && len(got) != len(want) {
		c.path = c.path[:1]
		c.fail("has %d settings, %s %d", len(got), what, len(want))
	}
	c.path = append(c.path[:0], step{"state", -1})
	return c
}

func quote(s string) string {
	if s == "" {
		return "none"
	}
	return strconv.Quote(s)
}

// Reading reports whether c reads (true) or writes.
func (c *Codec) Reading() bool { return c.reading }

// Err returns the first error met, if any.
func (c *Codec) Err() error { return c.err }

// Finish returns the bytes written, or, when reading, the first error met
// or an error for bytes left over.
func (c *Codec) Finish() ([]byte, error) {
	if c.reading && c.err == nil && c.off != len(c.buf) {
		c.path = c.path[:1]
		c.fail("has %d bytes after its end", len(c.buf)-c.off)
	}
	return c.buf, c.err
}

// Enter descends into field name, item index (-1 for none), for the path
// of errors; Leave comes back up.
func (c *Codec) Enter(name string, index int) { c.path = append(c.path, step{name, index}) }

// Leave undoes the last Enter.
func (c *Codec) Leave() { c.path = c.path[:len(c.path)-1] }

// Fail records an error at the current path, with field name (if not
// empty) below it, unless an error was met before.
func (c *Codec) Fail(name, format string, args ...any) {
	if name != "" {
		c.Enter(name, -1)
		defer c.Leave()
	}
	c.fail(format, args...)
}

func (c *Codec) fail(format string, args ...any) {
	if c.err != nil {
		return
	}
	var b strings.Builder
	for i, s := range c.path {
		if s.name != "" {
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.name)
		}
		if s.index >= 0 {
			fmt.Fprintf(&b, "[%d]", s.index)
		}
	}
	c.err = accord.Invalid(b.String(), format, args...)
}

func (c *Codec) uvarint() uint64 {
	if c.err != nil {
		return 0
	}
	v, n := binary.Uvarint(c.buf[c.off:])
	if n <= 0 {
		c.fail("is cut short or malformed")
		return 0
	}
	c.off += n
	return v
}

func (c *Codec) putString(s string) {
	c.buf = binary.AppendUvarint(c.buf, uint64(len(s)))
	c.buf = append(c.buf, s...)
}

func (c *Codec) getString() string {
	n := c.Len(1)
	if c.err != nil {
		return ""
	}
	s := string(c.buf[c.off : c.off+n])
	c.off += n
	return s
}

// Len writes n, or reads a length of items that each take at least min
// bytes (≥ 1), refused when the bytes left cannot hold them.
func (c *Codec) Len(min int) int {
	if !c.reading {
		return 0
	}
	v := c.uvarint()
	if c.err == nil && v > uint64((len(c.buf)-c.off)/max(min, 1)) {
		c.fail("has a length of %d, more than the %d bytes left can hold", v, len(c.buf)-c.off)
		return 0
	}
	return int(v)
}

// PutLen writes the length n; see [Codec.Len] to read it.
func (c *Codec) PutLen(n int) { c.buf = binary.AppendUvarint(c.buf, uint64(n)) }

// Fixed writes the length n of a list whose length the reader knows, or
// reads it and fails unless it is n.
func (c *Codec) Fixed(n int) {
	if !c.reading {
		c.PutLen(n)
		return
	}
	if got := c.Len(1); c.err == nil && got != n {
		c.fail("has %d items; want %d", got, n)
	}
}

// Uint writes or reads a count, 0 to math.MaxInt64.
func (c *Codec) Uint(name string, v *int64) {
	if !c.reading {
		c.buf = binary.AppendUvarint(c.buf, uint64(*v))
		return
	}
	c.Enter(name, -1)
	u := c.uvarint()
	if u > math.MaxInt64 {
		c.fail("is %d, more than an int64 holds", u)
	}
	c.Leave()
	*v = int64(u)
	if c.err != nil {
		*v = 0
	}
}

// Uints writes or reads the counts vs, whose length the reader knows.
func (c *Codec) Uints(name string, vs []int64) {
	c.Enter(name, -1)
	defer c.Leave()
	if !c.reading {
		c.PutLen(len(vs))
		for i := range vs {
			c.Uint("", &vs[i])
		}
		return
	}
	c.Fixed(len(vs))
	for i := range vs {
		c.path[len(c.path)-1].index = i
		c.Uint("", &vs[i])
	}
}

// Int writes or reads a signed integer.
func (c *Codec) Int(name string, v *int64) {
	if !c.reading {
		c.buf = binary.AppendVarint(c.buf, *v)
		return
	}
	if c.err != nil {
		*v = 0
		return
	}
	x, n := binary.Varint(c.buf[c.off:])
	if n <= 0 {
		c.Fail(name, "is cut short or malformed")
		*v = 0
		return
	}
	c.off += n
	*v = x
}

// Bool writes or reads a flag, one byte 0 or 1.
func (c *Codec) Bool(name string, v *bool) {
	var u int64
	if *v {
		u = 1
	}
	c.Uint(name, &u)
	if c.reading {
		if u > 1 {
			c.Fail(name, "must be 0 or 1; got %d", u)
		}
		*v = u == 1
	}
}

// String writes or reads a string.
func (c *Codec) String(name string, s *string) {
	if !c.reading {
		c.putString(*s)
		return
	}
	c.Enter(name, -1)
	*s = c.getString()
	c.Leave()
}

// maxCoefficientBytes bounds the coefficient of a decimal: sums of valid
// amounts (at most 48 digits each) over up to 2^63 records stay far below.
const maxCoefficientBytes = 64

// Decimal writes or reads an exact decimal: its exponent, within the
// bounds of [accord.Money] ([accord.MaxScale] places, [accord.MaxDigits]
// digits), then its coefficient as a sign and big-endian magnitude bytes.
func (c *Codec) Decimal(name string, d *decimal.Decimal) {
	c.Enter(name, -1)
	defer c.Leave()
	exp := int64(d.Exponent())
	c.Int("exponent", &exp)
	coef := d.Coefficient()
	neg := coef.Sign() < 0
	c.Bool("negative", &neg)
	mag := string(coef.Bytes())
	c.String("coefficient", &mag)
	if !c.reading || c.err != nil {
		return
	}
	switch {
	case exp < -accord.MaxScale || exp > accord.MaxDigits:
		c.Fail("exponent", "must be between %d and %d; got %d", -accord.MaxScale, accord.MaxDigits, exp)
	case len(mag) > maxCoefficientBytes:
		c.Fail("coefficient", "must be at most %d bytes; got %d", maxCoefficientBytes, len(mag))
	case len(mag) > 0 && mag[0] == 0:
		c.Fail("coefficient", "must not start with a zero byte")
	case neg && len(mag) == 0:
		c.Fail("negative", "must be 0 for a zero coefficient")
	}
	if c.err != nil {
		*d = decimal.Decimal{}
		return
	}
	var v big.Int
	v.SetBytes([]byte(mag))
	if neg {
		v.Neg(&v)
	}
	*d = decimal.NewFromBigInt(&v, int32(exp))
}

// Append appends to b a partial of kind computed under settings, its state
// written by state.
func Append(b []byte, kind string, settings []Setting, state func(*Codec)) ([]byte, error) {
	c := Writer(b, kind, settings)
	state(c)
	return c.Finish()
}

// Read reads data, a partial of kind computed under settings, its state
// read by state; what names the receiving accumulator in errors. The error
// wraps [accord.ErrInvalid] and names the path of the first field at
// fault.
func Read(data []byte, kind, what string, settings []Setting, state func(*Codec)) error {
	c := Reader(data, kind, what, settings)
	if c.err == nil {
		state(c)
	}
	_, err := c.Finish()
	if err != nil {
		return fmt.Errorf("reading a %s partial: %w", kind, err)
	}
	return nil
}

// Map writes the entries of m in the order cmp sorts their keys, so that
// equal states encode alike, or reads entries into m, refusing keys that
// are not in increasing order (and so repeated). key and value write or
// read one entry's key and value.
func Map[K comparable, V any](c *Codec, name string, m map[K]*V, cmp func(a, b K) int, key func(*K), value func(*V)) {
	c.Enter(name, -1)
	defer c.Leave()
	if !c.reading {
		keys := make([]K, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, cmp)
		c.PutLen(len(keys))
		for _, k := range keys {
			key(&k)
			value(m[k])
		}
		return
	}
	n := c.Len(1)
	var prev K
	for i := 0; i < n && c.err == nil; i++ {
		c.path[len(c.path)-1].index = i
		var k K
		key(&k)
		if i > 0 && cmp(prev, k) >= 0 {
			c.fail("keys must be in increasing order, each once")
		}
		v := new(V)
		value(v)
		if c.err == nil {
			m[k] = v
		}
		prev = k
	}
}
