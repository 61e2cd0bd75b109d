// Package assess evaluates a sales organisation against fixed models: its
// stage in the CRM maturity model ([Maturity]), from figures measured by
// packages metrics and adoption, and a weighted vendor scorecard ([Score]).
//
// These are evaluations, not accumulators: each takes every figure at once
// and returns its verdict, or an error naming each figure it refuses.
package assess
