// Package sqlitebench compares [metrics.Pipeline] with the SQL a user would
// write over the same deal histories loaded into SQLite. It is a module of
// its own, so that the SQLite driver (modernc.org/sqlite) and its modules
// stay out of the library's go.mod, and out of the go.sum of every program
// that imports the library. It holds tests and benchmarks only:
//
//	cd metrics/internal/sqlitebench
//	go test -run '^$' -bench PipelineReport -benchmem .
//
// BenchmarkPipelineReport and BenchmarkPipelineReportSQLite run in one
// binary over the same generated deals (package pipelinebench of the
// library, shared with the benchmarks of package metrics), so their ratio
// is measured side by side.
//
// [metrics.Pipeline]: https://pkg.go.dev/github.com/accordhq/accord/metrics#Pipeline
package sqlitebench
