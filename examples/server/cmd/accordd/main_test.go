package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestDemoServesAndShutsDown(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	env := map[string]string{"ACCORD_DB": db, "ACCORD_ADDR": "127.0.0.1:0"}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ctx, stop := context.WithCancel(ctx)
	var out, logs bytes.Buffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-demo"}, func(k string) string { return env[k] }, &out, &logs, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run: %v\n%s", err, logs.String())
	}
	tokens := regexp.MustCompile(`(?m)^  (\w+) +(acd_\S+)$`).FindAllStringSubmatch(out.String(), -1)
	if len(tokens) != 6 {
		t.Fatalf("demo printed %d tokens, want 6:\n%s", len(tokens), out.String())
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/deals", nil)
	req.Header.Set("Authorization", "Bearer "+tokens[0][2])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Deals []struct{ ID, Stage string } `json:"deals"`
	}
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	var got []string
	for _, d := range list.Deals {
		got = append(got, d.ID+" "+d.Stage)
	}
	if want := "demo-acme qualification,demo-globex discovery,demo-initech handoff,demo-northwind targeting"; strings.Join(got, ",") != want {
		t.Errorf("demo deals as %s: %v, want %s", tokens[0][1], got, want)
	}
	// The won deal's contract is in its renewal window.
	req, _ = http.NewRequest("GET", "http://"+addr+"/api/v1/renewals/due", nil)
	req.Header.Set("Authorization", "Bearer "+tokens[0][2])
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	var due struct {
		Alerts []struct{ Contract, Key string } `json:"alerts"`
	}
	json.NewDecoder(resp.Body).Decode(&due)
	resp.Body.Close()
	if len(due.Alerts) != 1 || due.Alerts[0].Contract != "demo-initech-contract" || !strings.HasPrefix(due.Alerts[0].Key, "renewal:demo-initech-contract:") {
		t.Errorf("renewals due in the demo: %d %+v, want demo-initech-contract's alert", resp.StatusCode, due)
	}
	// The demo scope waits for the implementation lead; the client token
	// of acme sees it, and the output says which token takes which step.
	clientTok := ""
	for _, tk := range tokens {
		if tk[1] == "client" {
			clientTok = tk[2]
		}
	}
	req, _ = http.NewRequest("GET", "http://"+addr+"/api/v1/scopes/demo-acme-sow", nil)
	req.Header.Set("Authorization", "Bearer "+clientTok)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	var sow struct {
		DealID string `json:"deal_id"`
		Review struct {
			Status   string `json:"status"`
			Revision int    `json:"revision"`
		} `json:"review"`
	}
	json.NewDecoder(resp.Body).Decode(&sow)
	resp.Body.Close()
	if resp.StatusCode != 200 || sow.DealID != "demo-acme" || sow.Review.Status != "submitted" || sow.Review.Revision != 1 {
		t.Errorf("the demo scope as the client: %d %+v, want demo-acme's, submitted at revision 1", resp.StatusCode, sow)
	}
	for _, line := range []string{
		"  approve as lead:     implementation_lead  POST /api/v1/scopes/demo-acme-sow/approve-lead with that capacity\n",
		"  approve as client:   client (acme)     POST /api/v1/scopes/demo-acme-sow/approve-client, after the lead\n",
	} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("the demo output lacks %q:\n%s", line, out.String())
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}

	// A second run finds the demo seeded and only prints new tokens.
	out.Reset()
	if err := run(context.Background(), []string{"token", "create", "-actor", "u-9", "-name", "Kim", "-role", "client"},
		func(k string) string { return env[k] }, &out, &logs, nil); err == nil || !strings.Contains(err.Error(), "account: is required for a client") {
		t.Errorf("token create of a client with no account: %v", err)
	}
	if err := run(context.Background(), []string{"token", "create", "-db", db, "-actor", "u-9", "-name", "Kim", "-role", "finance"},
		func(string) string { return "" }, &out, &logs, nil); err != nil || !strings.HasPrefix(out.String(), "acd_") {
		t.Errorf("token create: %q, %v", out.String(), err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, &out, &logs, nil); err != nil || out.String() != "database at migration 6\n" {
		t.Errorf("migrate: %q, %v", out.String(), err)
	}
}

func TestWebhookMustBeAnHTTPURL(t *testing.T) {
	var out, logs bytes.Buffer
	err := run(context.Background(), []string{"-webhook", "ftp://example.com/hook"}, func(string) string { return "" }, &out, &logs, nil)
	if err == nil || !strings.Contains(logs.String(), `invalid value "ftp://example.com/hook" for flag -webhook: want an http(s) URL`) {
		t.Errorf("-webhook ftp://...: %v\n%s", err, logs.String())
	}
}
