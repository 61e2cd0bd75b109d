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
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/accordhq/accord/deal"
	"github.com/accordhq/accord/deal/dealcsv"
	"github.com/accordhq/accord/metrics"
)

//go:embed testdata/opportunities.csv testdata/accounts.csv testdata/events.csv
var sampleFS embed.FS

// sampleArgs are the flags that read the embedded sample export, used when
// no file is given.
var sampleArgs = []string{
	"-map", "id=Opportunity ID,stage=Deal Stage,opened=Engaged On,closed=Closed On,value=Amount,owner=Rep,segment=Sector",
	"-join", "accounts.csv:Account",
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
	fl.StringVar(&c.by, "by", "segment", "group by segment or owner")
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
	if c.by != "segment" && c.by != "owner" {
		errs = append(errs, fmt.Errorf("-by: must be segment or owner; got %q", c.by))
	}
	if c.in == "" && c.events == "" {
		set := map[string]bool{}
		fl.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for _, name := range []string{"map", "join", "won", "lost", "stages", "stage-field", "lost-field"} {
			if set[name] {
				errs = append(errs, fmt.Errorf("-%s needs an export: give a file, or drop it to read the sample", name))
			}
		}
		if len(errs) == 0 {
			sample, err := parseFlags(append(slices.Clone(sampleArgs), "opportunities.csv"), stderr)
			if err != nil {
				return nil, err
			}
			c.mapping, c.joins, c.won, c.lost = sample.mapping, sample.joins, sample.won, sample.lost
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
	var errs []error
	if _, err := time.LoadLocation(c.tz); err != nil {
		errs = append(errs, fmt.Errorf("-tz: %w", err))
	}
	m, err := flagMapping(c)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return err
	}
	path, events := c.in, false
	if c.events != "" {
		path, events = c.events, true
	}
	f, err := c.open(path, "")
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	readFromHeader(m, br)
	opts := dealcsv.Options{Name: path, Joins: map[string]io.Reader{}, Zone: time.LoadLocation, DropUnmatched: c.dropUnmatched}
	for _, j := range m.Joins {
		jf, err := c.open(j.Name, path)
		if err != nil {
			return fmt.Errorf("-join: %w", err)
		}
		defer jf.Close()
		opts.Joins[j.Name] = jf
	}
	res, err := dealcsv.Read(br, m, opts)
	if err != nil {
		return err
	}
	key := metrics.BySegment
	if c.by == "owner" {
		key = metrics.ByOwner
	}
	rep, refused, err := compute(res, m.Currency, key, events)
	if err != nil {
		return err
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
		if err := writeHTML(&b, rep, c.by, source, events); err != nil {
			return err
		}
		if err := os.WriteFile(c.html, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if c.format == "json" {
		return writeJSON(stdout, rep)
	}
	return writeTable(stdout, rep, c.by)
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
