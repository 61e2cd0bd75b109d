package dealcsv_test

import (
	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/metrics"
)

// tb is what the helpers need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
}

// newPipeline returns a metrics pipeline, with the default options, over
// the deals of process p, and fails the test when there is none.
func newPipeline(t tb, p *deal.Process) *metrics.Pipeline {
	t.Helper()
	pl, err := metrics.NewPipeline(p, metrics.PipelineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return pl
}
