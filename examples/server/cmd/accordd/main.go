// Command accordd is the reference service of accord: the unified process,
// Scopes of Work, contracts, policies and metrics behind a JSON API and web
// pages, on SQLite or PostgreSQL.
//
//	accordd [-db sqlite:FILE | -db postgres://...] [-addr 127.0.0.1:8080] [-demo] [-webhook URL]...
//	accordd migrate [-db ...]
//	accordd token create [-db ...] -actor ID -name NAME -role ROLE [-account ID]
//
// Every flag falls back to an environment variable: ACCORD_DB, ACCORD_ADDR,
// ACCORD_DEMO, ACCORD_WEBHOOKS (comma-separated). With webhooks, the server
// delivers the outbox's actions to each of them (see package outbox);
// without, the actions wait in the outbox. The server stops on SIGTERM or SIGINT after finishing the
// requests in flight.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/accordhq/accord/examples/server/app"
	"github.com/accordhq/accord/examples/server/httpapi"
	"github.com/accordhq/accord/examples/server/outbox"
	"github.com/accordhq/accord/examples/server/store/sqlstore"
	"github.com/accordhq/accord/examples/server/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, nil)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "accordd:", err)
		os.Exit(1)
	}
}

// run runs the command line args. ready, when not nil, receives the address
// the server listens on.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready chan<- string) error {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	dbFlag := func(fs *flag.FlagSet) *string {
		return fs.String("db", env("ACCORD_DB", "sqlite:accord.db"), "database: sqlite:FILE or postgres://... (env ACCORD_DB)")
	}
	if len(args) > 0 && args[0] == "migrate" {
		fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
		fs.SetOutput(stderr)
		db := dbFlag(fs)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		v, err := sqlstore.Migrate(ctx, *db)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "database at migration %d\n", v)
		return nil
	}
	if len(args) > 1 && args[0] == "token" && args[1] == "create" {
		fs := flag.NewFlagSet("token create", flag.ContinueOnError)
		fs.SetOutput(stderr)
		db := dbFlag(fs)
		var spec app.TokenSpec
		fs.StringVar(&spec.ActorID, "actor", "", "the actor's ID")
		fs.StringVar(&spec.Name, "name", "", "the actor's name")
		fs.StringVar(&spec.Role, "role", "", "the actor's role: one of sales_rep, sales_manager, implementation_lead, client, finance, admin")
		fs.StringVar(&spec.Account, "account", "", "for a client, the account it acts for")
		if err := fs.Parse(args[2:]); err != nil {
			return err
		}
		s, err := sqlstore.Open(ctx, *db)
		if err != nil {
			return err
		}
		defer s.Close()
		tok, _, err := app.New(app.Config{Store: s}).CreateToken(ctx, spec)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintln(stdout, tok)
		return nil
	}

	fs := flag.NewFlagSet("accordd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	addr := fs.String("addr", env("ACCORD_ADDR", "127.0.0.1:8080"), "address to listen on (env ACCORD_ADDR)")
	demoDefault, _ := strconv.ParseBool(getenv("ACCORD_DEMO"))
	demo := fs.Bool("demo", demoDefault, "seed a demo company and print a token for each role (env ACCORD_DEMO)")
	var webhooks []string
	if v := getenv("ACCORD_WEBHOOKS"); v != "" {
		webhooks = strings.Split(v, ",")
	}
	fromEnv := true
	fs.Func("webhook", "a URL the outbox's actions are POSTed to; repeat for several (env ACCORD_WEBHOOKS, comma-separated)", func(v string) error {
		if fromEnv {
			webhooks, fromEnv = nil, false
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("want an http(s) URL, got %q", v)
		}
		webhooks = append(webhooks, v)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unknown command %q: want migrate or token create", fs.Arg(0))
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	s, err := sqlstore.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	a := app.New(app.Config{Store: s})
	if *demo {
		if err := seed(ctx, a, stdout); err != nil {
			return fmt.Errorf("demo: %w", describe(err))
		}
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	api := httpapi.New(a, log)
	pages := web.Config{App: a, Log: log, Seen: httpapi.Seen}
	if *demo {
		pages.Demo = demoPeople()
	}
	api.Mount(web.New(pages), web.Patterns()...)
	srv := httpapi.NewServer(*addr, api)
	log.Info("serving", "addr", l.Addr().String(), "db", string(s.Dialect()))
	if *demo {
		fmt.Fprintf(stdout, "open http://%s/ and sign in as one of the demo people\n", l.Addr())
	}
	if ready != nil {
		ready <- l.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	// The dispatcher stops with the server; a delivery it interrupts is
	// sent again by the next dispatcher once its claim lapses.
	dctx, stopDispatch := context.WithCancel(context.Background())
	dispatched := make(chan struct{})
	go func() {
		defer close(dispatched)
		if len(webhooks) > 0 {
			log.Info("delivering the outbox", "webhooks", len(webhooks))
			(&outbox.Dispatcher{Store: s, URLs: webhooks, Log: log}).Run(dctx)
		}
	}()
	defer func() {
		stopDispatch()
		<-dispatched
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing the requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// describe adds the field errors of an app error to its message.
func describe(err error) error {
	var e *app.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	msg := e.Detail
	for _, f := range e.Fields {
		msg += fmt.Sprintf("\n  %s: %s", f.Field, f.Rule)
	}
	return errors.New(msg)
}
