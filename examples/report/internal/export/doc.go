// Package export reads CSV exports of opportunities and stage-change logs,
// as CRMs write them, into accord deals with histories.
//
// An export is read in full by [ReadCSV] into a [Table]: its header and
// its rows, each with the line of the file it starts on. A row that cannot
// be read (a malformed quote, the wrong number of fields, an empty row) is
// left out and reported as a [Problem] carrying its line number; nothing is
// dropped silently. [Table.Join] adds the columns of another table matched
// on a key column, so that a mapped field can come from it.
//
// Columns are mapped to fields with [ParseMap] ("id=Opportunity ID,..."). [Snapshot]
// reads one row per opportunity (id, stage, opened, closed, value, owner,
// segment); [Events] reads one row per stage change (id, at, stage) and
// builds each deal's history from its rows. Both return the deals and a
// Problem for every row they refuse.
//
// Dates are read in a given location in any of the layouts of [ParseTime].
// Values are read by [ParseValue]: a decimal with an optional currency
// symbol or code and optional thousands separators.
package export
