// Package dealcsv reads CRM exports of deals, and of their stage and field
// changes, into accord deals with histories that package metrics reads.
//
// A [Mapping] says how to read one CRM's export, as data: the column of
// each field, the files to join, the value maps (stage labels or IDs to
// stages with display names, status values to open, won or lost, loss
// reason labels to the deal.LossReason vocabulary), how dates are written
// and in which zone, and the currency. Load one from JSON with [Load],
// start from a documented [Preset] (HubSpot, Salesforce, Pipedrive), or
// build one in Go. [Read] reads an export from an io.Reader, the joined
// files from readers named in [Options]; [Each] streams a deals export
// deal by deal. The package opens no file.
//
// # Outcomes
//
// A deal is won, lost or open by its status when the mapping has one (a
// status column with its value map, or is_won and is_closed flag columns
// such as Salesforce's IsWon and IsClosed), and by its stage otherwise: a
// stage at or after the Closed Won stage is won, a lost value is lost.
// A deal lost after reaching a late stage keeps the stage it reached: its
// loss is recorded at that stage.
//
// Closed Won is a transition: a deal whose history entered the Closed Won
// stage, or moved from before it to after it, was won, and counts as won
// in win rate and sales cycle even when the export later marks it lost.
// That later loss (a failed delivery, an early churn) is not put in its
// history: it is [Deal.LostAfterWin], counted per stage and segment in
// [Result.LostAfterWin] and in the summary.
//
// # Histories
//
// A deals export (one row per deal) gives each deal, when the mapping has
// columns of the dates the deal entered each stage (HubSpot's stage
// history properties), the history those dates tell, then its win or loss
// at the closed date. Without them, the history is the opened date in the
// stage the deal reached, then the win or loss at the closed date; a deal
// that reached a stage after Closed Won is opened in the first stage and
// moves there at its closed date. With no stages in the mapping, a deal
// has one open stage, "open", and wins by going live.
//
// A log of changes (one row per change) gives each deal the history its
// rows tell in time order (rows at the same time keep their file order):
// stage changes, status changes and losses, a repeat of the current stage
// dropped; a status or closed date from a joined deals file has the last
// word. A log whose mapping lists no stages must name its stages by
// numbers (Pipedrive's stage_id), which are ordered as numbers.
//
// # Nothing dropped silently
//
// Every row refused is a [Problem] with its line and a reason; the
// [Summary] counts rows read, deals built and rows rejected by reason. A
// row whose join key has no match is kept, its segment [Unmatched], unless
// [Options.DropUnmatched] refuses it. A deal ID whose rows hold two
// separate histories (two creation rows, in a field-change log) is refused
// rather than merged; in a deals export, a repeated ID is refused with the
// line it repeats. That check keeps a 12-byte key and line per ID (in a
// table at most 3/4 full) rather than the ID: it is exact for IDs made of
// one head and up to 15 digits ("4711", "D123", "DEAL-00042", the head
// being the first ID's), and compares other IDs by a 63-bit hash, so that
// two different ones are taken for a repeat with a chance of about n²/2⁶⁴
// for n rows (1 in 18 million for a million); such a row is refused,
// loudly, never merged. A mapped column that looks wrong for its field (an
// owner column of small whole numbers, a segment column of identifiers) is
// a warning in [Result.Warnings].
//
// # Presets
//
// The presets are written from the vendors' documented column names; each
// is a JSON mapping ([PresetJSON]) that a mapping file can start from with
// "preset" and adjust:
//
//   - "hubspot": the deals export (Record ID, Deal Stage, Create Date,
//     Close Date, Amount, Deal owner, Deal Type, Closed Lost Reason) with
//     the default sales pipeline's stages (appointmentscheduled ...
//     closedwon, closedlost lost) and its stage history properties, the
//     columns `Date entered "<Stage> (Sales Pipeline)"`.
//   - "salesforce": OpportunityHistory (OpportunityId, CreatedDate,
//     StageName) as the log, joined as "opportunities" to the Opportunity
//     export (Id, IsWon, IsClosed, CloseDate, Amount, OwnerId, Type), with
//     the standard StageName picklist (Prospecting ... Closed Won, Closed
//     Lost lost).
//   - "pipedrive": the deal changes log (item_id, log_time, field_key,
//     new_value; field keys stage_id, status, lost_reason, add_time)
//     joined as "deals" to the deals export (id, status, close_time,
//     value, currency, owner_name, lost_reason). Pipedrive's stage IDs are
//     the account's own: list them (and closed_won) in the mapping, or
//     leave them to be ordered as numbers, the deal then won by its
//     status.
package dealcsv
