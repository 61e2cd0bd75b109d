// Package fieldpath lists the fields of a struct type by their JSON paths,
// such as "discovery.constraints.security", so that what reads or fills
// fields by path (deal's Present and Reached, dealtest's generators) is
// derived from the type once rather than written out by hand beside it.
package fieldpath

import (
	"reflect"
	"strings"
)

// Field is one field of a struct type, reached from the outermost struct.
type Field struct {
	// Path is the field's JSON path: the json tag names (or the Go names
	// of untagged fields) joined with dots.
	Path string
	// Index is the field's index sequence, for reflect.Value.FieldByIndex.
	Index []int
	// Offset is the field's offset in bytes from the start of the
	// outermost struct.
	Offset uintptr
	// Type is the field's type.
	Type reflect.Type
}

// Fields lists the exported fields of the struct type t by path, in the
// order they are declared, skipping fields tagged json:"-" and the paths
// skip holds (with all they hold). A field of struct type is listed
// itself when leaf reports true for its type, and otherwise replaced by
// its own fields, at any depth.
func Fields(t reflect.Type, skip map[string]bool, leaf func(reflect.Type) bool) []Field {
	var out []Field
	var walk func(t reflect.Type, prefix string, index []int, offset uintptr)
	walk = func(t reflect.Type, prefix string, index []int, offset uintptr) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			path := name
			if prefix != "" {
				path = prefix + "." + name
			}
			if skip[path] {
				continue
			}
			idx := append(append([]int(nil), index...), i)
			if f.Type.Kind() == reflect.Struct && !leaf(f.Type) {
				walk(f.Type, path, idx, offset+f.Offset)
				continue
			}
			out = append(out, Field{Path: path, Index: idx, Offset: offset + f.Offset, Type: f.Type})
		}
	}
	walk(t, "", nil, 0)
	return out
}
