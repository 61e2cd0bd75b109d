// Package hosttest drives the public API of deal, scope, contract and
// policy the way a careless host would: any sequence of ordinary calls, by
// any actor, with references refreshed or forgotten, and checks after every
// step the promises that must hold across the packages (see
// TestCarelessHost). It has only test files: it is not API.
package hosttest
