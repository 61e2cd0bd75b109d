package dealtest

import (
	"reflect"
	"strings"

	"github.com/accordhq/accord/deal"
)

// clone returns a deep copy of d: no slice, map or pointer of the copy is
// shared with d, so that what a criterion or a move does to one cannot show
// in the other. Structs with unexported fields (time.Time, decimal.Decimal)
// are copied as values; their pointers (a time's location, a decimal's
// big.Int) are shared, and the packages that own them never modify them.
//
// It is reflective so that it follows the fields deal.Deal gains.
func clone(d *deal.Deal) *deal.Deal {
	if d == nil {
		return nil
	}
	c := new(deal.Deal)
	deepCopy(reflect.ValueOf(c).Elem(), reflect.ValueOf(d).Elem())
	return c
}

// deepCopy copies src into the settable dst, of the same type.
func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			deepCopy(s.Index(i), src.Index(i))
		}
		dst.Set(s)
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		iter := src.MapRange()
		for iter.Next() {
			v := reflect.New(src.Type().Elem()).Elem()
			deepCopy(v, iter.Value())
			m.SetMapIndex(iter.Key(), v)
		}
		dst.Set(m)
	case reflect.Struct:
		t := src.Type()
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				dst.Set(src)
				return
			}
		}
		for i := range t.NumField() {
			deepCopy(dst.Field(i), src.Field(i))
		}
	default:
		dst.Set(src)
	}
}

// same reports whether a and b are deeply equal.
func same(a, b *deal.Deal) bool { return reflect.DeepEqual(a, b) }

// changed lists, by their JSON names, the top-level fields of two deals
// that differ.
func changed(a, b *deal.Deal) []string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	t := va.Type()
	var out []string
	for i := range t.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if name == "" {
				name = t.Field(i).Name
			}
			out = append(out, name)
		}
	}
	return out
}
