// Command report computes every pipeline figure of package metrics from a
// CSV export of deals, as a CRM writes it, and writes them as a table, as
// JSON or as an HTML page of charts: deals won, lost and open; the win
// rate; the sales cycle of won and lost deals; for each stage, the deals
// that entered it, the deals that reached it or a later one (exports skip
// stages), the conversion to the next stage and onward, the median time
// in it and the deals lost there after the win; loss reasons by stage;
// the reversion rate; the open and weighted pipeline; sales velocity;
// period-end clustering of wins; the same by every grouping asked for;
// the trend by month; and process consistency (metrics.Consistency):
// the share of deals whose history moves only through the process,
// overall, by owner and by segment, each figure under 90% flagged with
// what drags it down, and the maturity criteria it decides
// (assess.MaturityFigures.Consistency). Criteria held, required fields and
// activity logged are reported as not measured: an export's process and
// histories record no criteria, no required fields and no activities. A
// one-row-per-deal export skips stages by construction, which the section
// notes. With a contracts export, retention too.
//
// Without a file it reads the sample export it embeds (testdata: 300
// opportunities with unfamiliar headers, their accounts, their stage
// changes, and eight deliberately bad rows):
//
//	go run ./examples/report
//	go run ./examples/report -format json
//	go run ./examples/report -html report.html
//
// # Mapping an export
//
// Real exports use their own headers. -map names the column of each field:
// id and stage are required; opened and closed (dates) are required for won
// and lost deals; value, owner and segment are optional. A field not mapped
// is read from the column of its own name if there is one. Column names
// match exactly, or else ignoring case when only one column matches.
// -won and -lost give the stage labels of won and lost deals (repeatable,
// compared ignoring case); every other label is an open deal. -stages
// lists the open stages in order (the won stage included), so that the
// report has a funnel of them; without it an export has one open stage. -join
// FILE:KEY (or FILE:KEY=OTHERKEY) adds the columns of another CSV matched
// on KEY, so that a mapped field can come from it. The sample, written
// out:
//
//	go run ./examples/report \
//	  -map 'id=Opportunity ID,stage=Deal Stage,opened=Engaged On,closed=Closed On,value=Amount,owner=Rep,segment=Sector' \
//	  -join accounts.csv:Account -won 'Closed Won' -lost 'Closed Lost' \
//	  -stages 'Prospecting,Qualifying,Proposal Sent,Negotiation,Closed Won' \
//	  examples/report/testdata/opportunities.csv
//
// A relative -join file is looked for in the current directory, then
// beside the export. The public Maven Analytics "CRM + Sales +
// Opportunities" dataset (not in this repository; published in
// github.com/ikebude/CRM-Sales-Analysis), downloaded into maven_crm/:
//
//	go run ./examples/report \
//	  -map id=opportunity_id,stage=deal_stage,opened=engage_date,closed=close_date,value=close_value,owner=sales_agent,segment=sector \
//	  -join accounts.csv:account -won Won -lost Lost -html maven.html \
//	  maven_crm/sales_pipeline.csv
//
// # Event logs
//
// -events FILE reads a stage-change log instead: one row per change with
// the deal's id, the time and the new stage (fields id, at and stage;
// value, owner and segment optional, the last non-blank one of a deal's
// rows counting). -stages lists the open stages in order, won stages
// included; without it the labels must be numbers, ordered as numbers (the
// order in which labels first appear in a file is no order, so the run asks
// for -stages). The first -won label is Closed Won; -lost labels mark
// a loss. A log with one row per changed field (Pipedrive, Salesforce field
// history) maps its field column with field=COLUMN and names the field of
// stage changes with -stage-field and the field that marks a loss with
// -lost-field; rows of other fields are counted and ignored.
//
//	go run ./examples/report -events examples/report/testdata/events.csv \
//	  -map 'id=Deal,at=Changed At,stage=New Stage,segment=Sector' -join accounts.csv:Account \
//	  -stages 'Prospecting,Qualifying,Proposal Sent,Negotiation,Closed Won' -won 'Closed Won' -lost 'Closed Lost'
//
// A public Pipedrive-style deal change log (not in this repository; a
// synthetic take-home exercise in github.com/winkel163/dbt_enpal_assessment),
// downloaded into pipedrive_changes/:
//
//	go run ./examples/report -events pipedrive_changes/deal_changes.csv \
//	  -map id=deal_id,at=change_time,stage=new_value,field=changed_field_key \
//	  -stage-field stage_id -lost-field lost_reason -won 7
//
// # Values and dates
//
// A value is a non-negative decimal, optionally with one currency symbol
// ($, €, £, ¥, ₹) or the -currency code (default USD) before or after it,
// and optionally with commas grouping the integer part by three:
// "$1,200.50", "1200.5 USD". A symbol must fit the currency ("$" any code
// ending in D). Dates are read in the -tz location (default UTC) unless
// they carry an offset: 2024-03-31, 2024/03/31, RFC 3339, "2024-03-31
// 14:05[:00]", 3/31/2024 [14:05 or 2:05 PM] (slashes: month first),
// 31.3.2024 (dots: day first), 31 Mar 2024, Mar 31, 2024.
//
// # Bad rows
//
// A row that cannot be read or used (the wrong number of fields, a blank
// or repeated id, a date or value that does not parse, a won or lost deal
// without its dates, a close before the open) is listed on stderr as
// "line N: <problem>", naming the field and the column, and skipped, with
// a count at the end and a summary: rows read, deals built, rows rejected
// by reason. With -strict the run fails instead, listing the first ten. A
// row whose -join key has no match is kept in the segment "(unmatched)";
// -drop-unmatched skips it as a bad row instead. A key that a joined file
// holds twice fails the run: which row to take would be a guess.
//
// The flags are a shorthand for a deal/dealcsv mapping; that package reads
// the export, and its presets and JSON mappings cover HubSpot, Salesforce
// and Pipedrive exports.
//
// # Mappings and presets
//
// -preset hubspot, salesforce or pipedrive reads the export with that
// dealcsv preset; -mapping FILE with a JSON mapping (which may start from
// a preset, see package dealcsv). A mapping's joins are read from the
// files named by -file NAME=FILE, or else from a file named as the join:
//
//	go run ./examples/report -preset salesforce \
//	  -file opportunities=Opportunity.csv OpportunityHistory.csv
//
// -by groups the deals several ways at once, comma-separated: segment,
// owner, or the name of any column of the export or of a joined file
// (read again as the segment column), such as -by sector,manager.
//
// # Contracts
//
// -contracts FILE -contracts-map MAP.json adds a retention section from a
// contracts or subscriptions export read by contract/contractcsv. When its
// rows have start dates, it has the retention metrics of package metrics
// over the period from -from to -to (by default the twelve months up to
// the first of the month after the export's last date): the renewal and
// churn rates of the terms due, by contract type, the refund rate, and
// GRR and NRR. When they have only a status, it has the share churned by
// contract type and by each segment column of the mapping, labelled as a
// snapshot share, since such an export does not say when customers left.
//
// # Output
//
// A table by default, one block per section; -format json writes the same
// figures: deals, won, lost, open, win_rate, median_cycle_days_won and
// _lost, won_value, open_value, weighted_value, unvalued, other_currency,
// velocity_per_day, reversion, period_end_clustering, lost_after_win,
// stages (stage, name, entered, reached, current, conversion,
// conversion_onward, median_days_in_stage, probability, lost_after_win),
// loss_reasons, groupings (by, and segments with deals, open, won, lost,
// win_rate, cycles, won_value, open_value, velocity_per_day and
// lost_after_win), trend (month, opened, opened_win_rate, won, lost,
// closed_win_rate), consistency (target, overall, by_owner, by_segment,
// flags with their drag, unmeasured, maturity, note) and, with contracts,
// retention. Rates are shares from
// 0 to 1 rounded to 4 places, cycles days rounded to 2 places, both null
// when undefined; money is {"amount","currency"} in the mapping's
// currency, values in another currency left out and counted. A stage's
// probability is the win rate of the closed deals that reached it; it
// weighs the open pipeline. Deals without a value for a grouping form the
// group "(none)"; deals whose join key has no match, "(unmatched)".
//
// -html FILE also writes one self-contained page (no script, no external
// asset): headline figures, a note explaining any "(none)" or
// "(unmatched)" group and any deal lost after the win, the funnel of every
// stage by its display name, the sales cycles, the win rate of each
// grouping ranked with the deals behind each rate on an axis that spans
// the rates, the trend as a line chart, process consistency as tables
// and the retention section; each
// chart is inline SVG drawn at two widths (a CSS media query shows the one
// for a phone below 640 px), with its data as a table. The charts are
// package examples/report/chart. TestBrowser renders the page in Debian's
// chromium at 1280 and 390 px and checks that nothing overflows.
//
// The figures are those of package metrics, with its definitions: the
// sales cycle runs from a deal's first event to its win or loss, measured
// in whole minutes, and the median of an even count is the mean of the two
// middle values. An export's row gives a deal an open event at its opened
// date and, once closed, a move to live (won) or lost at its closed date.
// An open deal without an opened date counts in deals and open only.
package main
