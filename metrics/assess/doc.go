// Package assess evaluates a sales organisation against fixed models: its
// stage in the CRM maturity model ([Maturity]), from figures measured by
// packages metrics and adoption, and a weighted vendor scorecard ([Score]).
//
// These are evaluations, not accumulators: each takes every figure at once
// and returns its verdict, or an error naming each figure it refuses.
//
// [RolloutEvidence] reads both, with the adoption figures, as the evidence
// for the exit criteria of the five-phase CRM rollout
// ([github.com/accordhq/accord/scope.CRMRollout]): it implements
// [github.com/accordhq/accord/scope.Evidence].
package assess
