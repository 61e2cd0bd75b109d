// Package pipelinebench holds what the pipeline report benchmarks share, in
// package metrics and in the SQLite comparison module beside it
// (metrics/internal/sqlitebench): the synthetic deals they run on, how many,
// and the figures each way of computing the report must agree on.
package pipelinebench
