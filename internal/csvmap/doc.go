// Package csvmap is the machinery the public importers (deal/dealcsv and
// contract/contractcsv) share: a streaming CSV reader that keeps every
// row's line and turns every unusable row into a [Problem], tables read in
// full and indexed for joins, column lookup by name, and the parsers of
// dates and amounts as exports write them. It reads from an io.Reader and
// never opens a file.
package csvmap
