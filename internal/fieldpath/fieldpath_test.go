package fieldpath_test

import (
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/accordhq/accord/internal/fieldpath"
	"github.com/google/go-cmp/cmp"
)

type inner struct {
	When  time.Time `json:"when"`
	Label string    `json:"label"`
}

type outer struct {
	ID      string             `json:"id"`
	Skipped string             `json:"-"`
	hidden  string             //nolint:unused // unexported: never listed
	Untag   int                //
	In      inner              `json:"in"`
	Deep    struct{ In inner } `json:"deep,omitempty"`
	Gone    inner              `json:"gone"`
	Tags    []string           `json:"tags"`
}

func TestFields(t *testing.T) {
	leaf := func(t reflect.Type) bool { return t == reflect.TypeFor[time.Time]() }
	got := fieldpath.Fields(reflect.TypeFor[outer](), map[string]bool{"gone": true, "deep.In.label": true}, leaf)
	var paths []string
	var o outer
	for _, f := range got {
		paths = append(paths, f.Path)
		v := reflect.ValueOf(&o).Elem().FieldByIndex(f.Index)
		if f.Type != v.Type() {
			t.Errorf("%s: type %v, want %v", f.Path, f.Type, v.Type())
		}
		if off := uintptr(v.Addr().UnsafePointer()) - uintptr(unsafe.Pointer(&o)); off != f.Offset {
			t.Errorf("%s: offset %d, want %d", f.Path, f.Offset, off)
		}
	}
	want := []string{"id", "Untag", "in.when", "in.label", "deep.In.when", "tags"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	_ = o.hidden
}
