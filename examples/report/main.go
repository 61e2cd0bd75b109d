package main

import (
	"bufio"
	"bytes"
	"cmp"
	"embed"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealcsv"
)

//go:embed testdata/opportunities.csv testdata/accounts.csv testdata/events.csv
var sampleFS embed.FS

// sampleArgs are the flags that read the embedded sample export, used when
// no file is given.
var sampleArgs = []string{
	"-map", "id=Opportunity ID,stage=Deal Stage,opened=Engaged On,closed=Closed On,value=Amount,owner=Rep,segment=Sector",
	"-join", "accounts.csv:Account",
	"-stages", "Prospecting,Qualifying,Proposal Sent,Negotiation,Closed Won",
	"-won", "Closed Won", "-lost", "Closed Lost",
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// list is a repeatable string flag.
type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }

// config holds the parsed flags.
type config struct {
	in, events, format, html string
	mapping                  string
	won, lost, joins         list
	stages                   string
	stageField, lostField    string
	strict, dropUnmatched    bool
	currency, tz, by         string
	sample                   bool
	// mappingFile and preset name a dealcsv mapping instead of the
	// shorthand flags; files gives the joined files of its joins by name.
	mappingFile, preset string
	files               list
	// contracts and contractsMap read a contracts export; from and to
	// bound the retention period.
	contracts, contractsMap string
	from, to                string
}

// maxListed is how many bad rows -strict lists before it gives up.
const maxListed = 10

// run runs the command with args and returns its exit status: 0 on
// success, 1 when the run fails, 2 for bad flags.
func run(args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "report:", err)
		}
		return 2
	}
	if err := report(c, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "report:", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fl := flag.NewFlagSet("report", flag.ContinueOnError)
	fl.SetOutput(stderr)
	c := &config{}
	fl.StringVar(&c.in, "in", "", "the CSV export of opportunities (or give it as the argument)")
	fl.StringVar(&c.events, "events", "", "read this stage-change log (deal id, timestamp, new stage) instead of an export of opportunities")
	fl.StringVar(&c.format, "format", "table", "output `format`: table or json")
	fl.StringVar(&c.html, "html", "", "also write an HTML report with SVG charts to `FILE`")
	fl.StringVar(&c.mapping, "map", "", "map fields to columns: `id=COL,stage=COL,...`; fields id, stage, opened, closed, value, owner, segment (events: id, at, stage, field, value, owner, segment)")
	fl.Var(&c.won, "won", "a stage `LABEL` that means won (repeatable)")
	fl.Var(&c.lost, "lost", "a stage `LABEL` that means lost (repeatable)")
	fl.Var(&c.joins, "join", "add the columns of another CSV matched on a key: `FILE:KEY` or FILE:KEY=OTHERKEY (repeatable)")
	fl.StringVar(&c.stages, "stages", "", "events: the open stages in order, comma-separated, the won stages included")
	fl.StringVar(&c.stageField, "stage-field", "", "events with a mapped field column: the field `VALUE` of stage changes")
	fl.StringVar(&c.lostField, "lost-field", "", "events with a mapped field column: the field `VALUE` that marks a deal lost")
	fl.BoolVar(&c.strict, "strict", false, "fail the run on any bad row instead of skipping it")
	fl.BoolVar(&c.dropUnmatched, "drop-unmatched", false, "skip, as bad rows, the rows whose -join key has no match (by default they are kept under \"(unmatched)\")")
	fl.StringVar(&c.currency, "currency", "USD", "ISO 4217 `code` of the values")
	fl.StringVar(&c.tz, "tz", "UTC", "time zone `name` of dates without an offset")
	fl.StringVar(&c.by, "by", "segment", "group by segment, owner or any column, several comma-separated: `segment,owner,COLUMN`")
	fl.StringVar(&c.mappingFile, "mapping", "", "read the export with this dealcsv mapping `FILE` (JSON; it may start from a preset) instead of -map and the flags after it")
	fl.StringVar(&c.preset, "preset", "", "read the export with a dealcsv preset: hubspot, salesforce or pipedrive")
	fl.Var(&c.files, "file", "the file of a join of -mapping or -preset: `NAME=FILE` (repeatable); by default the join's name is the file")
	fl.StringVar(&c.contracts, "contracts", "", "add a retention section from this contracts or subscriptions export (needs -contracts-map)")
	fl.StringVar(&c.contractsMap, "contracts-map", "", "the contractcsv mapping `FILE` (JSON) of the -contracts export")
	fl.StringVar(&c.from, "from", "", "retention: the first `DATE` of the period (default: a year before -to)")
	fl.StringVar(&c.to, "to", "", "retention: the `DATE` after the last of the period (default: the first of the month after the export's last date)")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: report [flags] [FILE]\n\nWithout a file, report reads the sample export it embeds.")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	var errs []error
	switch fl.NArg() {
	case 0:
	case 1:
		if c.in != "" {
			errs = append(errs, errors.New("give the export as -in or as the argument, not both"))
		}
		c.in = fl.Arg(0)
	default:
		errs = append(errs, fmt.Errorf("one file at most; got %q", fl.Args()))
	}
	if c.in != "" && c.events != "" {
		errs = append(errs, errors.New("-events reads a stage-change log instead of an export: give one or the other"))
	}
	if c.format != "table" && c.format != "json" {
		errs = append(errs, fmt.Errorf("-format: must be table or json; got %q", c.format))
	}
	if len(splitList(c.by)) == 0 {
		errs = append(errs, errors.New("-by: name at least one grouping: segment, owner or a column"))
	}
	set := map[string]bool{}
	fl.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if c.mappingFile != "" && c.preset != "" {
		errs = append(errs, errors.New("-mapping and -preset: give one (a mapping file starts from a preset with \"preset\")"))
	}
	if c.mappingFile != "" || c.preset != "" {
		for _, name := range []string{"map", "join", "won", "lost", "stages", "stage-field", "lost-field", "currency", "tz"} {
			if set[name] {
				errs = append(errs, fmt.Errorf("-%s is a shorthand for a mapping: with -mapping or -preset, write it in the mapping", name))
			}
		}
		if c.events != "" {
			errs = append(errs, errors.New("-events: with -mapping or -preset, the mapping's kind says whether the export is a log; give the file as the argument"))
		}
	} else if set["file"] {
		errs = append(errs, errors.New("-file names the files of a mapping's joins: give -mapping or -preset, or -join FILE:KEY"))
	}
	if (c.contracts == "") != (c.contractsMap == "") {
		errs = append(errs, errors.New("-contracts and -contracts-map go together: the export and its contractcsv mapping"))
	}
	if c.contracts == "" && (c.from != "" || c.to != "") {
		errs = append(errs, errors.New("-from and -to bound the retention period: give -contracts"))
	}
	if c.in == "" && c.events == "" {
		for _, name := range []string{"map", "join", "won", "lost", "stages", "stage-field", "lost-field", "mapping", "preset", "file"} {
			if set[name] {
				errs = append(errs, fmt.Errorf("-%s needs an export: give a file, or drop it to read the sample", name))
			}
		}
		if len(errs) == 0 {
			sample, err := parseFlags(append(slices.Clone(sampleArgs), "opportunities.csv"), stderr)
			if err != nil {
				return nil, err
			}
			c.mapping, c.joins, c.won, c.lost, c.stages = sample.mapping, sample.joins, sample.won, sample.lost, sample.stages
			c.in, c.sample = sample.in, true
		}
	}
	return c, errors.Join(errs...)
}

// open opens a file of the run: from the embedded sample, or from the
// current directory and, for a relative path not found there, from the
// directory of the export (so that -join accounts.csv:account finds the
// file beside the export).
func (c *config) open(name, beside string) (io.ReadCloser, error) {
	if c.sample {
		f, err := sampleFS.Open("testdata/" + name)
		if err != nil {
			return nil, fmt.Errorf("sample: %w", err)
		}
		return f, nil
	}
	f, err := os.Open(name)
	if err == nil || !errors.Is(err, fs.ErrNotExist) || filepath.IsAbs(name) || beside == "" {
		return f, err
	}
	if alt, err2 := os.Open(filepath.Join(filepath.Dir(beside), name)); err2 == nil {
		return alt, nil
	}
	return nil, err
}

// report reads the export, prints its bad rows and writes the report.
func report(c *config, stdout, stderr io.Writer) error {
	m, err := c.dealMapping()
	if err != nil {
		return err
	}
	path := c.in
	if c.events != "" {
		path = c.events
	}
	shorthand := c.mappingFile == "" && c.preset == ""
	res, err := c.read(m, path, shorthand)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(m.Dates.TimeZone)
	if err != nil {
		return fmt.Errorf("time zone: %w", err)
	}
	groupings, err := c.groupings(m, path)
	if err != nil {
		return err
	}
	rep, refused, err := compute(res, computeOptions{Currency: m.Currency, Location: loc, Groupings: groupings, CurrentOnly: m.Kind != dealcsv.KindChanges})
	if err != nil {
		return err
	}
	if c.contracts != "" {
		if rep.Retention, err = c.retention(stderr); err != nil {
			return err
		}
	}
	var problems, joinProblems []dealcsv.Problem
	for _, p := range res.Problems {
		if p.File != "" {
			joinProblems = append(joinProblems, p)
		} else {
			problems = append(problems, p)
		}
	}
	problems = sortProblems(append(problems, refused...))
	bad := len(problems)
	problems = append(problems, joinProblems...)
	if len(problems) > 0 {
		if c.strict {
			for i, p := range problems {
				if i == maxListed {
					fmt.Fprintf(stderr, "... and %d more\n", len(problems)-maxListed)
					break
				}
				fmt.Fprintln(stderr, p)
			}
			return fmt.Errorf("%s: %d bad rows (-strict)", path, len(problems))
		}
		for _, p := range problems {
			fmt.Fprintln(stderr, p)
		}
		if bad > 0 {
			fmt.Fprintf(stderr, "report: %s: skipped %d bad rows of %d\n", path, bad, res.Summary.Rows)
		}
		if len(joinProblems) > 0 {
			fmt.Fprintf(stderr, "report: skipped %d bad rows of joined files\n", len(joinProblems))
		}
	}
	if res.Summary.Ignored > 0 {
		fmt.Fprintf(stderr, "report: %s: ignored %d rows that change other fields\n", path, res.Summary.Ignored)
	}
	if res.Summary.Unmatched > 0 {
		fmt.Fprintf(stderr, "report: %s: %d deals have a join key with no match; they are kept under %q (-drop-unmatched skips them)\n", path, res.Summary.Unmatched, dealcsv.Unmatched)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "report: warning: %s\n", w)
	}
	fmt.Fprintf(stderr, "report: %s: %s\n", path, res.Summary)
	if c.html != "" {
		var b bytes.Buffer
		source := path
		if c.sample {
			source = "the sample export embedded in the command"
		}
		if err := writeHTML(&b, rep, source); err != nil {
			return err
		}
		if err := os.WriteFile(c.html, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if c.format == "json" {
		return writeJSON(stdout, rep)
	}
	return writeTable(stdout, rep)
}

// dealMapping returns the mapping of the run: the -mapping file, the
// -preset, or the one the shorthand flags describe.
func (c *config) dealMapping() (*dealcsv.Mapping, error) {
	switch {
	case c.mappingFile != "":
		data, err := os.ReadFile(c.mappingFile)
		if err != nil {
			return nil, fmt.Errorf("-mapping: %w", err)
		}
		m, err := dealcsv.Load(data)
		if err != nil {
			return nil, fmt.Errorf("-mapping %s: %w", c.mappingFile, err)
		}
		return m, nil
	case c.preset != "":
		m, err := dealcsv.Preset(c.preset)
		if err != nil {
			return nil, fmt.Errorf("-preset: %w", err)
		}
		return m, nil
	}
	var errs []error
	if _, err := time.LoadLocation(c.tz); err != nil {
		errs = append(errs, fmt.Errorf("-tz: %w", err))
	}
	m, err := flagMapping(c)
	errs = append(errs, err)
	return m, errors.Join(errs...)
}

// read reads the export at path with m. With the shorthand flags, an
// optional field they leave unmapped is read from the column of its name
// (which changes m), and a join's name is its file.
func (c *config) read(m *dealcsv.Mapping, path string, shorthand bool) (*dealcsv.Result, error) {
	f, err := c.open(path, "")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	if shorthand {
		readFromHeader(m, br)
	}
	named := map[string]string{}
	for _, spec := range c.files {
		name, file, ok := strings.Cut(spec, "=")
		if !ok || strings.TrimSpace(name) == "" || strings.TrimSpace(file) == "" {
			return nil, fmt.Errorf("-file %q: must be NAME=FILE", spec)
		}
		named[strings.TrimSpace(name)] = strings.TrimSpace(file)
	}
	opts := dealcsv.Options{Name: path, Joins: map[string]io.Reader{}, Zone: time.LoadLocation, DropUnmatched: c.dropUnmatched}
	for _, j := range m.Joins {
		file := cmpOr(named[j.Name], j.Name)
		jf, err := c.open(file, path)
		if err != nil {
			if !shorthand && named[j.Name] == "" {
				return nil, fmt.Errorf("join %q: give its file with -file %s=FILE: %w", j.Name, j.Name, err)
			}
			return nil, fmt.Errorf("-join: %w", err)
		}
		defer jf.Close()
		opts.Joins[j.Name] = jf
	}
	return dealcsv.Read(br, m, opts)
}

// groupings returns the groupings of -by. segment and owner are the
// deals' own; any other name is a column of the export or of a joined
// file, read again as the segment column.
func (c *config) groupings(m *dealcsv.Mapping, path string) ([]grouping, error) {
	var out []grouping
	for _, by := range splitList(c.by) {
		switch by {
		case "segment":
			out = append(out, grouping{By: by, Key: func(x *dealcsv.Deal) string { return x.Segment }})
			continue
		case "owner":
			out = append(out, grouping{By: by, Key: func(x *dealcsv.Deal) string { return x.Owner }})
			continue
		}
		other := *m
		other.Columns = maps.Clone(m.Columns)
		other.Columns[dealcsv.FieldSegment] = by
		res, err := c.read(&other, path, false)
		if err != nil {
			return nil, fmt.Errorf("-by %s: %w", by, err)
		}
		keys := make(map[string]string, len(res.Deals))
		for _, x := range res.Deals {
			keys[x.ID] = x.Segment
		}
		out = append(out, grouping{By: by, Key: func(x *dealcsv.Deal) string { return keys[x.ID] }})
	}
	return out, nil
}

// sortProblems orders problems by line, stably.
func sortProblems(ps []dealcsv.Problem) []dealcsv.Problem {
	slices.SortStableFunc(ps, func(a, b dealcsv.Problem) int { return cmp.Compare(a.Line, b.Line) })
	return ps
}

// readFromHeader maps each optional field the flags leave unmapped to the
// export's column of the same name, when it has one: the -map shorthand.
func readFromHeader(m *dealcsv.Mapping, br *bufio.Reader) {
	head, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	header, err := csv.NewReader(bytes.NewReader(head)).Read()
	if err != nil {
		return
	}
	for _, f := range flagFields[m.Kind] {
		field := dealcsv.Field(f)
		if f == "field" || m.Columns[field] != "" || (f == "stage" && m.Columns[dealcsv.FieldChanged] != "") {
			continue
		}
		for _, h := range header {
			if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")), f) {
				m.Columns[field] = f
				if f == "status" && m.Status == nil {
					m.Status = map[string]deal.Outcome{"open": deal.OutcomeOpen, "won": deal.OutcomeWon, "lost": deal.OutcomeLost}
				}
			}
		}
	}
}
