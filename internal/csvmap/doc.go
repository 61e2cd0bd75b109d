// Package csvmap is the machinery the public importers (deal/dealcsv and
// contract/contractcsv) share: a streaming CSV reader that keeps every
// row's line and turns every unusable row into a [Problem], tables read in
// full and indexed for joins, column lookup by name, and the parsers of
// dates and amounts as exports write them. It reads from an io.Reader and
// never opens a file.
//
// The reader reads as encoding/csv does (through internal/csvread) but
// lends each row's fields as bytes it reuses, and the parsers read those
// bytes ([Dates.ParseBytes], [Values.ParseBytes]) and an [Interner] makes
// the strings of repeated texts, so that a row of an export is read
// without allocating.
package csvmap
